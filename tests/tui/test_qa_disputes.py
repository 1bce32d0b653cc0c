"""Disputes with real keys: an operator reads their review and disputes it (once); a supervisor resolves it."""

from __future__ import annotations

from operator_tui.services import qa_disputes, qa_reviews
from operator_tui.services.database import Database
from operator_tui.tui.app import OperatorTuiApp
from operator_tui.tui.screens.disputes import DisputesScreen
from operator_tui.tui.screens.my_reviews import MyReviewsScreen
from operator_tui.tui.screens.note import NotePrompt
from operator_tui.tui.screens.operator import OperatorHome
from operator_tui.tui.screens.resolve import ResolveDialog
from operator_tui.tui.screens.review import ReviewScreen
from operator_tui.tui.widgets.checklist import ChecklistPanel
from tests.conftest import actor
from tests.tui.console import SMALL, console_app, signed_in
from tests.tui.pilots import record_notifications, text
from tests.tui.qa import disputed, sampled, submitted


def bindings(app: OperatorTuiApp) -> set[str]:
    return {active.binding.id or "" for active in app.screen.active_bindings.values()}


async def test_an_operator_reads_their_review_and_disputes_it_once(db: Database) -> None:
    rows = sampled(db)
    review = rows[-1].id
    submitted(db, review, probing=0)
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "op01")
        assert isinstance(app.screen, OperatorHome)
        await keys("m")
        assert isinstance(app.screen, MyReviewsScreen)
        assert "Your QA average this month: 85." in text(pilot, "#qa-message")
        assert app.screen.query_one("#my-reviews").row_count == 1  # the drafts are not the operator's to see
        await keys("enter")
        assert isinstance(app.screen, ReviewScreen)
        # Read only: nothing that scores is offered, and digits change nothing.
        assert not {"review.submit", "review.comment", "review.overall", "checklist.na", "checklist.clear"} & bindings(
            app
        )
        assert "review.dispute" in bindings(app)
        await keys("0", "backspace")
        assert "Your review is read only" in text(pilot, "#qa-message")
        assert app.screen.query_one(ChecklistPanel).marks["intro"] == 1
        await keys("d", "enter")
        assert isinstance(app.screen, NotePrompt)
        assert "Say what you dispute and why." in text(pilot, "#note-message")
        await keys(*"I did ask what to improve", "enter")
        assert f"Your dispute of review #{review} is sent" in notes.text()
        assert "Disputed · open" in text(pilot, "#review-score")
        # One dispute per review: d is dimmed now, and pressing it opens nothing.
        assert not app.screen.check_action("dispute", ())
        await keys("d")
        assert isinstance(app.screen, ReviewScreen)
        await keys("escape")
        assert isinstance(app.screen, MyReviewsScreen)
        await keys("d")  # on the list, d says why nothing opens
        assert isinstance(app.screen, MyReviewsScreen)
        assert f"Review #{review} is already disputed." in notes.text()
    [dispute] = qa_disputes.disputes(db, actor(db, "op01"))
    assert (dispute.review_id, dispute.status, dispute.reason) == (review, "open", "I did ask what to improve")


async def test_an_operator_cannot_reach_scoring(db: Database) -> None:
    rows = sampled(db)
    submitted(db, rows[-1].id)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "op01")
        home = bindings(app)
        assert not any(binding.startswith(("supervisor.", "review.")) for binding in home)
        await keys("m", "enter")
        assert isinstance(app.screen, ReviewScreen) and not app.screen.editable
        await keys("1", "n", "ctrl+s", "c", "o")
        assert isinstance(app.screen, ReviewScreen)  # no comment or overall dialog opened
    view = qa_reviews.open_review(db, actor(db, "op01"), rows[-1].id)
    assert view.row.score == 100.0 and view.comment == "Clear and polite"


async def test_a_supervisor_resolves_a_dispute_with_a_rescore(db: Database) -> None:
    rows = sampled(db)
    review = rows[-1].id
    submitted(db, review, probing=0)
    disputed(db, review)
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "sup01")
        await keys("d")
        assert isinstance(app.screen, DisputesScreen)
        assert "I did ask what to improve" in text(pilot, "#dispute-detail")
        await keys("enter")
        assert isinstance(app.screen, ResolveDialog)
        await keys("ctrl+s")
        assert "Choose a decision first" in text(pilot, "#note-message")
        await keys("enter")  # the decisions have the focus: Enter takes the first, Accept
        assert "Choose a decision first" not in text(pilot, "#note-message")  # answered: the hint is gone
        await keys("tab", *"The question was asked", "ctrl+s")
        assert "Accepting a dispute re-scores the items in question: give the new marks" in notes.text()
        assert isinstance(app.screen, ResolveDialog)  # still open, with the note typed
        await keys("shift+tab", "right", "enter")  # Partly accept
        await keys("tab", "tab")
        items = app.screen.query_one(ChecklistPanel)
        assert items.has_focus and items.item_id == "intro"
        await keys("down", "down", "down", "2")
        assert items.marks["probing"] == 2 and "was 0" in str(items.get_option("item-probing").prompt)
        await keys("ctrl+s")
        assert isinstance(app.screen, DisputesScreen)
        assert "Dispute #1: partly accepted; the new review is #" in notes.text()
        assert "partly accepted" in text(pilot, "#dispute-detail")
        await keys("v")  # the disputed review: re-scored, and it says which review counts now
        assert isinstance(app.screen, ReviewScreen)
        successor = qa_reviews.review_queue(db, actor(db, "sup01"), "2026-11", "submitted")[0].id
        assert f"re-scored · the score that counts is review #{successor} (g opens it)" in text(pilot, "#review-score")
        await keys("g")
        assert isinstance(app.screen, ReviewScreen) and app.screen.review_id == successor
        await keys("escape")
        assert isinstance(app.screen, ReviewScreen) and app.screen.review_id == review  # back to the old one
    [row] = qa_disputes.disputes(db, actor(db, "sup01"))
    assert row.status == "partly_accepted" and row.resolution == "The question was asked"
    fresh = qa_reviews.review_queue(db, actor(db, "sup01"), "2026-11", "submitted")
    assert [(r.score, r.dispute) for r in fresh] == [(100.0, "partly_accepted")]  # the re-score shows its dispute


async def test_a_review_past_its_dispute_window_is_refused_before_the_reason_is_written(db: Database) -> None:
    from datetime import timedelta

    from tests.queue.helpers import MONDAY
    from tests.tui.qa import FULL

    review = sampled(db)[-1].id
    sup = actor(db, "sup01")
    for item, mark in FULL.items():
        qa_reviews.mark(db, sup, review, item, mark)
    qa_reviews.submit(db, sup, review, now=MONDAY - timedelta(days=20))
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "op01")
        await keys("m", "d")
        assert isinstance(app.screen, MyReviewsScreen)  # no reason box: it would be written for nothing
        assert f"Review #{review} was submitted 20 days ago: disputes are taken within 14 days" in notes.text()
    assert qa_disputes.disputes(db, actor(db, "op01")) == []
