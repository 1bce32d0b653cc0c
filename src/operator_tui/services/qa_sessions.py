"""Calibration sessions as a reviewer finds them: which calls are being calibrated, who has scored, and which
blind draft is the reader's own, so a screen can open it for scoring and show the results when all have scored.

qa_calibration starts sessions and compares them; this module only lists them. It shows no marks: until every
reviewer has scored, a session is blind, and its list says no more than who has submitted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, or_, select

from operator_tui.core.roles import Role
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.store.tables import Calibration, Customer, Interaction, Review, User


@dataclass(frozen=True)
class CalibrationRow:
    id: int
    interaction_id: int
    call_at: datetime | None
    customer: str
    operator: str  # login of the operator whose call it is
    organiser: str
    note: str | None
    status: str  # open | closed
    reviewers: list[tuple[str, str]]  # (login, review status: draft | submitted), in login order
    own_review_id: int | None  # the reader's blind review in this session, if they are one of its reviewers
    own_status: str | None

    @property
    def scored(self) -> int:
        return sum(status == "submitted" for _, status in self.reviewers)


def calibrations(db: Database, actor: Actor, limit: int = 200) -> list[CalibrationRow]:
    """The sessions ``actor`` takes part in or organised (an admin: all), newest first, at most ``limit``."""
    actor.require(Role.SUPERVISOR, "Reading calibrations")
    with db.read() as s:
        query = select(Calibration).order_by(col(Calibration.id).desc())
        if actor.role is not Role.ADMIN:
            taking_part = select(Review.calibration_id).where(
                Review.reviewer_id == actor.user_id, col(Review.calibration_id).is_not(None)
            )
            query = query.where(or_(col(Calibration.created_by) == actor.user_id, col(Calibration.id).in_(taking_part)))
        sessions = s.exec(query.limit(limit)).all()
        if not sessions:
            return []
        ids = [c.id for c in sessions]
        reviews = s.exec(select(Review).where(col(Review.calibration_id).in_(ids))).all()
        calls = {
            i.id: i
            for i in s.exec(select(Interaction).where(col(Interaction.id).in_([c.interaction_id for c in sessions])))
        }
        customers = {
            c.id: c
            for c in s.exec(select(Customer).where(col(Customer.id).in_([i.customer_id for i in calls.values()])))
        }
        logins = {u.id: u.login for u in s.exec(select(User))}
    rows = []
    for session in sessions:
        own = [r for r in reviews if r.calibration_id == session.id]
        call = calls.get(session.interaction_id)
        customer = customers.get(call.customer_id) if call else None
        mine = next((r for r in own if r.reviewer_id == actor.user_id), None)
        rows.append(
            CalibrationRow(
                id=session.id or 0,
                interaction_id=session.interaction_id,
                call_at=call.started_at if call else None,
                customer=f"{customer.first_name} {customer.last_name}".strip() if customer else "?",
                operator=logins.get(call.operator_id, "?") if call else "?",
                organiser=logins.get(session.created_by, "?"),
                note=session.note,
                status=session.status,
                reviewers=sorted((logins.get(r.reviewer_id, "?"), r.status) for r in own),
                own_review_id=mine.id if mine else None,
                own_status=mine.status if mine else None,
            )
        )
    return rows
