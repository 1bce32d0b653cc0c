"""Customer value per the 80/20 rule (seeds 001/003): ABC tiers by share of revenue, and RFM quintiles.

- ABC: customers sorted by revenue, largest first; those making up the first 80 % of total revenue are A, the
  next 15 % (to 95 %) B, the rest C. Customers with no revenue are C.
- RFM: recency (days since last purchase, fewer is better), frequency (purchases) and monetary (revenue), each
  ranked into quintiles 1..5 where 5 is best; customers who never bought get 0 on all three.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

A_SHARE, B_SHARE = 0.80, 0.95


def abc_tiers(revenues: Sequence[float]) -> list[str]:
    """The tier of each revenue, in the input's order."""
    total = sum(r for r in revenues if r > 0)
    tiers = ["C"] * len(revenues)
    if total <= 0:
        return tiers
    running = 0.0
    for index in sorted(range(len(revenues)), key=lambda i: -revenues[i]):
        if revenues[index] <= 0:
            break
        share_before = running / total
        running += revenues[index]
        tiers[index] = "A" if share_before < A_SHARE else "B" if share_before < B_SHARE else "C"
    return tiers


def quintiles(values: Sequence[float | None], *, higher_is_better: bool = True) -> list[int]:
    """Rank values into 1..5 (5 = best); None gets 0. Ties share the lower rank's quintile."""
    present = sorted((v if higher_is_better else -v, i) for i, v in enumerate(values) if v is not None)
    out = [0] * len(values)
    n = len(present)
    first_rank = 0
    for rank, (value, index) in enumerate(present):
        if rank and value != present[rank - 1][0]:
            first_rank = rank
        out[index] = 1 + (5 * first_rank) // n
    return out


# Churn risk and upsell propensity, both in [0, 1]. Seed 004: behaviour is predicted from the interaction history;
# seed 002: a predictive model of repeat purchases drives stimulation of consumption.
#
# churn_risk = 0.35 * recency + 0.25 * decline + 0.20 * nps + 0.10 * complaints + 0.10 * unreachable, where
#   recency     = days since the last purchase / 365, capped at 1 (never bought: 0.5)
#   decline     = (purchases in the 180 days before the last 180 - purchases in the last 180) / the former, in [0, 1]
#   nps         = 1 for a detractor (0-6), 0.5 for a passive (7-8), 0 for a promoter or no answer
#   complaints  = open complaints / 2, capped at 1
#   unreachable = failed contact attempts in a row / 6, capped at 1
#
# upsell_propensity = 0.6 * timing + 0.2 * frequency + 0.2 * breadth, where
#   timing    = exp(-(days since last purchase / mean days between purchases - 1)^2 / 0.5): highest when the next
#               purchase is due by the customer's own rhythm (one purchase only: 0.3; none: 0)
#   frequency = purchases / 10, capped at 1
#   breadth   = distinct product categories / 3, capped at 1 (a broader portfolio buys more)


def churn_risk(
    *,
    days_since_last_purchase: float | None,
    purchases_recent: int,
    purchases_before: int,
    last_nps: int | None,
    open_complaints: int,
    failed_attempts: int,
) -> float:
    recency = 0.5 if days_since_last_purchase is None else min(max(days_since_last_purchase, 0) / 365, 1.0)
    decline = max(purchases_before - purchases_recent, 0) / purchases_before if purchases_before else 0.0
    nps = 0.0 if last_nps is None else 1.0 if last_nps <= 6 else 0.5 if last_nps <= 8 else 0.0
    complaints = min(open_complaints / 2, 1.0)
    unreachable = min(failed_attempts / 6, 1.0)
    risk = 0.35 * recency + 0.25 * decline + 0.20 * nps + 0.10 * complaints + 0.10 * unreachable
    return round(min(max(risk, 0.0), 1.0), 4)


def upsell_propensity(
    *,
    purchases: int,
    days_since_last_purchase: float | None,
    span_days: float,
    categories: int,
) -> float:
    """``span_days``: days between the first and the last purchase."""
    if purchases == 0 or days_since_last_purchase is None:
        return 0.0
    if purchases == 1 or span_days <= 0:
        timing = 0.3
    else:
        mean_interval = span_days / (purchases - 1)
        ratio = max(days_since_last_purchase, 0) / max(mean_interval, 1.0)
        timing = math.exp(-((ratio - 1) ** 2) / 0.5)
    frequency = min(purchases / 10, 1.0)
    breadth = min(categories / 3, 1.0)
    return round(0.6 * timing + 0.2 * frequency + 0.2 * breadth, 4)
