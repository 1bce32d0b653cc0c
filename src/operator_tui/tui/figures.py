"""How report and board numbers read on screen: thousands grouped, one decimal for rates, m:ss for durations,
a sign on NPS, "1000+" for a count that stopped at its cap.

Pure functions of the services' figures, shared by the reports screen and the live board. A figure that cannot
be computed (nothing to divide) is a dash, never a zero: "no calls" must not read as "0 % reached".
"""

from __future__ import annotations

from datetime import datetime

from operator_tui.core.report_math import CallFigures
from operator_tui.tui.clock import elapsed
from operator_tui.tui.i18n import N_, _, number

DASH = "–"

FIGURE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("calls", N_("Calls")),
    ("reach", N_("Reach")),
    ("conv", N_("Conv.")),
    ("conv_pct", N_("Conv. %")),
    ("talk", N_("Talk")),
    ("wrap", N_("Wrap")),
    ("nps", N_("NPS")),
    ("promoters", N_("Prom.")),
    ("passives", N_("Pass.")),
    ("detractors", N_("Detr.")),
    ("qa", N_("QA")),
)
"""(column key, header in English: translate it where it is shown) of the figures table, after the group's label;
:func:`figure_cells` fills them."""


def count(n: int | None) -> str:
    return DASH if n is None else number(n)


def percent(x: float | None) -> str:
    return DASH if x is None else number(x, 1) + " %"


def duration(seconds: float | None) -> str:
    """``0:42``, ``3:07`` or ``1:02:03``: an average talk or wrap-up time."""
    if seconds is None:
        return DASH
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def nps(x: float | None) -> str:
    """``+30.5``, ``-4.0``, ``0.0``: a score from -100 to 100, signed so that a detractor majority stands out."""
    if x is None:
        return DASH
    return number(0, 1) if x == 0 else number(x, 1, sign=True)


def score(x: float | None) -> str:
    return DASH if x is None else number(x, 1)


def money(x: float | None) -> str:
    return DASH if x is None else number(x, 2)


def capped(n: int, cap: int) -> str:
    """A count read with ``LIMIT cap``: at the cap it means "at least that many"."""
    return f"{number(cap)}+" if n >= cap else number(n)


def in_state(since: datetime | None, now: datetime) -> str:
    """Time in the current state: ``7:05`` or ``1:02:03``, and whole days past a day (an operator offline since
    last week needs no seconds)."""
    if since is None:
        return DASH
    days = int((now - since).total_seconds() // 86400)
    return _("{days} d").format(days=days) if days >= 1 else elapsed(since, now)


def figure_cells(f: CallFigures, qa: float | None) -> tuple[str, ...]:
    """The figures of one row, in :data:`FIGURE_COLUMNS` order."""
    return (
        count(f.calls),
        percent(f.reach_rate),
        count(f.success),
        percent(f.conversion_rate),
        duration(f.average_talk_s),
        duration(f.average_wrap_s),
        nps(f.nps),
        count(f.promoters),
        count(f.passives),
        count(f.detractors),
        score(qa),
    )
