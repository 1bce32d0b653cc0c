"""Net Promoter Score: promoters answer 9-10, passives 7-8, detractors 0-6; NPS = %promoters - %detractors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PROMOTER_FROM = 9  # answers from here up are promoters
PASSIVE_FROM = 7  # from here to below PROMOTER_FROM, passives; below it, detractors


def category(score: int) -> str:
    if not 0 <= score <= 10:
        raise ValueError(f"an NPS answer is 0..10, got {score}")
    return "promoter" if score >= PROMOTER_FROM else "passive" if score >= PASSIVE_FROM else "detractor"


def sql_counts(column: str) -> tuple[str, str, str]:
    """The ``sum(CASE ...)`` expressions that count promoters, passives and detractors among ``column``'s
    answers in SQL (daily roll-ups, an operator's day): the same bands as :func:`category`."""
    return (
        f"sum(CASE WHEN {column} >= {PROMOTER_FROM} THEN 1 ELSE 0 END)",
        f"sum(CASE WHEN {column} >= {PASSIVE_FROM} AND {column} < {PROMOTER_FROM} THEN 1 ELSE 0 END)",
        f"sum(CASE WHEN {column} < {PASSIVE_FROM} THEN 1 ELSE 0 END)",
    )


def is_detractor(score: int | None) -> bool:
    return score is not None and category(score) == "detractor"


@dataclass(frozen=True)
class NpsSummary:
    promoters: int
    passives: int
    detractors: int

    @property
    def responses(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def nps(self) -> float | None:
        """In [-100, 100]; None without responses."""
        if not self.responses:
            return None
        return round(100 * (self.promoters - self.detractors) / self.responses, 1)


def summarize(scores: Iterable[int]) -> NpsSummary:
    counts = {"promoter": 0, "passive": 0, "detractor": 0}
    for score in scores:
        counts[category(score)] += 1
    return NpsSummary(counts["promoter"], counts["passive"], counts["detractor"])
