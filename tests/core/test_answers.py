from datetime import date

import pytest

from operator_tui.core.answers import AnswerError, next_node, parse_answer, storage
from operator_tui.core.playbook.models import Node, Script


def node(**kw) -> Node:
    return Node.model_validate({"id": "q", "ask": "?", "next": "end", **kw})


@pytest.mark.parametrize(
    ("kw", "raw", "expected"),
    [
        ({"type": "nps"}, "10", 10),
        ({"type": "nps"}, 0, 0),
        ({"type": "scale", "scale": [1, 5]}, "4", 4),
        ({"type": "yesno"}, "y", True),
        ({"type": "yesno"}, "нет", False),
        ({"type": "number", "min": 0}, "1 500,5", 1500.5),
        ({"type": "date"}, "2026-12-31", date(2026, 12, 31)),
        ({"type": "single", "options": ["Price", "Quality"]}, "2", "quality"),
        ({"type": "multi", "options": ["Price", "Quality", "Delivery"]}, "3 1", ["price", "delivery"]),
        ({"type": "text"}, "  fine  ", "fine"),
        ({"type": "text"}, "", None),
    ],
)
def test_parses_typed_answers(kw, raw, expected):
    assert parse_answer(node(**kw), raw) == expected


@pytest.mark.parametrize(
    ("kw", "raw", "message"),
    [
        ({"type": "nps"}, "11", "outside 0..10"),
        ({"type": "nps"}, "-1", "outside 0..10"),
        ({"type": "nps"}, "seven", "whole number from 0 to 10"),
        ({"type": "scale", "scale": [1, 5]}, "0", "outside 1..5"),
        ({"type": "text", "required": True}, "   ", "an answer is required"),
        ({"type": "yesno"}, "maybe", "answer y"),
        ({"type": "number", "max": 10}, "11", "at most 10"),
        ({"type": "date"}, "31.12.2026", "like 2026-12-31"),
        ({"type": "single", "options": ["A", "B"]}, "3", "choose 1..2"),
    ],
)
def test_refuses_answers_that_do_not_fit(kw, raw, message):
    with pytest.raises(AnswerError, match=message):
        parse_answer(node(**kw), raw)


def test_a_date_questions_bounds_count_days_from_the_call():
    start = node(type="date", min=0, max=90)
    today = date(2026, 12, 2)
    assert parse_answer(start, "2026-12-02", today=today) == today
    assert parse_answer(start, "2027-03-02", today=today) == date(2027, 3, 2)
    with pytest.raises(AnswerError, match="2026-12-02 or later") as past:
        parse_answer(start, "1926-12-02", today=today)
    assert (past.value.kind, past.value.facts) == ("date_min", {"first": "2026-12-02"})
    with pytest.raises(AnswerError, match="2027-03-02 or earlier"):
        parse_answer(start, "2027-03-03", today=today)
    assert parse_answer(start, "1926-12-02") == date(1926, 12, 2)  # a call read back: not the day to judge it


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"type": "text", "min": 0}, "belong to number and date questions"),
        ({"type": "date", "min": 0.5}, "whole days from the call's day"),
        ({"type": "text", "records_consent": True}, "belongs to yes/no questions"),
    ],
)
def test_bounds_only_where_they_mean_something(kw, message):
    with pytest.raises(ValueError, match=message):
        node(**kw)


def test_branches_on_the_answer_and_on_earlier_answers():
    script = Script.model_validate(
        {
            "id": "s",
            "nodes": [
                {"id": "nps", "ask": "?", "type": "nps", "next": "ok"},
                {
                    "id": "ok",
                    "ask": "?",
                    "type": "yesno",
                    "next": [{"when": "answers.nps <= 6", "goto": "why"}, {"goto": "bye"}],
                },
                {"id": "why", "ask": "?", "type": "text", "next": "bye"},
                {"id": "bye", "say": "bye", "end": True},
            ],
        }
    )
    assert next_node(script, script.node("ok"), {"nps": 3, "ok": True}, {}).id == "why"
    assert next_node(script, script.node("ok"), {"nps": 9, "ok": True}, {}).id == "bye"
    assert next_node(script, script.node("bye"), {}, {}) is None


def test_storage_form():
    assert storage(True) == ("yes", 1.0)
    assert storage(7) == ("7", 7.0)
    assert storage(["a", "b"]) == ("a,b", None)
    assert storage(None) == (None, None)
