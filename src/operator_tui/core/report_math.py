"""Report figures from summed counts, each formula in one place (the README lists them).

- reach rate = reached calls / calls
- conversion rate = calls that met their strategy's goal (outcome flag ``success``) / reached calls
- average talk time = talk seconds (answered -> ended) / reached calls; average wrap-up = wrap seconds / calls
- NPS = (promoters - detractors) / answers x 100, promoters 9-10, passives 7-8, detractors 0-6
- churn % = customers who entered the churn stage in the period / (customers in working stages at the end of the
  period + those who churned in it)
- base coverage % = customers of a strategy reached within its cadence (or within the period, for strategies
  without one) / customers the strategies hold
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass
class CallFigures:
    calls: int = 0
    reached: int = 0
    success: int = 0
    talk_s: float = 0.0
    wrap_s: float = 0.0
    nps_n: int = 0
    nps_sum: int = 0
    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    def add(self, other: CallFigures) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def reach_rate(self) -> float | None:
        return ratio(self.reached, self.calls)

    @property
    def conversion_rate(self) -> float | None:
        return ratio(self.success, self.reached)

    @property
    def average_talk_s(self) -> float | None:
        return None if not self.reached else round(self.talk_s / self.reached, 1)

    @property
    def average_wrap_s(self) -> float | None:
        return None if not self.calls else round(self.wrap_s / self.calls, 1)

    @property
    def nps(self) -> float | None:
        answers = self.promoters + self.passives + self.detractors
        return None if not answers else round(100 * (self.promoters - self.detractors) / answers, 1)

    @property
    def average_nps_answer(self) -> float | None:
        return None if not self.nps_n else round(self.nps_sum / self.nps_n, 2)


def ratio(part: float, whole: float) -> float | None:
    """``part / whole`` as a percentage with one decimal; None when there is nothing to divide."""
    return None if not whole else round(100 * part / whole, 1)
