"""Scoring a review with real keys: marks saved as they are typed, refusals in place, submit, read only after."""

from __future__ import annotations

from operator_tui.services import qa_reviews
from operator_tui.services.database import Database
from operator_tui.tui.app import OperatorTuiApp
from operator_tui.tui.screens.note import NotePrompt
from operator_tui.tui.screens.review import ReviewScreen
from operator_tui.tui.screens.supervisor import SupervisorHome
from operator_tui.tui.widgets.checklist import ChecklistPanel
from tests.conftest import actor
from tests.tui.console import SMALL, console_app, signed_in
from tests.tui.pilots import record_notifications, text
from tests.tui.qa import sampled


def panel(app: OperatorTuiApp) -> ChecklistPanel:
    return app.screen.query_one(ChecklistPanel)


def bindings(app: OperatorTuiApp) -> set[str]:
    return {active.binding.id or "" for active in app.screen.active_bindings.values()}


async def test_score_item_by_item_then_submit(db: Database) -> None:
    rows = sampled(db)
    first = rows[0].id  # drafts first, newest call first: the one the cursor starts on
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "sup01")
        assert isinstance(app.screen, SupervisorHome)
        assert "3 to do · 0 submitted" in text(pilot, "#qa-message")
        await keys("enter")
        assert isinstance(app.screen, ReviewScreen) and app.screen.review_id == first
        assert panel(app).item_id == "intro"
        await keys("1")  # intro: set, and on to the next item
        assert panel(app).item_id == "verbatim"
        await keys("n")  # verbatim cannot be N/A: refused, nothing set
        assert "cannot be N/A" in text(pilot, "#qa-message") and panel(app).marks["verbatim"] is None
        await keys("7")  # off the 0–1 scale: refused
        assert "7 is off this item's scale" in text(pilot, "#qa-message")
        assert panel(app).marks["verbatim"] is None and panel(app).item_id == "verbatim"
        await keys("1", "1", "2")  # verbatim, no-leading, probing (0–2)
        await keys("up", "c")  # back to probing (a mark moves on) to comment it
        assert isinstance(app.screen, NotePrompt)
        await keys(*"asked well", "enter")
        await keys("ctrl+s")  # recorded, thanks and tone are left: the service refuses
        assert "Score every item before submitting; 3 left: Recorded the answers correctly; Thanked the" in notes.text()
        assert panel(app).item_id == "recorded"  # the first item left is highlighted
        await keys("minus", "backspace")  # N/A, cleared again: the highlight moved on, so clear the next one
        view = qa_reviews.open_review(db, actor(db, "sup01"), first)
        marks = {item.item_id: ("na" if item.na else item.value) for item in view.items}
        assert marks == {
            "intro": 1,
            "verbatim": 1,
            "no-leading": 1,
            "probing": 2,
            "recorded": "na",
            "thanks": None,
            "tone": None,
        }
        assert next(i.comment for i in view.items if i.item_id == "probing") == "asked well"
        await keys("1", "4")  # thanks, tone (1–5)
        await keys("o", *"Clear and polite", "enter", "ctrl+s")
        assert "Submit with 97.5? The operator sees it at once and it is final. ^s again submits." in text(
            pilot, "#qa-message"
        )
        assert "is submitted" not in notes.text()
        await keys("ctrl+s")
        assert f"Review #{first} is submitted: 97.5." in notes.text()
        assert not panel(app).editable
        assert not {"review.submit", "review.comment", "checklist.na"} & bindings(app)
        await keys("3")
        assert "This review is submitted: read only." in text(pilot, "#qa-message")
        await keys("escape")
        assert isinstance(app.screen, SupervisorHome)
        assert "2 to do · 1 submitted" in text(pilot, "#qa-message")
        # The cursor stays in the to-do list, on the next review to score, not on the one just submitted.
        assert app.screen.table.current_id == rows[1].id
    done = qa_reviews.open_review(db, actor(db, "sup01"), first)
    assert (done.row.status, done.row.score, done.comment) == ("submitted", 97.5, "Clear and polite")


async def test_a_failed_critical_item_is_flagged_in_the_preview(db: Database) -> None:
    sampled(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "sup01")
        await keys("enter", "1", "0")  # verbatim (critical) at its minimum
        assert "Critical failure: the review scores 0" in text(pilot, "#review-score")
        await keys("up", "1")  # corrected
        assert "Preview 100" in text(pilot, "#review-score")


async def test_filter_and_build_the_sample_from_the_home(db: Database) -> None:
    from tests.tui.qa import surveyed_calls

    surveyed_calls(db)
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "sup01")
        assert "No reviews for November 2026 yet. Press s" in text(pilot, "#qa-message")
        await keys("s")
        assert "3 calls of 1 operator drawn for review." in notes.text()
        assert app.screen.query_one("#review-queue").row_count == 3
        await keys("s")
        assert "Nothing new to draw" in notes.text()
        await keys("f", "f")  # submitted only: none yet
        assert "No submitted reviews for November 2026." in text(pilot, "#qa-message")
        await keys("f")
        assert app.screen.query_one("#review-queue").row_count == 3


async def test_a_long_item_wraps_under_its_text_not_from_the_frame(db: Database) -> None:
    sampled(db)
    app = console_app(db)
    async with app.run_test(size=(100, 30)) as pilot:  # the checklist beside the call, narrow
        keys = await signed_in(pilot, "sup01")
        await keys("enter")
        checklist = panel(app)
        framed = [strip.text for strip in checklist.render_lines(checklist.region.reset_offset)]
        shown = [line[1:] for line in framed[1:-1]]  # inside the border
        assert any(line.startswith(" " * 6) and line.strip() for line in shown)  # some items do wrap here
        assert all(line.startswith(" ") for line in shown), shown  # none from the frame


async def test_a_change_after_the_submit_key_takes_its_question_or_refusal_away(db: Database) -> None:
    sampled(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "sup01")
        await keys("enter", "1", "0", "1", "2", "1", "1", "4")  # verbatim at the bottom of its scale, no comment
        await keys("ctrl+s")
        assert "1 without a comment" in text(pilot, "#qa-message")
        assert panel(app).item_id == "verbatim"
        await keys("c", *"read the survey in his own words", "enter")
        assert not app.screen.query_one("#qa-message").display  # the refusal no longer holds: gone
        await keys("ctrl+s")
        assert "Submit with 0 ✗? " in text(pilot, "#qa-message")  # a failed critical item
        await keys("up", "1")  # no-leading changed after the question
        assert not app.screen.query_one("#qa-message").display
        await keys("ctrl+s")  # asks again, with the new score: it does not submit
        assert "Submit with" in text(pilot, "#qa-message")
        assert qa_reviews.open_review(db, actor(db, "sup01"), app.screen.review_id).row.status == "draft"
