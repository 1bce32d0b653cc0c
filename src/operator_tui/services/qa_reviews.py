"""Quality reviews: the monthly sample, the review queue, scoring a call item by item, submitting, test calls.

Who sees what: a supervisor with a team reviews that team's operators; a supervisor without a team is the QA
group and sees everyone, as does an admin; an operator reads only their own submitted reviews and scores nothing.
A review keeps the checklist version it was made with, so a later edit of the checklist never changes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from operator_tui.core.answers import answered
from operator_tui.core.playbook import Checklist, Playbook
from operator_tui.core.qa_sample import Call, draw
from operator_tui.core.qa_score import NA, ItemMark, ReviewScore, ScoreError, score_review
from operator_tui.core.roles import Role
from operator_tui.core.text import localize
from operator_tui.services.audit import audit
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import InvalidInput, NotAllowed, NotFound
from operator_tui.services.runtime import runtime
from operator_tui.store.coltypes import utcnow
from operator_tui.store.tables import (
    Answer,
    ChecklistVersion,
    Customer,
    Dispute,
    Interaction,
    ItemScore,
    Review,
    User,
)

COUNTED = ("sample", "supervisor", "test")  # kinds that count in an operator's results (never calibration)


@dataclass(frozen=True)
class ReviewRow:
    id: int
    operator: str
    operator_name: str
    reviewer: str
    kind: str
    status: str
    month: str | None
    score: float | None
    critical_failed: bool
    call_at: datetime | None
    outcome: str | None
    strategy: str | None
    dispute: str | None  # the dispute's status, if the operator disputed it
    dispute_until: datetime | None = None  # my_reviews: the last moment a dispute is taken (the playbook's window)


@dataclass(frozen=True)
class ItemMarkView:
    item_id: str
    section: str
    text: str
    scale: tuple[int, int]
    weight: float
    critical: bool
    na_allowed: bool
    value: int | None
    na: bool
    comment: str | None


@dataclass(frozen=True)
class CallView:
    interaction_id: int
    customer: str
    phone: str
    strategy: str | None
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    wrapup_ended_at: datetime | None
    outcome: str
    outcome_label: str
    nps: int | None
    note: str | None
    recording_ref: str | None
    answers: list[tuple[str, str]]  # (question, answer) in the order they were given


@dataclass(frozen=True)
class ReviewView:
    row: ReviewRow
    checklist_title: str
    items: list[ItemMarkView]
    comment: str | None
    call: CallView | None
    preview: ReviewScore
    editable: bool
    superseded_by: int | None = None  # the re-score that replaced this review after a dispute


def month_of(moment: datetime) -> str:
    return f"{moment:%Y-%m}"


def month_range(month: str) -> tuple[datetime, datetime]:
    try:
        start = datetime.strptime(month + "-01", "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInput.said("expected a month like 2026-11, got '{month}'", month=month) from None
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def visible_operators(session: Session, actor: Actor) -> set[int] | None:
    """The operators whose reviews ``actor`` may see: None for everyone, else a set of user ids."""
    if actor.role is Role.ADMIN or (actor.role is Role.SUPERVISOR and actor.team_id is None):
        return None
    if actor.role is Role.SUPERVISOR:
        ids = session.exec(select(User.id).where(User.team_id == actor.team_id)).all()
        return {i for i in ids if i is not None}
    return {actor.user_id} if actor.user_id is not None else set()


def checklist_of(session: Session, version_id: int) -> Checklist:
    version = session.get(ChecklistVersion, version_id)
    if version is None:
        raise NotFound.said("no checklist version #{version}", version=version_id)
    data = json.loads(version.definition)
    return Checklist.model_validate({**data, "version": version.version})


def checklist_of_db(db: Database, version_id: int) -> Checklist:
    with db.read() as session:
        return checklist_of(session, version_id)


def latest_checklist_version(session: Session, checklist_id: str) -> int:
    row = session.exec(
        select(ChecklistVersion.id)
        .where(ChecklistVersion.checklist_id == checklist_id)
        .order_by(col(ChecklistVersion.version).desc())
    ).first()
    if row is None:
        raise NotFound.said("no checklist '{checklist}' is loaded", checklist=checklist_id)
    return row


# -- the sample -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleReport:
    month: str
    created: int
    operators: int


def build_sample(db: Database, actor: Actor, month: str | None = None, now: datetime | None = None) -> SampleReport:
    """Draw the month's sample of reached calls for the operators ``actor`` oversees (idempotent)."""
    actor.require(Role.SUPERVISOR, "Building the review sample")
    now = now or utcnow()
    month = month or month_of(now)
    start, end = month_range(month)
    pb = runtime(db).playbook
    with db.write() as s:
        scope = visible_operators(s, actor)
        rows = s.exec(
            select(Interaction.id, Interaction.operator_id, Interaction.outcome_code, Interaction.strategy_id).where(
                col(Interaction.started_at) >= start,
                col(Interaction.started_at) < end,
                col(Interaction.reached),
                col(Interaction.is_test).is_(False),
            )
        ).all()
        checklists = {st.id: st.checklist for st in pb.strategies}
        calls = [
            Call(i or 0, op, outcome)
            for i, op, outcome, strategy in rows
            if (scope is None or op in scope) and checklists.get(strategy or "")
        ]
        strategy_of = {i: strategy for i, _, _, strategy in rows}
        already = set(
            s.exec(select(Review.interaction_id).where(Review.kind == "sample", Review.sample_month == month))
        )
        chosen = draw(calls, pb.qa.sample_per_operator, pb.qa.seed, month)
        supervisors = _team_supervisors(s)
        users = {u.id: u for u in s.exec(select(User))}
        created = 0
        for operator, interactions in chosen.items():
            for interaction_id in interactions:
                if interaction_id in already:
                    continue
                checklist_id = checklists[strategy_of[interaction_id] or ""]
                assert checklist_id is not None
                team = users[operator].team_id if operator in users else None
                s.add(
                    Review(
                        interaction_id=interaction_id,
                        checklist_version_id=latest_checklist_version(s, checklist_id),
                        operator_id=operator,
                        reviewer_id=supervisors.get(team, actor.user_id) or 0,
                        kind="sample",
                        sample_month=month,
                        status="draft",
                        created_at=now,
                    )
                )
                created += 1
        audit(s, actor, "qa.sample", "review", None, month=month, created=created)
    return SampleReport(month, created, len(chosen))


def _team_supervisors(session: Session) -> dict[int | None, int | None]:
    return {
        u.team_id: u.id
        for u in session.exec(select(User).where(User.role == Role.SUPERVISOR.value, col(User.team_id).is_not(None)))
    }


# -- reading ----------------------------------------------------------------------------------------------------


def review_queue(db: Database, actor: Actor, month: str | None = None, status: str | None = None) -> list[ReviewRow]:
    """The reviews ``actor`` may work on or read: their team's (or everyone's), newest calls first."""
    actor.require(Role.SUPERVISOR, "Reading the review queue")
    with db.read() as s:
        scope = visible_operators(s, actor)
        query = select(Review).where(Review.kind != "calibration", Review.status != "superseded")
        if month:
            query = query.where(Review.sample_month == month)
        if status:
            query = query.where(Review.status == status)
        reviews = [r for r in s.exec(query) if scope is None or r.operator_id in scope]
        return _rows(s, reviews)


def my_reviews(db: Database, actor: Actor) -> list[ReviewRow]:
    """An operator's own submitted reviews (calibration ones never count and are not shown), each with the time
    until which it may be disputed."""
    actor.require(Role.OPERATOR, "Reading your reviews")
    within = runtime(db).playbook.qa.dispute_within
    with db.read() as s:
        reviews = list(
            s.exec(
                select(Review).where(
                    Review.operator_id == actor.user_id, Review.status == "submitted", col(Review.kind).in_(COUNTED)
                )
            ).all()
        )
        until = {r.id: r.submitted_at + within for r in reviews if r.submitted_at is not None}
        return [replace(row, dispute_until=until.get(row.id)) for row in _rows(s, reviews)]


def _rows(s: Session, reviews: list[Review]) -> list[ReviewRow]:
    users = {u.id: u for u in s.exec(select(User))}
    calls = (
        {
            c.id: c
            for c in s.exec(
                select(Interaction).where(
                    col(Interaction.id).in_([r.interaction_id for r in reviews if r.interaction_id])
                )
            )
        }
        if reviews
        else {}
    )
    # A re-score after a dispute is a new review: it shows the dispute of the review it replaced, so the operator
    # sees the dispute won (accepted / partly accepted) on the row that now counts; a later dispute of the re-score
    # itself comes after it and wins.
    row_of = {r.supersedes_id: r.id for r in reviews if r.supersedes_id} | {r.id: r.id for r in reviews}
    disputes = (
        {
            row_of[d.review_id]: d.status
            for d in s.exec(select(Dispute).where(col(Dispute.review_id).in_(list(row_of))).order_by(col(Dispute.id)))
        }
        if reviews
        else {}
    )
    rows = []
    for r in reviews:
        call = calls.get(r.interaction_id)
        operator, reviewer = users.get(r.operator_id), users.get(r.reviewer_id)
        rows.append(
            ReviewRow(
                id=r.id or 0,
                operator=operator.login if operator else "?",
                operator_name=operator.full_name if operator else "?",
                reviewer=reviewer.login if reviewer else "?",
                kind=r.kind,
                status=r.status,
                month=r.sample_month,
                score=r.score,
                critical_failed=r.critical_failed,
                call_at=call.started_at if call else r.created_at,
                outcome=call.outcome_code if call else None,
                strategy=call.strategy_id if call else None,
                dispute=disputes.get(r.id or 0),
            )
        )
    rows.sort(key=lambda row: (row.status != "draft", -(row.call_at.timestamp() if row.call_at else 0)))
    return rows


def open_review(db: Database, actor: Actor, review_id: int) -> ReviewView:
    """The call and its checklist with the marks so far; read-only unless ``actor`` is its reviewer and it is a
    draft. Operators open only their own submitted reviews; a calibration review only by its own reviewer."""
    actor.require(Role.OPERATOR, "Opening a review")
    lang = actor.language
    with db.read() as s:
        review = s.get(Review, review_id)
        if review is None:
            raise NotFound.said("no review #{review}", review=review_id)
        _check_can_read(s, actor, review)
        checklist = checklist_of(s, review.checklist_version_id)
        scores = {i.item_id: i for i in s.exec(select(ItemScore).where(ItemScore.review_id == review_id))}
        call = _call_view(s, review.interaction_id, lang, runtime(db).playbook) if review.interaction_id else None
        row = _rows(s, [review])[0]
        successor = (
            s.exec(select(Review.id).where(Review.supersedes_id == review.id)).first()
            if review.status == "superseded"
            else None
        )
    items = []
    for section in checklist.sections:
        for item in section.items:
            mark = scores.get(item.id)
            items.append(
                ItemMarkView(
                    item.id,
                    localize(section.name, lang),
                    localize(item.text, lang),
                    item.scale,
                    item.weight,
                    item.critical,
                    item.na,
                    None if mark is None else mark.value,
                    bool(mark and mark.na),
                    mark.comment if mark else None,
                )
            )
    return ReviewView(
        row=row,
        checklist_title=localize(checklist.title, lang) or checklist.id,
        items=items,
        comment=review.comment,
        call=call,
        preview=score_review(checklist, marks_of(scores.values())),
        editable=review.status == "draft" and review.reviewer_id == actor.user_id,
        superseded_by=successor,
    )


def _check_can_read(s: Session, actor: Actor, review: Review) -> None:
    if actor.role is Role.OPERATOR:
        if review.operator_id != actor.user_id or review.status != "submitted" or review.kind not in COUNTED:
            raise NotAllowed.said("operators read only their own submitted reviews")
        return
    if review.kind == "calibration" and review.reviewer_id != actor.user_id and actor.role is not Role.ADMIN:
        raise NotAllowed.said("calibration is blind: you see the results when every reviewer has scored")
    scope = visible_operators(s, actor)
    if scope is not None and review.operator_id not in scope and review.reviewer_id != actor.user_id:
        raise NotAllowed.said("this review is of an operator outside your team")


def marks_of(scores: Iterable[ItemScore]) -> dict[str, ItemMark]:
    """A review's marks by item: a value on the item's scale or "na" (items not scored yet are left out)."""
    out: dict[str, ItemMark] = {}
    for score in scores:
        if score.na:
            out[score.item_id] = NA
        elif score.value is not None:
            out[score.item_id] = score.value
    return out


def _call_view(s: Session, interaction_id: int, lang: str, pb: Playbook) -> CallView | None:
    """The call as the reviewer needs it: who, when, which script path with every question and answer."""
    call = s.get(Interaction, interaction_id)
    if call is None:
        return None
    customer = s.get(Customer, call.customer_id)
    answers = s.exec(
        select(Answer).where(Answer.attempt_id == call.attempt_id, col(Answer.final)).order_by(col(Answer.position))
    ).all()
    outcome_label = call.outcome_code
    script = None
    try:
        outcome_label = localize(pb.outcome(call.outcome_code).label, lang)
        script = pb.script(pb.strategy(call.strategy_id or "").script)
    except StopIteration:
        pass  # a strategy or outcome the playbook no longer has: show the codes
    return CallView(
        interaction_id=interaction_id,
        customer=f"{customer.first_name} {customer.last_name}".strip() if customer else "?",
        phone=customer.phone if customer else "",
        strategy=call.strategy_id,
        started_at=call.started_at,
        answered_at=call.answered_at,
        ended_at=call.ended_at,
        wrapup_ended_at=call.wrapup_ended_at,
        outcome=call.outcome_code,
        outcome_label=outcome_label,
        nps=call.nps,
        note=call.note,
        recording_ref=call.recording_ref,
        answers=answered(script, [(a.node_id, a.value_text) for a in answers], lang),
    )


# -- scoring ----------------------------------------------------------------------------------------------------


def mark(
    db: Database, actor: Actor, review_id: int, item_id: str, value: ItemMark, comment: str | None = None
) -> ReviewScore:
    """Score one item (a value on its scale, "na", or None to clear it) of a draft review; returns the new preview."""
    actor.require(Role.SUPERVISOR, "Scoring a review")
    with db.write() as s:
        review = _own_draft(s, actor, review_id)
        checklist = checklist_of(s, review.checklist_version_id)
        existing = {i.item_id: i for i in s.exec(select(ItemScore).where(ItemScore.review_id == review_id))}
        marks = marks_of(existing.values())
        if value is None:
            marks.pop(item_id, None)
        else:
            marks[item_id] = value
        try:
            preview = score_review(checklist, marks)
        except ScoreError as exc:
            raise InvalidInput(str(exc)) from None
        row = existing.get(item_id) or ItemScore(review_id=review_id, item_id=item_id)
        row.na = value == NA
        row.value = value if isinstance(value, int) and not isinstance(value, bool) else None
        if comment is not None:
            row.comment = comment.strip() or None
        s.add(row)
        return preview


def comment(db: Database, actor: Actor, review_id: int, text: str) -> None:
    actor.require(Role.SUPERVISOR, "Commenting a review")
    with db.write() as s:
        review = _own_draft(s, actor, review_id)
        review.comment = text.strip() or None
        s.add(review)


def submit(
    db: Database, actor: Actor, review_id: int, overall: str | None = None, now: datetime | None = None
) -> ReviewScore:
    """Finish a review: every item scored or N/A, each at the bottom of its scale commented, else refused with
    the items in question."""
    actor.require(Role.SUPERVISOR, "Submitting a review")
    with db.write() as s:
        review, result = _ready_to_submit(s, actor, review_id)
        review.score, review.critical_failed = result.score, result.critical_failed
        review.status, review.submitted_at = "submitted", now or utcnow()
        if overall is not None:
            review.comment = overall.strip() or None
        s.add(review)
        audit(s, actor, "qa.submit", "review", review_id, score=result.score, critical=result.critical_failed)
        return result


def check_submit(db: Database, actor: Actor, review_id: int) -> ReviewScore:
    """The score ``submit`` would give, or its refusal, without submitting: what the screen asks to confirm."""
    actor.require(Role.SUPERVISOR, "Submitting a review")
    with db.read() as s:
        return _ready_to_submit(s, actor, review_id)[1]


def _ready_to_submit(s: Session, actor: Actor, review_id: int) -> tuple[Review, ReviewScore]:
    review = _own_draft(s, actor, review_id)
    checklist = checklist_of(s, review.checklist_version_id)
    scores = s.exec(select(ItemScore).where(ItemScore.review_id == review_id)).all()
    marks = marks_of(scores)
    result = score_review(checklist, marks)
    if result.unanswered:
        error = InvalidInput.said(
            "score every item before submitting; {count} left: {items}",
            **_left(checklist, result.unanswered, actor),
        )
        error.problems = list(result.unanswered)  # the review screen goes to the first
        raise error
    # An item at the bottom of its scale (a failed critical one fails the whole review) says why: the
    # operator reads it, and a dispute is argued over it.
    said = {score.item_id for score in scores if score.comment and score.comment.strip()}
    bare = [item.id for item in checklist.items() if marks.get(item.id) == item.scale[0] and item.id not in said]
    if bare:
        error = InvalidInput.said(
            "say why for each item scored at the bottom of its scale; {count} without a comment: {items}",
            **_left(checklist, bare, actor),
        )
        error.problems = bare
        raise error
    return review, result


def _own_draft(s: Session, actor: Actor, review_id: int) -> Review:
    review = s.get(Review, review_id)
    if review is None:
        raise NotFound.said("no review #{review}", review=review_id)
    if review.reviewer_id != actor.user_id and actor.role is not Role.ADMIN:
        raise NotAllowed.said("only the review's reviewer scores it")
    if review.status != "draft":
        raise InvalidInput.said("review #{review} is no longer a draft; only drafts are scored", review=review_id)
    return review


def test_call(
    db: Database,
    actor: Actor,
    operator_login: str,
    checklist_id: str,
    marks: dict[str, ItemMark],
    overall: str,
    now: datetime | None = None,
) -> int:
    """A mystery or test call made to an operator, scored against a checklist at once; counts in their results."""
    actor.require(Role.SUPERVISOR, "Recording a test call")
    if not overall.strip():
        raise InvalidInput.said("describe the test call (who called, when, what was asked)")
    with db.write() as s:
        operator = s.exec(select(User).where(User.login == operator_login.strip().lower())).first()
        if operator is None or operator.role != Role.OPERATOR.value:
            raise NotFound.said("no operator '{login}'", login=operator_login)
        scope = visible_operators(s, actor)
        if scope is not None and operator.id not in scope:
            raise NotAllowed.said("{login} is outside your team", login=operator.login)
        version = latest_checklist_version(s, checklist_id)
        checklist = checklist_of(s, version)
        try:
            result = score_review(checklist, marks)
        except ScoreError as exc:
            raise InvalidInput(str(exc)) from None
        if result.unanswered:
            error = InvalidInput.said(
                "score every item; {count} left: {items}", **_left(checklist, result.unanswered, actor)
            )
            error.problems = list(result.unanswered)  # the review screen goes to the first
            raise error
        review = Review(
            interaction_id=None,
            checklist_version_id=version,
            operator_id=operator.id or 0,
            reviewer_id=actor.user_id or 0,
            kind="test",
            status="submitted",
            score=result.score,
            critical_failed=result.critical_failed,
            comment=overall.strip(),
            created_at=now or utcnow(),
            submitted_at=now or utcnow(),
            sample_month=month_of(now or utcnow()),
        )
        s.add(review)
        s.flush()
        for item_id, value in marks.items():
            s.add(
                ItemScore(
                    review_id=review.id or 0,
                    item_id=item_id,
                    na=value == NA,
                    value=value if isinstance(value, int) else None,
                )
            )
        audit(s, actor, "qa.test_call", "review", review.id, operator=operator.login, score=result.score)
        return review.id or 0


def operator_average(db: Database, actor: Actor, operator_id: int, month: str) -> float | None:
    """An operator's QA average for a month: submitted sample, supervisor and test reviews; never calibration."""
    actor.require(Role.OPERATOR, "Reading QA results")
    if actor.role is Role.OPERATOR and actor.user_id != operator_id:
        raise NotAllowed.said("operators read only their own results")
    start, end = month_range(month)
    with db.read() as s:
        scores = s.exec(
            select(Review.score).where(
                Review.operator_id == operator_id,
                Review.status == "submitted",
                col(Review.kind).in_(COUNTED),
                col(Review.submitted_at) >= start,
                col(Review.submitted_at) < end,
            )
        ).all()
    values = [v for v in scores if v is not None]
    return round(sum(values) / len(values), 2) if values else None


def _left(checklist: Checklist, unanswered: Iterable[str], actor: Actor) -> dict[str, object]:
    """The facts of a "score every item" refusal: how many are left, and the first few by the words the reviewer
    sees on screen (not their ids)."""
    texts = {item.id: localize(item.text, actor.language) or item.id for item in checklist.items()}
    left = list(unanswered)
    items = "; ".join(texts.get(item, item) for item in left[:3]) + ("; …" if len(left) > 3 else "")
    return {"count": len(left), "items": items}
