"""Recompute value and risk for the whole base: ABC tier, RFM quintiles, churn risk, upsell propensity, purchase
totals, and the queue priorities that depend on them (formulas in core.value).

Runs in bulk (``operator-tui rescore``, after a purchase import): one grouped pass over purchases, the arithmetic
in Python, and batched updates. A recorded outcome refreshes its own customer's churn risk and upsell propensity
on the spot; ABC tiers and quintiles need the whole base, so they change here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from operator_tui.core import queue_rules as rules
from operator_tui.core.roles import Role
from operator_tui.core.value import abc_tiers, churn_risk, quintiles, upsell_propensity
from operator_tui.services.audit import audit
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.runtime import runtime
from operator_tui.store.coltypes import utcnow

RECENT = timedelta(days=180)
BATCH = 20_000


@dataclass
class RescoreReport:
    customers: int
    seconds: float
    tiers: dict[str, int] = field(default_factory=dict)
    changed: int = 0


def rescore(db: Database, actor: Actor, now: datetime | None = None) -> RescoreReport:
    """Recompute every customer's value and risk, and the priority of their current queue entry."""
    actor.require(Role.ADMIN, "Rescoring the base")
    started = time.perf_counter()
    now = now or utcnow()
    rt = runtime(db)
    hot = db.hot
    p = rt.sql.param
    with hot.connection() as conn, hot.reading(conn):
        purchases = {
            row[0]: row[1:]
            for row in conn.execute(
                f"SELECT customer_id, count(*), sum(amount), min(at), max(at), count(DISTINCT category), "
                f"sum(CASE WHEN at >= {p('recent')} THEN 1 ELSE 0 END), "
                f"sum(CASE WHEN at < {p('recent')} AND at >= {p('before')} THEN 1 ELSE 0 END) "
                "FROM purchase GROUP BY customer_id",
                {"recent": hot.to_db(now - RECENT), "before": hot.to_db(now - 2 * RECENT)},
            ).fetchall()
        }
        complaints = dict(
            conn.execute(
                "SELECT customer_id, count(*) FROM task WHERE status = 'open' AND kind = 'complaint' "
                "GROUP BY customer_id"
            ).fetchall()
        )
        entries = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT customer_id, id, strategy_id, retries, entered_at, priority FROM queue_entry "
                "WHERE phase <> 'off'"
            ).fetchall()
        }
        customers = conn.execute(
            "SELECT id, last_nps, stage, time_zone, segment, value_tier, rfm_r, rfm_f, rfm_m, churn_risk, "
            "upsell_propensity, purchases_count, revenue_total FROM customer ORDER BY id"
        ).fetchall()
    ids = [c[0] for c in customers]
    revenue = [float(purchases[i][1] or 0) if i in purchases else 0.0 for i in ids]
    last = [hot.from_db(purchases[i][3]) if i in purchases else None for i in ids]
    recency = [None if t is None else (now - t) / timedelta(days=1) for t in last]
    count = [purchases[i][0] if i in purchases else 0 for i in ids]
    tiers = abc_tiers(revenue)
    r_q = quintiles(recency, higher_is_better=False)
    f_q = quintiles([n or None for n in count])
    m_q = quintiles([r or None for r in revenue])
    customer_rows: list[dict[str, Any]] = []
    entry_rows: list[dict[str, Any]] = []
    for k, (cid, last_nps, stage, zone, segment, *before) in enumerate(customers):
        agg = purchases.get(cid)
        first_at = hot.from_db(agg[2]) if agg else None
        entry = entries.get(cid)
        risk = churn_risk(
            days_since_last_purchase=recency[k],
            purchases_recent=agg[5] or 0 if agg else 0,
            purchases_before=agg[6] or 0 if agg else 0,
            last_nps=last_nps,
            open_complaints=complaints.get(cid, 0),
            failed_attempts=entry[2] if entry else 0,
        )
        last_at = last[k]
        span = 0.0 if first_at is None or last_at is None else (last_at - first_at) / timedelta(days=1)
        upsell = upsell_propensity(
            purchases=count[k], days_since_last_purchase=recency[k], span_days=span, categories=agg[4] if agg else 0
        )
        after = [tiers[k], r_q[k], f_q[k], m_q[k], risk, upsell, count[k], round(revenue[k], 2)]
        if after != [*before[:7], round(float(before[7] or 0), 2)]:  # write only what changed
            customer_rows.append(
                {
                    "id": cid,
                    "tier": tiers[k],
                    "r": r_q[k],
                    "f": f_q[k],
                    "m": m_q[k],
                    "risk": risk,
                    "upsell": upsell,
                    "count": count[k],
                    "revenue": round(revenue[k], 2),
                    "first": hot.to_db(first_at),
                    "last": hot.to_db(last[k]),
                }
            )
        if entry is not None:
            try:
                strategy = rt.playbook.strategy(entry[1])
            except StopIteration:
                continue
            facts = rules.Facts(
                stage=stage,
                time_zone=zone,
                segment=segment,
                value_tier=tiers[k],
                churn_risk=risk,
                upsell_propensity=upsell,
            )
            priority = rules.stored_priority(strategy, facts, hot.from_db(entry[3]) or now)
            if abs(priority - (entry[4] or 0.0)) > 1e-9:
                entry_rows.append({"id": entry[0], "priority": priority})
    with hot.connection() as conn:
        for start in range(0, len(customer_rows), BATCH):
            with hot.write(conn) as cur:
                cur.executemany(
                    f"UPDATE customer SET value_tier = {p('tier')}, rfm_r = {p('r')}, rfm_f = {p('f')}, "
                    f"rfm_m = {p('m')}, churn_risk = {p('risk')}, upsell_propensity = {p('upsell')}, "
                    f"purchases_count = {p('count')}, revenue_total = {p('revenue')}, "
                    f"first_purchase_at = {p('first')}, last_purchase_at = {p('last')} WHERE id = {p('id')}",
                    customer_rows[start : start + BATCH],
                )
        for start in range(0, len(entry_rows), BATCH):
            with hot.write(conn) as cur:
                cur.executemany(
                    f"UPDATE queue_entry SET priority = {p('priority')} WHERE id = {p('id')}",
                    entry_rows[start : start + BATCH],
                )
    tally: dict[str, int] = {}
    for tier in tiers:
        tally[tier] = tally.get(tier, 0) + 1
    report = RescoreReport(len(ids), time.perf_counter() - started, dict(sorted(tally.items())), len(customer_rows))
    with db.write() as session:
        audit(session, actor, "rescore", "customer", None, customers=report.customers, tiers=report.tiers)
    return report
