"""QA services: the monthly sample, scoring, submitting, calibration, disputes, test calls, who may do what."""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from operator_tui.core.qa_sample import Call, allocate, draw
from operator_tui.core.roles import Role
from operator_tui.services import accounts, auth, qa_calibration, qa_disputes, qa_reviews, queue
from operator_tui.services.context import SYSTEM
from operator_tui.services.errors import InvalidInput, NotAllowed
from tests.conftest import actor
from tests.queue.helpers import MONDAY, NPS_ANSWERS, add_customer, place_all, record

MONTH = "2026-11"
FULL = {"intro": 1, "verbatim": 1, "no-leading": 1, "probing": 2, "recorded": 1, "thanks": 1, "tone": 5}


def surveyed_calls(db, who, count: int) -> None:
    for _ in range(count):
        add_customer(db, stage="retention")
    place_all(db)
    for _ in range(count):
        claim = queue.next_customer(db, who, now=MONDAY)
        record(db, who, claim, "SURVEYED", answers=NPS_ANSWERS)


@pytest.fixture
def sampled(db, operator, supervisor):
    surveyed_calls(db, operator, 3)
    return qa_reviews.build_sample(db, supervisor, MONTH, now=MONDAY)


def test_allocation_gives_every_outcome_a_call_then_shares():
    assert allocate({"NOANSWER": 50, "SALE": 5, "COMPLAINT": 1}, 5) == {"NOANSWER": 3, "SALE": 1, "COMPLAINT": 1}
    assert allocate({"SURVEYED": 2}, 5) == {"SURVEYED": 2}


@given(st.dictionaries(st.sampled_from("ABCDEFG"), st.integers(1, 40), min_size=1), st.integers(1, 20))
def test_allocation_takes_exactly_the_sample_and_never_more_than_there_is(counts, size):
    plan = allocate(counts, size)
    assert sum(plan.values()) == min(size, sum(counts.values()))
    assert all(0 <= plan[o] <= counts[o] for o in counts)


def test_the_draw_is_reproducible():
    calls = [Call(i, i % 3, "SALE" if i % 4 else "SURVEYED") for i in range(60)]
    assert draw(calls, 5, 7, MONTH) == draw(calls, 5, 7, MONTH)
    assert draw(calls, 5, 7, MONTH) != draw(calls, 5, 8, MONTH)


def test_sample_is_built_once_for_the_team(db, operator, supervisor, sampled):
    assert (sampled.created, sampled.operators) == (3, 1)
    again = qa_reviews.build_sample(db, supervisor, MONTH, now=MONDAY)
    assert again.created == 0
    queue_rows = qa_reviews.review_queue(db, supervisor, MONTH)
    assert [r.status for r in queue_rows] == ["draft"] * 3 and {r.operator for r in queue_rows} == {"op01"}


def test_score_item_by_item_then_submit(db, supervisor, sampled):
    review = qa_reviews.review_queue(db, supervisor, MONTH)[0]
    view = qa_reviews.open_review(db, supervisor, review.id)
    assert view.editable and view.call is not None and view.call.nps == 9
    assert view.call.answers[0][0].startswith("How likely are you to recommend")
    assert [i.item_id for i in view.items] == list(FULL)
    with pytest.raises(InvalidInput, match=r"off its scale 1\.\.5"):
        qa_reviews.mark(db, supervisor, review.id, "tone", 7)
    with pytest.raises(InvalidInput, match="cannot be marked N/A"):
        qa_reviews.mark(db, supervisor, review.id, "verbatim", "na")
    for item, value in list(FULL.items())[:-1]:
        qa_reviews.mark(db, supervisor, review.id, item, value, comment="fine" if item == "intro" else None)
    with pytest.raises(InvalidInput, match="1 left: Polite and"):
        qa_reviews.submit(db, supervisor, review.id)
    qa_reviews.mark(db, supervisor, review.id, "tone", 5)
    result = qa_reviews.submit(db, supervisor, review.id, overall="Clear and polite")
    assert result.score == 100.0 and not result.critical_failed
    assert not qa_reviews.open_review(db, supervisor, review.id).editable
    with pytest.raises(InvalidInput, match="only drafts are scored"):
        qa_reviews.mark(db, supervisor, review.id, "tone", 4)


def test_operators_read_only_their_submitted_reviews_and_score_nothing(db, operator, supervisor, sampled):
    review = qa_reviews.review_queue(db, supervisor, MONTH)[0]
    with pytest.raises(NotAllowed):
        qa_reviews.open_review(db, operator, review.id)  # still a draft
    with pytest.raises(NotAllowed):
        qa_reviews.mark(db, operator, review.id, "tone", 5)
    with pytest.raises(NotAllowed):
        qa_reviews.review_queue(db, operator)
    _submit_full(db, supervisor, review.id)
    assert [r.id for r in qa_reviews.my_reviews(db, operator)] == [review.id]
    assert qa_reviews.my_reviews(db, actor(db, "op02")) == []
    with pytest.raises(NotAllowed):
        qa_reviews.open_review(db, actor(db, "op02"), review.id)


def _submit_full(db, who, review_id, **changes):
    for item, value in {**FULL, **changes}.items():
        qa_reviews.mark(db, who, review_id, item, value, comment="said why" if value == 0 else None)
    return qa_reviews.submit(db, who, review_id)


def test_a_failed_critical_item_zeroes_the_review(db, supervisor, sampled):
    review = qa_reviews.review_queue(db, supervisor, MONTH)[0]
    result = _submit_full(db, supervisor, review.id, verbatim=0)
    assert (result.score, result.critical_failed) == (0.0, True)


def test_a_review_is_disputed_within_the_playbooks_window(db, operator, supervisor, sampled):
    review = qa_reviews.review_queue(db, supervisor, MONTH)[0]
    for item, value in FULL.items():
        qa_reviews.mark(db, supervisor, review.id, item, value)
    qa_reviews.submit(db, supervisor, review.id, now=MONDAY)
    [mine] = [row for row in qa_reviews.my_reviews(db, operator) if row.id == review.id]
    assert mine.dispute_until == MONDAY + timedelta(days=14)  # the operator's list says until when
    late = MONDAY + timedelta(days=15)
    with pytest.raises(InvalidInput, match="submitted 15 days ago: disputes are taken within 14 days"):
        qa_disputes.open_dispute(db, operator, review.id, "I did ask", now=late)
    assert qa_disputes.open_dispute(db, operator, review.id, "I did ask", now=late - timedelta(days=2))


def test_an_item_at_the_bottom_of_its_scale_needs_a_comment(db, supervisor, sampled):
    """The operator reads why; without it the review is refused and stays a draft."""
    review = qa_reviews.review_queue(db, supervisor, MONTH)[0]
    for item, value in {**FULL, "verbatim": 0}.items():
        qa_reviews.mark(db, supervisor, review.id, item, value)
    with pytest.raises(InvalidInput, match="say why for each item scored at the bottom of its scale; 1 without") as no:
        qa_reviews.submit(db, supervisor, review.id)
    assert no.value.problems == ["verbatim"]
    with pytest.raises(InvalidInput, match="1 without a comment"):
        qa_reviews.check_submit(db, supervisor, review.id)  # what the screen asks first: the same refusal
    assert qa_reviews.review_queue(db, supervisor, MONTH)[0].status == "draft"
    qa_reviews.mark(db, supervisor, review.id, "verbatim", 0, comment="read the survey in his own words")
    assert qa_reviews.check_submit(db, supervisor, review.id).critical_failed
    assert qa_reviews.review_queue(db, supervisor, MONTH)[0].status == "draft"  # checked, not submitted
    assert qa_reviews.submit(db, supervisor, review.id).critical_failed


def test_dispute_once_then_partly_accepted_with_a_rescore_and_history(db, operator, supervisor, sampled):
    review = qa_reviews.review_queue(db, supervisor, MONTH)[0]
    _submit_full(db, supervisor, review.id, probing=0, tone=3)
    with pytest.raises(InvalidInput, match="say what you dispute"):
        qa_disputes.open_dispute(db, operator, review.id, " ")
    dispute_id = qa_disputes.open_dispute(db, operator, review.id, "I did ask what to improve")
    with pytest.raises(InvalidInput, match="already disputed"):
        qa_disputes.open_dispute(db, operator, review.id, "again")
    with pytest.raises(NotAllowed):
        qa_disputes.resolve(db, operator, dispute_id, "accepted", "no", {"probing": 2})
    with pytest.raises(InvalidInput, match="give the new marks"):
        qa_disputes.resolve(db, supervisor, dispute_id, "partly_accepted", "half right")
    new_id = qa_disputes.resolve(
        db, supervisor, dispute_id, "partly_accepted", "the question was asked", {"probing": 2}
    )
    assert new_id is not None
    rescored = qa_reviews.open_review(db, operator, new_id)
    assert rescored.row.score is not None and rescored.row.score > 0
    comments = {item.item_id: (item.value, item.comment) for item in rescored.items}
    # The changed mark is explained by the decision (its old comment argued for the 0); the others keep theirs.
    assert comments["probing"] == (2, "the question was asked")
    assert comments["tone"] == (3, None)
    [row] = qa_disputes.disputes(db, operator)
    assert row.status == "partly_accepted" and [h[2] for h in row.history] == ["opened", "partly_accepted"]
    [mine] = qa_reviews.my_reviews(db, operator)
    assert mine.id == new_id and mine.dispute == "partly_accepted"  # the re-score shows the dispute it settled
    with pytest.raises(InvalidInput, match="dispute #1 is already settled"):
        qa_disputes.resolve(db, supervisor, dispute_id, "rejected", "no")


def test_rejected_dispute_keeps_the_score(db, operator, supervisor, sampled):
    review = qa_reviews.review_queue(db, supervisor, MONTH)[0]
    _submit_full(db, supervisor, review.id, tone=2)
    dispute_id = qa_disputes.open_dispute(db, operator, review.id, "too harsh")
    assert qa_disputes.resolve(db, supervisor, dispute_id, "rejected", "the recording says otherwise") is None
    assert qa_reviews.open_review(db, operator, review.id).row.status == "submitted"


def test_calibration_is_blind_until_all_have_scored_and_never_counts(db, operator, supervisor, admin, sampled):
    accounts.create_user(db, SYSTEM, login_name="qa01", full_name="QA Lead", role=Role.SUPERVISOR, pin="3333")
    qa = actor(db, "sup01")
    review = qa_reviews.review_queue(db, supervisor, MONTH)[0]
    view = qa_reviews.open_review(db, supervisor, review.id)
    calibration = qa_calibration.start(db, qa, view.call.interaction_id, ["sup01", "qa01"])
    qa01 = auth.login(db, "qa01", "3333")
    _submit_full(db, supervisor, _calibration_review_id(db, calibration, "sup01"), tone=4)
    with pytest.raises(InvalidInput, match="1 of 2 reviewers have scored"):
        qa_calibration.result(db, supervisor, calibration)
    theirs = _calibration_review_id(db, calibration, "qa01")
    with pytest.raises(NotAllowed, match="calibration is blind"):
        qa_reviews.open_review(db, supervisor, theirs)
    _submit_full(db, qa01, theirs, tone=5)
    outcome = qa_calibration.result(db, supervisor, calibration)
    assert outcome.agreement == pytest.approx(100 * 6 / 7, abs=0.1)
    tone = next(i for i in outcome.items if i.item_id == "tone")
    assert (tone.marks, tone.spread, tone.agreed) == ({"sup01": "4", "qa01": "5"}, 0.25, False)
    assert qa_reviews.operator_average(db, operator, operator.user_id, MONTH) is None  # calibration never counts


def _calibration_review_id(db, calibration_id, login):
    from sqlmodel import select

    from operator_tui.store.tables import Review, User

    with db.read() as s:
        user = s.exec(select(User).where(User.login == login)).one()
        return s.exec(
            select(Review.id).where(Review.calibration_id == calibration_id, Review.reviewer_id == user.id)
        ).one()


def test_test_call_counts_in_the_operators_results(db, operator, supervisor):
    with pytest.raises(InvalidInput, match="describe the test call"):
        qa_reviews.test_call(db, supervisor, "op01", "nps-survey-call", FULL, " ")
    with pytest.raises(InvalidInput, match="1 left: Polite and"):
        qa_reviews.test_call(
            db,
            supervisor,
            "op01",
            "nps-survey-call",
            {k: v for k, v in FULL.items() if k != "tone"},
            "mystery shopper, 10:15",
        )
    qa_reviews.test_call(db, supervisor, "op01", "nps-survey-call", FULL, "mystery shopper, 10:15", now=MONDAY)
    assert qa_reviews.operator_average(db, operator, operator.user_id, MONTH) == 100.0
    with pytest.raises(NotAllowed):
        qa_reviews.operator_average(db, actor(db, "op02"), operator.user_id, MONTH)
    with pytest.raises(NotAllowed):
        qa_reviews.test_call(db, operator, "op02", "nps-survey-call", FULL, "x")


def test_a_review_counts_in_the_month_and_day_of_the_call_it_scores(db, operator, supervisor):
    """Scored (and re-scored after a dispute) in November, an October call's review stays in October's figures."""
    from datetime import date, datetime, timedelta

    from operator_tui.services import reports

    october_call = datetime(2026, 10, 5, 9, 0, tzinfo=MONDAY.tzinfo)
    add_customer(db, stage="retention")
    place_all(db)
    claim = queue.next_customer(db, operator, now=MONDAY)
    record(
        db,
        operator,
        claim,
        "SURVEYED",
        answers=NPS_ANSWERS,
        started_at=october_call,
        answered_at=october_call + timedelta(seconds=5),
        ended_at=october_call + timedelta(seconds=90),
    )
    qa_reviews.build_sample(db, supervisor, "2026-10", now=MONDAY)
    [review] = qa_reviews.review_queue(db, supervisor, "2026-10")
    _submit_full(db, supervisor, review.id, probing=0)
    first = qa_reviews.open_review(db, supervisor, review.id).row.score
    dispute_id = qa_disputes.open_dispute(db, operator, review.id, "I did ask what to improve")
    new_id = qa_disputes.resolve(db, supervisor, dispute_id, "partly_accepted", "it was asked", {"probing": 2})
    rescored = qa_reviews.open_review(db, supervisor, new_id).row.score
    assert rescored is not None and first is not None and rescored > first

    today = date(2026, 11, 23)
    october = reports.report(db, supervisor, reports.parse_period("2026-10", today), "operators")
    november = reports.report(db, supervisor, reports.parse_period("2026-11", today), "operators")
    assert october.total_qa == rescored  # the re-score replaced the first score, in the call's month
    assert november.total_qa is None
    by_day = reports.report(db, supervisor, reports.parse_period("2026-10-01..2026-10-31", today), "days")
    assert {name: qa for name, _, qa in by_day.rows if qa is not None} == {"2026-10-05": rescored}
    for by in ("stages", "strategies", "segments", "outcomes"):  # on the row of the scored call, as the total
        grouped = reports.report(db, supervisor, reports.parse_period("2026-10", today), by)
        assert [(figures.calls, qa) for _, figures, qa in grouped.rows] == [(1, rescored)], by
