"""Calling windows: when a customer may be called, in the customer's own local time.

A window is written as day specs mapped to hours, e.g. ``{mon-fri: "09:00-20:00", sat: "10:00-16:00"}``;
days not named are closed, and public holidays are closed unless the window gives ``holidays: "11:00-16:00"``.
Times are wall-clock times in the customer's zone, so a DST change moves the UTC instant, never the local hours;
a local time that does not exist (spring forward) opens at the first valid instant after it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ALIASES = {"daily": "mon-sun", "weekdays": "mon-fri", "weekends": "sat-sun", "everyday": "mon-sun"}
HOLIDAYS_KEY = "holidays"


@dataclass(frozen=True)
class Interval:
    """A half-open stretch of local wall-clock time ``[start, end)`` within one day; end may be 24:00."""

    start: time
    end: time | None  # None means midnight at the end of the day

    def contains(self, t: time) -> bool:
        return self.start <= t and (self.end is None or t < self.end)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{'24:00' if self.end is None else f'{self.end:%H:%M}'}"


@dataclass(frozen=True)
class CallingWindow:
    """Open hours per weekday (Monday first) and on public holidays."""

    name: str
    week: tuple[tuple[Interval, ...], ...]
    holidays: tuple[Interval, ...] = ()

    def hours_on(self, day: date, holidays: frozenset[date] = frozenset()) -> tuple[Interval, ...]:
        return self.holidays if day in holidays else self.week[day.weekday()]


def _parse_time(text: str) -> time | None:
    hh, sep, mm = text.strip().partition(":")
    if not sep or not hh.isdigit() or not mm.isdigit() or len(mm) != 2:
        raise ValueError(f"expected a time like 09:00, got {text.strip()!r}")
    h, m = int(hh), int(mm)
    if h == 24 and m == 0:
        return None
    if not (0 <= h < 24 and 0 <= m < 60):
        raise ValueError(f"{text.strip()!r} is not a time of day")
    return time(h, m)


def parse_hours(spec: str) -> tuple[Interval, ...]:
    """``"09:00-13:00, 14:00-20:00"`` -> intervals; ``"closed"`` -> none."""
    if not isinstance(spec, str):
        raise ValueError('expected hours like "09:00-20:00" or "closed"')
    if spec.strip().lower() == "closed":
        return ()
    out: list[Interval] = []
    for part in spec.split(","):
        start_s, dash, end_s = part.partition("-")
        if not dash:
            raise ValueError(f'expected hours like "09:00-20:00", got {part.strip()!r}')
        start, end = _parse_time(start_s), _parse_time(end_s)
        if start is None:
            raise ValueError("a window cannot start at 24:00")
        if end is not None and end <= start:
            raise ValueError(f"{part.strip()!r} ends before it starts (windows cannot cross midnight; split them)")
        out.append(Interval(start, end))
    out.sort(key=lambda i: i.start)
    for a, b in itertools.pairwise(out):
        if a.end is None or a.end > b.start:
            raise ValueError(f"hours {a} and {b} overlap")
    return tuple(out)


def parse_days(spec: str) -> list[int]:
    """``"mon-fri"``, ``"sat"``, ``"mon,wed"``, ``"daily"`` -> weekday numbers (Monday is 0)."""
    text = _ALIASES.get(spec.strip().lower(), spec.strip().lower())
    days: list[int] = []
    for part in text.split(","):
        first, dash, last = part.strip().partition("-")
        if first not in DAYS or (dash and last not in DAYS):
            raise ValueError(f"unknown day spec {part.strip()!r}: use mon..sun, ranges like mon-fri, or daily")
        a, b = DAYS.index(first), DAYS.index(last) if dash else DAYS.index(first)
        if b < a:
            raise ValueError(f"day range {part.strip()!r} runs backwards")
        days.extend(range(a, b + 1))
    return days


def parse_window(name: str, spec: dict[str, str]) -> CallingWindow:
    """Build a window from its YAML mapping; raise ValueError naming the bad key."""
    if not isinstance(spec, dict) or not spec:
        raise ValueError('expected a mapping of days to hours like {mon-fri: "09:00-20:00"}')
    week: list[tuple[Interval, ...] | None] = [None] * 7
    holidays: tuple[Interval, ...] = ()
    for key, hours in spec.items():
        key = str(key)
        try:
            intervals = parse_hours(hours)
            if key.strip().lower() == HOLIDAYS_KEY:
                holidays = intervals
                continue
            for day in parse_days(key):
                if week[day] is not None:
                    raise ValueError(f"{DAYS[day]} is given twice")
                week[day] = intervals
        except ValueError as exc:
            raise ValueError(f"{key}: {exc}") from None
    return CallingWindow(name, tuple(w or () for w in week), holidays)


def _local(day: date, t: time | None, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock ``t`` on ``day`` in ``tz`` (None = the midnight ending the day)."""
    naive = datetime.combine(day + timedelta(days=1), time(0)) if t is None else datetime.combine(day, t)
    instant = naive.replace(tzinfo=tz).astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == naive:
        return instant
    # A wall time in a spring-forward gap does not exist: use the first instant whose wall time is at or after it
    # (the end of the gap), found by bisection between the two readings of the ambiguous offset.
    low = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    high = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    low, high = min(low, high), max(low, high)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).replace(tzinfo=None) >= naive:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def is_open(window: CallingWindow, at: datetime, tz: ZoneInfo, holidays: frozenset[date] = frozenset()) -> bool:
    """Whether ``at`` (an aware instant) falls inside the window in zone ``tz``."""
    local = at.astimezone(tz)
    return any(i.contains(local.time()) for i in window.hours_on(local.date(), holidays))


def open_spans(
    window: CallingWindow,
    start: datetime,
    tz: ZoneInfo,
    holidays: frozenset[date] = frozenset(),
    days: int = 14,
) -> Iterable[tuple[datetime, datetime]]:
    """Open stretches as UTC ``(from, to)`` pairs, from ``start``'s local day for ``days`` days."""
    first = start.astimezone(tz).date()
    for offset in range(days):
        day = first + timedelta(days=offset)
        for interval in window.hours_on(day, holidays):
            yield _local(day, interval.start, tz), _local(day, interval.end, tz)


def next_open(
    window: CallingWindow, at: datetime, tz: ZoneInfo, holidays: frozenset[date] = frozenset()
) -> datetime | None:
    """``at`` itself if open, else the next instant the window opens (within two weeks), else None."""
    for begin, end in open_spans(window, at, tz, holidays):
        if end > at:
            return max(begin, at)
    return None


def closes_at(
    window: CallingWindow, at: datetime, tz: ZoneInfo, holidays: frozenset[date] = frozenset()
) -> datetime | None:
    """When the open stretch containing ``at`` ends; None if the window is closed at ``at``."""
    for begin, end in open_spans(window, at, tz, holidays, days=2):
        if begin <= at < end:
            return end
    return None
