"""The app's clock: one callable that says what time it is, so tests can freeze and move time.

Every service call from the TUI passes ``now=clock()``; every time on screen (time in state, wrap-up, local times)
is read from the same clock, so a snapshot taken with a frozen clock is the same on every run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from operator_tui.tui.i18n import _, ngettext

Clock = Callable[[], datetime]
"""Returns an aware UTC datetime."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def elapsed(since: datetime | None, now: datetime) -> str:
    """``0:07``, ``12:34`` or ``1:02:03``: how long since ``since`` (never negative)."""
    if since is None:
        return "0:00"
    seconds = max(int((now - since).total_seconds()), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


def until(moment: datetime, now: datetime) -> str:
    """``in 2 h 05 min``, ``in 7 min``, ``now``: a wait, rounded up to the minute."""
    minutes = -(-int((moment - now).total_seconds()) // 60)
    if minutes <= 0:
        return _("now")
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        return ngettext("in {n} day", "in {n} days", hours // 24).format(n=hours // 24)
    if hours:
        return _("in {hours} h {minutes:02} min").format(hours=hours, minutes=minutes)
    return _("in {minutes} min").format(minutes=minutes)


def local_midnight(now: datetime, zone: object) -> datetime:
    """The start of ``now``'s day in ``zone`` (a tzinfo), as an aware datetime: "today" for the operator."""
    local = now.astimezone(zone)  # type: ignore[arg-type]
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


class FrozenClock:
    """A clock that stands still until moved: for tests and for demos that must look the same every time."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> datetime:
        self.at += timedelta(**delta)
        return self.at
