"""Which kind of period a report shows (a day, a week, a month or a range) and the one before or after it, so that
``[`` and ``]`` step through days, weeks and months the way a supervisor reads them.

Pure date arithmetic over the service's :class:`Period`; labels are made the way ``parse_period`` makes them, so a
stepped period reads the same as a typed one.
"""

from __future__ import annotations

from datetime import date, timedelta

from operator_tui.services.reports import Period, parse_period

DAY, WEEK, MONTH, RANGE = "day", "week", "month", "range"


def kind_of(period: Period) -> str:
    if period.days == 1:
        return DAY
    if period.days == 7 and period.start.weekday() == 0:
        return WEEK
    if period.start.day == 1 and period.end == _next_month(period.start):
        return MONTH
    return RANGE


def shifted(period: Period, steps: int) -> Period:
    """The period ``steps`` of its own kind later (negative: earlier)."""
    kind = kind_of(period)
    if kind == MONTH:
        first = period.start
        for _ in range(abs(steps)):
            first = _next_month(first) if steps > 0 else (first - timedelta(days=1)).replace(day=1)
        return parse_period(f"{first:%Y-%m}", first)
    start = period.start + timedelta(days=period.days * steps)
    if kind == DAY:
        return parse_period(start.isoformat(), start)
    if kind == WEEK:
        return Period(start, start + timedelta(days=7), f"week of {start}")
    last = start + timedelta(days=period.days - 1)
    return parse_period(f"{start}..{last}", start)


def days_of(period: Period, until: date | None = None) -> list[date]:
    """Every day of ``period``, stopping after ``until`` (today: the future has no figures yet)."""
    end = period.end if until is None else min(period.end, until + timedelta(days=1))
    return [period.start + timedelta(days=n) for n in range(max((end - period.start).days, 0))]


def _next_month(first: date) -> date:
    return (first.replace(day=1) + timedelta(days=32)).replace(day=1)
