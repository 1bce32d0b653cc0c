"""An operator's state (ready, preview, on call, wrap-up, paused with a reason) and today's figures.

The state is one row per operator, updated in place: the live board reads it (DESIGN.md), and the status bar shows
how long the operator has been in it. A console also beats once every ``HEARTBEAT`` while it is open (only the
row's ``updated_at``); a console killed or cut off stops beating, and after ``SILENT`` the board shows that
operator offline instead of in whatever state the console last wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, cast, func, select, text  # select: sqlmodel's types at most four columns
from sqlmodel import col

from operator_tui.core import nps as nps_bands
from operator_tui.core.nps import NpsSummary
from operator_tui.core.roles import Role
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import AccountDeactivated, InvalidInput
from operator_tui.services.runtime import runtime
from operator_tui.store.coltypes import utcnow
from operator_tui.store.tables import Interaction, OperatorStatus, User

STATES = ("ready", "preview", "on call", "wrap-up", "paused", "offline")
HEARTBEAT = timedelta(minutes=1)
SILENT = 3 * HEARTBEAT  # two beats missed, and one more for a slow or busy database


@dataclass(frozen=True)
class Today:
    calls: int
    reached: int
    conversions: int
    nps: float | None  # the net promoter score of today's answers (-100..100), as the figures and reports count it


def set_state(
    db: Database,
    actor: Actor,
    state: str,
    *,
    reason: str | None = None,
    customer_id: int | None = None,
    strategy_id: str | None = None,
    now: datetime | None = None,
    since: datetime | None = None,
) -> datetime:
    """Record the operator's state; a pause needs one of the playbook's reasons. Returns when the state began:
    now, or ``since`` when an earlier state is taken up again (a call that goes on after its wrap-up began)."""
    actor.require(Role.OPERATOR, "Changing state")
    assert actor.user_id is not None
    if state not in STATES:
        raise InvalidInput(f"unknown state {state!r}")
    if state == "paused":
        codes = [r.code for r in runtime(db).playbook.pause_reasons]
        if reason not in codes:
            raise InvalidInput.said("a pause needs a reason: {reasons}", reasons=", ".join(codes))
    now = now or utcnow()
    if since is not None and since > now:
        raise InvalidInput("a state cannot begin in the future")
    with db.write() as s:
        row = s.get(OperatorStatus, actor.user_id) or OperatorStatus(user_id=actor.user_id)
        if row.state != state or row.reason != reason:
            row.since = since or now
        row.state, row.reason, row.customer_id, row.strategy_id, row.updated_at = (
            state,
            reason,
            customer_id,
            strategy_id,
            now,
        )
        s.add(row)
        return row.since


def heartbeat(db: Database, actor: Actor, now: datetime | None = None) -> None:
    """The console is still there: one indexed update of the operator's row, no change of state. Refused when the
    account was deactivated meanwhile (services.accounts), so a console left signed in stops there: the beat is
    where a running console learns it (the saves themselves never refuse a call already made)."""
    actor.require(Role.OPERATOR, "Reporting the console alive")
    now = now or utcnow()
    with db.write() as s:
        user = s.get(User, actor.user_id)
        if user is None or not user.active:
            raise AccountDeactivated.refusal()
        row = s.get(OperatorStatus, actor.user_id)
        if row is not None and row.state != "offline":
            row.updated_at = now
            s.add(row)


def today(db: Database, actor: Actor, day_start: datetime, now: datetime | None = None) -> Today:
    """Calls since ``day_start`` (the operator's local midnight): made, reached, conversions, and the NPS of their
    answers (promoters minus detractors, core.nps), the same number "My figures" and the reports show."""
    actor.require(Role.OPERATOR, "Reading your figures")
    now = now or utcnow()
    with db.read() as s:
        calls, reached, success, promoters, passives, detractors = s.execute(
            select(
                func.count(),
                func.sum(cast(col(Interaction.reached), Integer)),
                func.sum(cast(col(Interaction.success), Integer)),
                *(text(band) for band in nps_bands.sql_counts("interaction.nps")),
            ).where(
                col(Interaction.operator_id) == actor.user_id,
                col(Interaction.started_at) >= day_start,
                col(Interaction.started_at) < now + timedelta(seconds=1),
            )
        ).one()
    answers = NpsSummary(int(promoters or 0), int(passives or 0), int(detractors or 0))
    return Today(calls or 0, int(reached or 0), int(success or 0), answers.nps)
