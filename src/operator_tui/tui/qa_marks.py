"""Marks typed with digit keys, and how marks and scores read on the QA screens.

Pure functions, no Textual: a reviewer types a mark as digits on the highlighted checklist item. A digit that
cannot grow into a bigger mark on the item's scale sets it at once (all the default checklists' scales); on a
scale that reaches 10 or more, ``1`` waits for a second digit or Enter, as the script runner does with NPS. A mark
off the scale is never set: it is refused with a message saying which marks the item takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from operator_tui.core.qa_score import NA, ItemMark
from operator_tui.tui.i18n import N_, _, number, strftime

Scale = tuple[int, int]
WHEN = "%d %b %H:%M"


@dataclass(frozen=True)
class Typed:
    """The result of a digit: a mark to set, digits still waiting for more, or a refusal (nothing set)."""

    mark: int | None = None
    waiting: str = ""
    refusal: str | None = None


def scale_text(scale: Scale) -> str:
    return f"{scale[0]}–{scale[1]}"


def take_digit(typed: str, digit: str, scale: Scale) -> Typed:
    """``digit`` typed after ``typed`` (digits already waiting) on an item with ``scale``."""
    text = typed + digit
    low, high = scale
    if not text.startswith("0") and int(text + "0") <= high:
        return Typed(waiting=text)
    value = int(text)
    if low <= value <= high:
        return Typed(mark=value)
    return Typed(refusal=off_scale(text, scale))


def confirm(typed: str, scale: Scale) -> Typed:
    """Enter after waiting digits: the mark they make, or a refusal."""
    if not typed:
        return Typed()
    value = int(typed)
    if scale[0] <= value <= scale[1]:
        return Typed(mark=value)
    return Typed(refusal=off_scale(typed, scale))


def off_scale(text: str, scale: Scale) -> str:
    return _("{typed} is off this item's scale: press a digit {scale}.").format(typed=text, scale=scale_text(scale))


def mark_text(mark: ItemMark) -> str:
    """``2``, ``n/a`` or ``·`` (not scored yet)."""
    if mark is None:
        return "·"
    return _("n/a") if mark == NA else str(mark)


def score_text(score: float | None, critical_failed: bool = False) -> str:
    """``87.5``, ``100``, ``0 ✗`` (a failed critical item) or ``–`` (no score)."""
    if critical_failed:
        return "0 ✗"
    if score is None:
        return "–"
    rounded = round(score, 1)
    return number(rounded, 0 if rounded.is_integer() else 1)


def at(moment: datetime | None, zone: tzinfo) -> str:
    """A moment in the reader's time zone, short: ``23 Nov 10:00``."""
    return "–" if moment is None else strftime(moment.astimezone(zone), WHEN)


STATUS_LABELS = {
    "draft": N_("to do"),
    "submitted": N_("submitted"),
    "superseded": N_("re-scored"),
    "open": N_("open"),
    "opened": N_("opened"),
    "accepted": N_("accepted"),
    "partly_accepted": N_("partly accepted"),
    "rejected": N_("rejected"),
}


def status_text(status: str | None) -> str:
    """A review's or a dispute's status (or a step of a dispute's history) as the reader reads it."""
    if status is None:
        return ""
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status.replace("_", " ")
