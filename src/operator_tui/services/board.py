"""The live board: every operator's state and how long they have been in it, and the queue's depth, for a
supervisor's screen refreshed every few seconds.

Cheap at a thousand operators: one read of the operator state table (a row per operator), and the queue depth by
tier and strategy counted through the ready sets' indexes, each count stopping at ``CAP``.

An operator whose console has not been heard of for ``operators.SILENT`` (no state change, no heartbeat) is
offline since the last time it was: a killed app or a cut line never leaves someone "on call" for ever.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from operator_tui.core.roles import Role
from operator_tui.core.text import localize
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.operators import SILENT
from operator_tui.services.queue_explain import CAP
from operator_tui.services.runtime import runtime
from operator_tui.store.coltypes import utcnow


@dataclass(frozen=True)
class OperatorOnBoard:
    login: str
    name: str
    team: str | None
    state: str
    reason: str | None
    since: datetime | None
    strategy: str | None


@dataclass(frozen=True)
class Board:
    at: datetime
    operators: list[OperatorOnBoard]
    states: dict[str, int]
    depth: dict[str, dict[str, int]]  # strategy -> {"fresh": n, "due": n, "waiting": n} (each counted up to CAP)
    callbacks_due: int
    tasks_open: int
    capped: int = CAP


def board(db: Database, actor: Actor, now: datetime | None = None, *, team_only: bool = False) -> Board:
    """The floor: every active operator's state, and the queue's depth; ``team_only``, the operators of the
    reader's own team (a team lead's view; the queue and the work waiting stay the floor's)."""
    actor.require(Role.SUPERVISOR, "Reading the live board")
    now = now or utcnow()
    rt = runtime(db)
    hot, p = db.hot, rt.sql.param
    at = hot.to_db(now)
    with hot.connection() as conn, hot.reading(conn):
        rows = conn.execute(
            "SELECT u.login, u.full_name, t.name, coalesce(s.state, 'offline'), s.reason, s.since, s.strategy_id, "
            "s.updated_at "
            "FROM user_account u LEFT JOIN operator_status s ON s.user_id = u.id LEFT JOIN team t ON t.id = u.team_id "
            "WHERE u.role = 'operator' AND u.active"
            + (f" AND u.team_id = {p('team')}" if team_only and actor.team_id is not None else "")
            + " ORDER BY t.name, u.login",
            {"team": actor.team_id},
        ).fetchall()
        depth: dict[str, dict[str, int]] = {}
        for strategy in rt.playbook.strategies:
            counts = {}
            for name, predicate in (
                ("fresh", "phase = 'fresh' AND leased_by IS NULL"),
                ("due", f"phase = 'wait' AND leased_by IS NULL AND ready_at <= {p('now')}"),
                ("waiting", f"phase = 'wait' AND leased_by IS NULL AND ready_at > {p('now')}"),
            ):
                counts[name] = conn.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM queue_entry WHERE strategy_id = {p('s')} AND {predicate} "
                    f"LIMIT {CAP}) AS capped",
                    {"s": strategy.id, "now": at},
                ).fetchone()[0]
            depth[localize(strategy.label, actor.language) or strategy.id] = counts
        callbacks = conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM callback WHERE status = 'open' AND due_at <= {p('now')} "
            f"LIMIT {CAP}) AS capped",
            {"now": at},
        ).fetchone()[0]
        tasks = conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM task WHERE status = 'open' LIMIT {CAP}) AS capped"
        ).fetchone()[0]
    operators = []
    for login, name, team, state, reason, since, strategy_id, heard in rows:
        last_heard = hot.from_db(heard)
        if state != "offline" and last_heard is not None and now - last_heard > SILENT:
            state, reason, since, strategy_id = "offline", None, heard, None
        operators.append(OperatorOnBoard(login, name, team, state, reason, hot.from_db(since), strategy_id))
    states: dict[str, int] = {}
    for o in operators:
        states[o.state] = states.get(o.state, 0) + 1
    return Board(now, operators, states, depth, callbacks, tasks)
