"""Calibration: several reviewers score the same call blind; when all have, the spread per item and the share of
items they agreed on show whether the checklist is read the same way by everyone (seed 000). Calibration scores
never count in the operator's results (qa_reviews.COUNTED leaves them out).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from operator_tui.core.qa_score import NA
from operator_tui.core.roles import Role
from operator_tui.core.text import localize
from operator_tui.services.audit import audit
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import InvalidInput, NotAllowed, NotFound
from operator_tui.services.qa_reviews import checklist_of, latest_checklist_version
from operator_tui.services.runtime import runtime
from operator_tui.store.coltypes import utcnow
from operator_tui.store.tables import Calibration, Interaction, ItemScore, Review, User


@dataclass(frozen=True)
class ItemAgreement:
    item_id: str
    text: str
    marks: dict[str, str]  # reviewer login -> mark as shown ("2", "n/a")
    spread: float  # max - min of the numeric marks, as a share of the item's scale (0 = all agree)
    agreed: bool


@dataclass(frozen=True)
class CalibrationResult:
    calibration_id: int
    reviewers: list[str]
    scores: dict[str, float | None]
    items: list[ItemAgreement]
    agreement: float  # percent of items on which every reviewer gave the same mark


def start(
    db: Database,
    actor: Actor,
    interaction_id: int,
    reviewers: list[str],
    note: str | None = None,
    now: datetime | None = None,
) -> int:
    """Open a calibration on a call for at least two reviewers; each gets a blind draft review."""
    actor.require(Role.SUPERVISOR, "Starting a calibration")
    names = sorted({r.strip().lower() for r in reviewers if r.strip()})
    if len(names) < 2:
        raise InvalidInput.said("a calibration needs at least two reviewers")
    pb = runtime(db).playbook
    with db.write() as s:
        call = s.get(Interaction, interaction_id)
        if call is None:
            raise NotFound.said("no call #{call}", call=interaction_id)
        users = s.exec(select(User).where(col(User.login).in_(names))).all()
        missing = sorted(set(names) - {u.login for u in users})
        if missing or any(u.role == Role.OPERATOR.value for u in users):
            raise InvalidInput.said(
                "reviewers must be supervisors or admins; not: {names}", names=", ".join(missing or names)
            )
        strategy = next((st for st in pb.strategies if st.id == call.strategy_id), None)
        checklist_id = strategy.checklist if strategy and strategy.checklist else pb.checklists[0].id
        version = latest_checklist_version(s, checklist_id)
        calibration = Calibration(
            interaction_id=interaction_id, checklist_version_id=version, created_by=actor.user_id or 0, note=note
        )
        s.add(calibration)
        s.flush()
        for user in users:
            s.add(
                Review(
                    interaction_id=interaction_id,
                    checklist_version_id=version,
                    operator_id=call.operator_id,
                    reviewer_id=user.id or 0,
                    kind="calibration",
                    calibration_id=calibration.id,
                    status="draft",
                )
            )
        audit(s, actor, "qa.calibration", "calibration", calibration.id, reviewers=names)
        return calibration.id or 0


def result(db: Database, actor: Actor, calibration_id: int) -> CalibrationResult:
    """The comparison, once every reviewer has submitted; until then a clear refusal saying how many have."""
    actor.require(Role.SUPERVISOR, "Reading a calibration")
    lang = actor.language
    with db.write() as s:
        calibration = s.get(Calibration, calibration_id)
        if calibration is None:
            raise NotFound.said("no calibration #{calibration}", calibration=calibration_id)
        reviews = s.exec(select(Review).where(Review.calibration_id == calibration_id)).all()
        logins = {u.id: u.login for u in s.exec(select(User))}
        if (
            actor.role is not Role.ADMIN
            and actor.user_id not in {r.reviewer_id for r in reviews}
            and calibration.created_by != actor.user_id
        ):
            raise NotAllowed.said("only the calibration's reviewers and its organiser read it")
        done = [r for r in reviews if r.status == "submitted"]
        if len(done) < len(reviews):
            raise InvalidInput.said(
                "{done} of {reviewers} reviewers have scored; results show when all have",
                done=len(done),
                reviewers=len(reviews),
            )
        checklist = checklist_of(s, calibration.checklist_version_id)
        marks = {
            r.reviewer_id: {i.item_id: i for i in s.exec(select(ItemScore).where(ItemScore.review_id == r.id))}
            for r in reviews
        }
        if calibration.status != "closed":
            calibration.status, calibration.closed_at = "closed", utcnow()
            s.add(calibration)
    items = []
    for item in checklist.items():
        shown: dict[str, str] = {}
        values: list[int] = []
        for review in reviews:
            score = marks[review.reviewer_id].get(item.id)
            text = NA if score is None or score.na else str(score.value)
            shown[logins.get(review.reviewer_id, "?")] = "n/a" if text == NA else text
            if score is not None and not score.na and score.value is not None:
                values.append(score.value)
        low, high = item.scale
        spread = (max(values) - min(values)) / (high - low) if values else 0.0
        items.append(
            ItemAgreement(item.id, localize(item.text, lang), shown, round(spread, 3), len(set(shown.values())) == 1)
        )
    agreement = round(100 * sum(i.agreed for i in items) / len(items), 1) if items else 100.0
    return CalibrationResult(
        calibration_id,
        [logins.get(r.reviewer_id, "?") for r in reviews],
        {logins.get(r.reviewer_id, "?"): r.score for r in reviews},
        items,
        agreement,
    )
