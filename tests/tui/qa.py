"""Helpers for the quality-review tests: reviewed calls with fixed details (stable snapshots), a built sample."""

from __future__ import annotations

import uuid
from datetime import timedelta

from operator_tui.core.qa_score import ItemMark
from operator_tui.services import calls, qa_disputes, qa_reviews, queue
from operator_tui.services.database import Database
from operator_tui.services.qa_reviews import ReviewRow
from tests.conftest import actor
from tests.queue.helpers import MONDAY, NPS_ANSWERS, place_all
from tests.tui.console import add

MONTH = "2026-11"
FULL: dict[str, ItemMark] = {
    "intro": 1,
    "verbatim": 1,
    "no-leading": 1,
    "probing": 2,
    "recorded": 1,
    "thanks": 1,
    "tone": 5,
}
"""Full marks on the NPS survey call checklist, in its order."""

PEOPLE = [
    ("Anna", "Smirnova", "+74950000001"),
    ("Boris", "Petrov", "+74950000002"),
    ("Vera", "Ivanova", "+74950000003"),
]


def surveyed_calls(db: Database, login: str = "op01", count: int = 3) -> None:
    """``count`` NPS survey calls by ``login``, ten minutes apart from Monday 10:00 Moscow, each 3 minutes long."""
    for first, last, phone in PEOPLE[:count]:
        add(db, first, last, phone, stage="retention")
    place_all(db, MONDAY)
    who = actor(db, login)
    for n in range(count):
        start = MONDAY - timedelta(hours=2) + timedelta(minutes=10 * n)
        claim = queue.next_customer(db, who, now=MONDAY)
        data = calls.OutcomeInput.for_claim(
            claim,
            str(uuid.uuid4()),
            "SURVEYED",
            answers=NPS_ANSWERS,
            note="Happy with delivery" if n == 0 else None,
            started_at=start,
            answered_at=start + timedelta(seconds=12),
            ended_at=start + timedelta(minutes=3),
            wrapup_ended_at=start + timedelta(minutes=3, seconds=40),
            recording_ref=f"rec/2026-11-23/{n + 1:04}.ogg",
        )
        calls.record_outcome(db, who, data, now=MONDAY)


def sampled(db: Database) -> list[ReviewRow]:
    """Three calls of op01 drawn into the November sample for sup01; the queue as the service lists it."""
    surveyed_calls(db)
    sup = actor(db, "sup01")
    qa_reviews.build_sample(db, sup, MONTH, now=MONDAY)
    return qa_reviews.review_queue(db, sup, MONTH)


def submitted(db: Database, review_id: int, **changes: ItemMark) -> None:
    """Score a review fully (with ``changes``) and submit it, as sup01."""
    sup = actor(db, "sup01")
    for item, mark in {**FULL, **changes}.items():
        qa_reviews.mark(db, sup, review_id, item, mark, comment="said why" if mark == 0 else None)
    qa_reviews.submit(db, sup, review_id, overall="Clear and polite", now=MONDAY)


def disputed(db: Database, review_id: int, reason: str = "I did ask what to improve") -> int:
    return qa_disputes.open_dispute(db, actor(db, "op01"), review_id, reason, now=MONDAY + timedelta(hours=1))
