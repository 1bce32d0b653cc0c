"""What the queue services keep between calls in one process: the active playbook (checked for a newer version
every few seconds, not on every call), its calling windows, the current script versions, the prepared statements
and the time zones in use.

The hot path then costs index seeks and a short write, not playbook parsing or schema look-ups.
"""

from __future__ import annotations

import threading
import time as clock
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select

from operator_tui.core.phones import callable_phones
from operator_tui.core.playbook import Playbook
from operator_tui.core.queue_rules import EntryState, Facts
from operator_tui.core.windows import CallingWindow
from operator_tui.services import playbooks
from operator_tui.services.database import Database
from operator_tui.store.hot import Hot
from operator_tui.store.queue_sql import QueueSql, statements
from operator_tui.store.tables import PlaybookVersion

PLAYBOOK_CHECK_S = 5.0
ZONES_CHECK_S = 60.0
_LOCK = threading.Lock()


@dataclass
class Runtime:
    playbook: Playbook
    playbook_version_id: int
    sql: QueueSql
    script_versions: dict[str, int]
    windows: dict[str, CallingWindow]
    holidays: frozenset[date]
    checked_at: float
    zones: list[str] = field(default_factory=list)
    zones_at: float = 0.0


def runtime(db: Database) -> Runtime:
    """The process's runtime for ``db``, reloaded when another playbook was made active."""
    current: Runtime | None = db.cache.get("runtime")
    now = clock.monotonic()
    if current is not None and now - current.checked_at < PLAYBOOK_CHECK_S:
        return current
    with _LOCK:
        with db.read() as session:
            active_id = session.exec(select(PlaybookVersion.id).where(col(PlaybookVersion.active))).first()
        if current is not None and current.playbook_version_id == active_id:
            current.checked_at = now
            return current
        playbook = playbooks.active(db)
        assert active_id is not None
        fresh = Runtime(
            playbook=playbook,
            playbook_version_id=active_id,
            sql=statements(db.engine.dialect.name),
            script_versions=playbooks.current_versions(db)["script"],
            windows={name: playbook.calling_window(name) for name in playbook.windows},
            holidays=frozenset(playbook.holidays),
            checked_at=now,
        )
        db.cache["runtime"] = fresh
        return fresh


def zones(db: Database, rt: Runtime, connection: Any) -> list[str]:
    """The customers' time zones, refreshed every minute (an index scan of ``customer.time_zone``)."""
    now = clock.monotonic()
    if not rt.zones or now - rt.zones_at > ZONES_CHECK_S:
        rt.zones = sorted(z for (z,) in connection.execute(rt.sql.zones).fetchall() if z)
        rt.zones_at = now
    return rt.zones


def facts_of(row: dict[str, Any]) -> Facts:
    """A customer row (raw driver values) as the queue rules' Facts."""
    t = Hot.from_db
    return Facts(
        stage=row["stage"],
        time_zone=row["time_zone"],
        segment=row["segment"],
        dnc=bool(row["dnc"]),
        value_tier=row["value_tier"],
        rfm_r=row["rfm_r"],
        rfm_f=row["rfm_f"],
        rfm_m=row["rfm_m"],
        churn_risk=row["churn_risk"],
        upsell_propensity=row["upsell_propensity"],
        purchases_count=row["purchases_count"],
        revenue_total=float(row["revenue_total"] or 0),
        last_purchase_at=t(row["last_purchase_at"]),
        last_contact_at=t(row["last_contact_at"]),
        stage_since=t(row["stage_since"]),
        last_nps=row["last_nps"],
        consent=None if row["consent"] is None else bool(row["consent"]),
        city=row["city"],
        region=row["region"],
        country=row["country"],
        source=row["source"],
        phones_left=len(callable_phones([row["phone"], row["alt_phone"]], row["wrong_phones"])),
    )


def entry_of(row: dict[str, Any]) -> EntryState:
    """A queue_entry row (raw driver values) as an EntryState."""
    t = Hot.from_db
    on = row["attempts_on"]
    return EntryState(
        strategy_id=row["strategy_id"],
        attempts_total=row["attempts_total"],
        attempts_today=row["attempts_today"],
        attempts_on=date.fromisoformat(on) if isinstance(on, str) else on,
        retries=row["retries"],
        not_before=t(row["not_before"]),
        last_attempt_at=t(row["last_attempt_at"]),
        last_reached_at=t(row["last_reached_at"]),
        last_outcome=row["last_outcome"],
        done_reason=row["done_reason"],
    )


def day_value(hot: Hot, day: date | None) -> Any:
    return None if day is None else (day.isoformat() if hot.sqlite else day)


def time_value(hot: Hot, moment: datetime | None) -> Any:
    return hot.to_db(moment)
