"""Calibration with real keys: start one on a call, score blind in the review screen, results once all have."""

from __future__ import annotations

from textual.widgets import DataTable

from operator_tui.services import qa_reviews, qa_sessions
from operator_tui.services.database import Database
from operator_tui.tui.screens.calibration_result import CalibrationResultScreen
from operator_tui.tui.screens.calibrations import CalibrationsScreen
from operator_tui.tui.screens.review import ReviewScreen
from operator_tui.tui.screens.reviewers import ReviewerPicker
from tests.conftest import actor
from tests.tui.console import SMALL, console_app, signed_in
from tests.tui.pilots import record_notifications, text
from tests.tui.qa import FULL, sampled


async def test_start_score_blind_then_compare(db: Database) -> None:
    sampled(db)
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "sup01")
        await keys("c")
        assert isinstance(app.screen, ReviewerPicker)
        await keys("enter")  # only the organiser is ticked: one reviewer is not a calibration
        assert "Tick at least 2 reviewers" in text(pilot, "#note-message")
        await keys("space", "enter")  # the highlight starts on the first one not ticked: admin
        assert "Calibration #1 started for sup01, admin" in notes.text()
        await keys("k")
        assert isinstance(app.screen, CalibrationsScreen)
        assert "1 to score blind" in text(pilot, "#qa-message")
        await keys("v")
        assert isinstance(app.screen, CalibrationResultScreen)
        assert "Still blind: 0 of 2 reviewers have scored" in text(pilot, "#qa-message")
        await keys("escape", "enter")  # the session is still ours to score: the review screen opens on it
        assert isinstance(app.screen, ReviewScreen) and app.screen.sub_title == "Calibration (blind)"
        await keys("1", "1", "1", "2", "1", "1", "5", "ctrl+s", "ctrl+s")  # asked, then submitted
        assert "is submitted: 100." in notes.text()
        await keys("escape")
        assert isinstance(app.screen, CalibrationsScreen)
        await keys("enter")  # scored now: Enter shows the results, still blind for one more reviewer
        assert "1 of 2 reviewers have scored" in text(pilot, "#qa-message")

        admin = actor(db, "admin")
        [session] = qa_sessions.calibrations(db, admin)
        assert (session.scored, session.reviewers) == (1, [("admin", "draft"), ("sup01", "submitted")])
        review_id = _review_of(db, "admin", session.id)
        for item, mark in {**FULL, "tone": 4}.items():
            qa_reviews.mark(db, admin, review_id, item, mark)
        qa_reviews.submit(db, admin, review_id)

        await keys("escape", "v")
        assert "Agreement 85.7 % of items · scores: admin 97.5 · sup01 100" in text(pilot, "#qa-message")
        table = app.screen.query_one(DataTable)
        tone = table.get_row("tone")
        assert [str(cell) for cell in tone[1:]] == ["4", "5", "25 %", "no"]


def _review_of(db: Database, login: str, calibration_id: int) -> int:
    """The blind review of ``login`` in the session, as they would find it on their calibrations screen."""
    row = next(r for r in qa_sessions.calibrations(db, actor(db, login)) if r.id == calibration_id)
    assert row.own_review_id is not None
    return row.own_review_id
