"""QA review score: each item (selected - min) / (max - min) x 100, weighted by item and by section.

N/A items leave the denominator; a failed critical item (scored at its minimum) makes the whole review 0 and
flags it. A review with every item N/A has no score (None), not 100.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from operator_tui.core.playbook.models import Checklist

NA = "na"
ItemMark = int | str | None  # a value on the item's scale, "na", or None (not scored yet)


class ScoreError(ValueError):
    """A mark that does not fit its item; the message names the item."""


@dataclass(frozen=True)
class ReviewScore:
    score: float | None
    critical_failed: bool
    unanswered: tuple[str, ...]


def score_review(checklist: Checklist, marks: Mapping[str, ItemMark]) -> ReviewScore:
    """Score ``marks`` (item id -> mark) against ``checklist``; unknown items and off-scale marks are errors."""
    known = {item.id for item in checklist.items()}
    unknown = sorted(set(marks) - known)
    if unknown:
        raise ScoreError(f"unknown checklist item(s): {', '.join(unknown)}")
    total = weight_sum = 0.0
    critical_failed = False
    unanswered: list[str] = []
    for section in checklist.sections:
        section_total = section_weight = 0.0
        for item in section.items:
            mark = marks.get(item.id)
            if mark is None:
                unanswered.append(item.id)
                continue
            if mark == NA:
                if not item.na:
                    raise ScoreError(f"item {item.id!r} cannot be marked N/A")
                continue
            low, high = item.scale
            if isinstance(mark, bool) or not isinstance(mark, int) or not low <= mark <= high:
                raise ScoreError(f"item {item.id!r}: {mark!r} is off its scale {low}..{high}")
            if item.critical and mark == low:
                critical_failed = True
            section_total += item.weight * (mark - low) / (high - low) * 100
            section_weight += item.weight
        if section_weight:
            total += section.weight * section_total / section_weight
            weight_sum += section.weight
    if critical_failed:
        return ReviewScore(0.0, True, tuple(unanswered))
    score = round(total / weight_sum, 2) if weight_sum else None
    return ReviewScore(score, False, tuple(unanswered))
