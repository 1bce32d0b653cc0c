"""Disputes: an operator contests a review with a reason; the reviewer or a supervisor accepts it, partly
accepts it (both re-score the items in question) or rejects it. Every step is kept as history; a re-score is a
new review that supersedes the old one, so the original marks stay readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from operator_tui.core.qa_score import ItemMark, ScoreError, score_review
from operator_tui.core.roles import Role
from operator_tui.services.audit import audit
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import InvalidInput, NotAllowed, NotFound
from operator_tui.services.qa_reviews import COUNTED, checklist_of, marks_of, visible_operators
from operator_tui.services.runtime import runtime
from operator_tui.store.coltypes import utcnow
from operator_tui.store.tables import Dispute, DisputeEvent, ItemScore, Review, User

DECISIONS = ("accepted", "partly_accepted", "rejected")


@dataclass(frozen=True)
class DisputeRow:
    id: int
    review_id: int
    operator: str
    status: str
    reason: str
    created_at: datetime
    resolution: str | None
    history: list[tuple[datetime, str, str, str | None]]  # (at, who, action, note)


def open_dispute(db: Database, actor: Actor, review_id: int, reason: str, now: datetime | None = None) -> int:
    """The operator contests one of their own submitted reviews, once, within the playbook's window."""
    actor.require(Role.OPERATOR, "Disputing a review")
    if not reason.strip():
        raise InvalidInput.said("say what you dispute and why")
    now = now or utcnow()
    with db.write() as s:
        _check_disputable(db, s, actor, review_id, now)
        dispute = Dispute(review_id=review_id, operator_id=actor.user_id or 0, reason=reason.strip(), created_at=now)
        s.add(dispute)
        s.flush()
        s.add(
            DisputeEvent(
                dispute_id=dispute.id or 0, at=now, user_id=actor.user_id or 0, action="opened", note=reason.strip()
            )
        )
        audit(s, actor, "qa.dispute", "review", review_id)
        return dispute.id or 0


def check_disputable(db: Database, actor: Actor, review_id: int, now: datetime | None = None) -> None:
    """Refuse as ``open_dispute`` would, before the operator writes a reason for nothing."""
    actor.require(Role.OPERATOR, "Disputing a review")
    with db.read() as s:
        _check_disputable(db, s, actor, review_id, now or utcnow())


def _check_disputable(db: Database, s: Session, actor: Actor, review_id: int, now: datetime) -> None:
    review = s.get(Review, review_id)
    if review is None:
        raise NotFound.said("no review #{review}", review=review_id)
    if review.operator_id != actor.user_id:
        raise NotAllowed.said("you can dispute only reviews of your own calls")
    if review.status != "submitted" or review.kind not in COUNTED:
        raise InvalidInput.said("only a submitted review of your call can be disputed")
    if s.exec(select(Dispute.id).where(Dispute.review_id == review_id)).first() is not None:
        raise InvalidInput.said("review #{review} is already disputed", review=review_id)
    # A review is argued while the call is remembered; after the window the score stands (the playbook's
    # qa.dispute_within, 14 days unless it says otherwise).
    within = runtime(db).playbook.qa.dispute_within
    submitted = review.submitted_at
    if submitted is not None and now - submitted > within:
        raise InvalidInput.said(
            "review #{review} was submitted {days} days ago: disputes are taken within {within} days",
            review=review_id,
            days=(now - submitted).days,
            within=within.days,
        )


def resolve(
    db: Database,
    actor: Actor,
    dispute_id: int,
    decision: str,
    note: str,
    rescore: dict[str, ItemMark] | None = None,
    now: datetime | None = None,
) -> int | None:
    """Decide a dispute; accepting (fully or partly) needs the changed marks and returns the new review's id."""
    actor.require(Role.SUPERVISOR, "Resolving a dispute")
    if decision not in DECISIONS:
        raise InvalidInput.said("decide one of: {decisions}", decisions=", ".join(DECISIONS))
    if not note.strip():
        raise InvalidInput.said("explain the decision to the operator")
    if decision != "rejected" and not rescore:
        raise InvalidInput.said("accepting a dispute re-scores the items in question: give the new marks")
    now = now or utcnow()
    with db.write() as s:
        dispute = s.get(Dispute, dispute_id)
        if dispute is None:
            raise NotFound.said("no dispute #{dispute}", dispute=dispute_id)
        if dispute.status != "open":
            raise InvalidInput.said("dispute #{dispute} is already settled", dispute=dispute_id)
        review = s.get(Review, dispute.review_id)
        assert review is not None
        scope = visible_operators(s, actor)
        if scope is not None and review.operator_id not in scope and review.reviewer_id != actor.user_id:
            raise NotAllowed.said("this dispute is of an operator outside your team")
        new_id = None
        if decision != "rejected" and rescore:
            checklist = checklist_of(s, review.checklist_version_id)
            old = {i.item_id: i for i in s.exec(select(ItemScore).where(ItemScore.review_id == review.id))}
            before = marks_of(old.values())
            marks = {**before, **rescore}
            try:
                result = score_review(checklist, marks)
            except ScoreError as exc:
                raise InvalidInput(str(exc)) from None
            fresh = Review(
                interaction_id=review.interaction_id,
                checklist_version_id=review.checklist_version_id,
                operator_id=review.operator_id,
                reviewer_id=actor.user_id or 0,
                kind=review.kind,
                sample_month=review.sample_month,
                status="submitted",
                score=result.score,
                critical_failed=result.critical_failed,
                comment=note.strip(),
                created_at=now,
                submitted_at=now,
                supersedes_id=review.id,
            )
            s.add(fresh)
            s.flush()
            # A mark the dispute changed says why in the decision's words: the reviewer's first comment argued
            # for the old mark (and an item re-scored to the bottom of its scale is explained, as on submit).
            changed = {k for k, v in rescore.items() if before.get(k) != v}
            for item_id, value in marks.items():
                comment = note.strip() if item_id in changed else (old[item_id].comment if item_id in old else None)
                s.add(
                    ItemScore(
                        review_id=fresh.id or 0,
                        item_id=item_id,
                        na=value == "na",
                        value=value if isinstance(value, int) else None,
                        comment=comment,
                    )
                )
            review.status = "superseded"
            s.add(review)
            new_id = fresh.id
        dispute.status, dispute.resolved_by, dispute.resolved_at = decision, actor.user_id, now
        dispute.resolution_note, dispute.rescored_review_id = note.strip(), new_id
        s.add(dispute)
        s.add(
            DisputeEvent(dispute_id=dispute_id, at=now, user_id=actor.user_id or 0, action=decision, note=note.strip())
        )
        audit(s, actor, "qa.resolve", "dispute", dispute_id, decision=decision)
        return new_id


def disputes(db: Database, actor: Actor, status: str | None = None) -> list[DisputeRow]:
    """Disputes ``actor`` may see (an operator: their own; a supervisor: their team's; QA and admins: all)."""
    actor.require(Role.OPERATOR, "Reading disputes")
    with db.read() as s:
        query = select(Dispute).order_by(col(Dispute.created_at).desc())
        if status:
            query = query.where(Dispute.status == status)
        scope = visible_operators(s, actor)
        rows = [d for d in s.exec(query) if scope is None or d.operator_id in scope]
        logins = {u.id: u.login for u in s.exec(select(User))}
        events = {}
        for d in rows:
            events[d.id] = [
                (e.at, logins.get(e.user_id, "?"), e.action, e.note)
                for e in s.exec(
                    select(DisputeEvent).where(DisputeEvent.dispute_id == d.id).order_by(col(DisputeEvent.at))
                )
            ]
        return [
            DisputeRow(
                d.id or 0,
                d.review_id,
                logins.get(d.operator_id, "?"),
                d.status,
                d.reason,
                d.created_at,
                d.resolution_note,
                events[d.id],
            )
            for d in rows
        ]
