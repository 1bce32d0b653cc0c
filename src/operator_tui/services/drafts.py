"""Answers saved as the operator types them, so a crash or a quit loses nothing.

A draft is an answer row with ``final`` false, keyed by the attempt id the screen made for the call. Opening the
same customer again finds the draft and carries on; recording the outcome replaces drafts by final answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from operator_tui.core.answers import storage
from operator_tui.core.roles import Role
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.store.coltypes import utcnow
from operator_tui.store.tables import Answer, Interaction


@dataclass(frozen=True)
class Draft:
    attempt_id: str
    answers: dict[str, str] = field(default_factory=dict)  # node id -> what was typed
    saved_at: datetime | None = None


def save(
    db: Database,
    actor: Actor,
    *,
    attempt_id: str,
    customer_id: int,
    node_id: str,
    question_type: str,
    typed: Any,
    position: int,
    script_version_id: int | None = None,
) -> None:
    """Keep what was typed for one question (replacing what was typed before)."""
    actor.require(Role.OPERATOR, "Saving answers")
    assert actor.user_id is not None
    text, number = storage(typed)
    with db.write() as s:
        row = s.exec(select(Answer).where(Answer.attempt_id == attempt_id, Answer.node_id == node_id)).first()
        if row is not None and row.final:
            return  # the call was recorded meanwhile; its final answers stand
        row = row or Answer(
            attempt_id=attempt_id,
            customer_id=customer_id,
            operator_id=actor.user_id,
            node_id=node_id,
            question_type=question_type,
        )
        row.value_text, row.value_number, row.position = text, number, position
        row.script_version_id, row.answered_at, row.final = script_version_id, utcnow(), False
        s.add(row)


def drop(db: Database, actor: Actor, node_id: str, attempt_id: str) -> None:
    """Forget the draft answer of one question (the operator went back and cleared it)."""
    actor.require(Role.OPERATOR, "Saving answers")
    with db.write() as s:
        row = s.exec(
            select(Answer).where(
                Answer.attempt_id == attempt_id, Answer.node_id == node_id, col(Answer.final).is_(False)
            )
        ).first()
        if row is not None:
            s.delete(row)


def find(db: Database, actor: Actor, customer_id: int) -> Draft | None:
    """This operator's unsaved call with this customer, if there is one."""
    actor.require(Role.OPERATOR, "Reading answers")
    with db.read() as s:
        rows = s.exec(
            select(Answer).where(
                Answer.customer_id == customer_id, Answer.operator_id == actor.user_id, col(Answer.final).is_(False)
            )
        ).all()
        if not rows:
            return None
        latest = max(rows, key=lambda r: r.answered_at).attempt_id
        if s.exec(select(Interaction.id).where(Interaction.attempt_id == latest)).first() is not None:
            return None
    mine = sorted((r for r in rows if r.attempt_id == latest), key=lambda r: r.position)
    return Draft(latest, {r.node_id: r.value_text or "" for r in mine}, max(r.answered_at for r in mine))


def discard(db: Database, actor: Actor, attempt_id: str) -> None:
    """Forget a draft (the customer was skipped, nothing was said)."""
    actor.require(Role.OPERATOR, "Saving answers")
    with db.write() as s:
        for row in s.exec(select(Answer).where(Answer.attempt_id == attempt_id, col(Answer.final).is_(False))):
            s.delete(row)
