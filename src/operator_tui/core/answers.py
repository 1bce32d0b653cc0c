"""Typed answers to script questions: parse what the operator typed, refuse what does not fit, and branch.

One place decides what a valid answer is (NPS 0..10, a scale's range, an option of a choice, a date...), so
the TUI, the import of history and the recording service can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from operator_tui.core.playbook.models import Node, QuestionType, Script
from operator_tui.core.playbook.variables import ANSWER, ANSWERS_PREFIX
from operator_tui.core.text import localize

AnswerValue = int | float | bool | str | date | list[str] | None

_YES = {"y", "yes", "true", "1", "д", "да"}
_NO = {"n", "no", "false", "0", "н", "нет"}


class AnswerError(ValueError):
    """The typed answer does not fit the question; the message says what would. ``kind`` and ``facts`` say the same
    as data, so that a front end can put it in the user's language."""

    def __init__(self, message: str, kind: str = "", **facts: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.facts = facts


def parse_answer(node: Node, raw: Any, *, required: bool | None = None, today: date | None = None) -> AnswerValue:
    """Turn raw input (text from a field, or an already typed value) into the question's type. An empty answer is
    refused when the question is required (``required`` overrides the question's own flag). A date question's
    ``min`` and ``max`` count days from ``today``, the call's day (``min: 0``: not in the past); without
    ``today`` they are not checked (answers of calls long past, read back)."""
    qtype = node.type
    if qtype is None:
        raise AnswerError(f"{node.id!r} is not a question", "not_question")
    empty = raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []
    if empty:
        if node.required if required is None else required:
            raise AnswerError("an answer is required", "required")
        return None
    text = raw.strip() if isinstance(raw, str) else raw
    if qtype in (QuestionType.NPS, QuestionType.SCALE):
        low, high = (0, 10) if qtype is QuestionType.NPS else (node.scale or (0, 10))
        try:
            value = int(text)
        except (TypeError, ValueError):
            raise AnswerError(f"enter a whole number from {low} to {high}", "whole", low=low, high=high) from None
        if not low <= value <= high:
            raise AnswerError(f"{value} is outside {low}..{high}", "outside", value=value, low=low, high=high)
        return value
    if qtype is QuestionType.YESNO:
        if isinstance(text, bool):
            return text
        word = str(text).lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
        raise AnswerError("answer y (yes) or n (no)", "yesno")
    if qtype is QuestionType.NUMBER:
        try:
            number = float(str(text).replace(",", ".").replace(" ", ""))
        except ValueError:
            raise AnswerError(f"{text!r} is not a number", "not_number", text=str(text)) from None
        if node.min is not None and number < node.min:
            raise AnswerError(f"the number must be at least {node.min:g}", "min", min=f"{node.min:g}")
        if node.max is not None and number > node.max:
            raise AnswerError(f"the number must be at most {node.max:g}", "max", max=f"{node.max:g}")
        return int(number) if number.is_integer() else number
    if qtype is QuestionType.DATE:
        if isinstance(text, date):
            day = text
        else:
            try:
                day = date.fromisoformat(str(text))
            except ValueError:
                raise AnswerError(f"enter a date like 2026-12-31, not {text!r}", "date", text=str(text)) from None
        return _within(node, day, today)
    values = [o.value for o in node.options]
    if qtype is QuestionType.SINGLE:
        return _option(node, text, values)
    if qtype is QuestionType.MULTI:
        items = text if isinstance(text, list) else [p for p in str(text).replace(",", " ").split() if p]
        chosen = [_option(node, item, values) for item in items]
        return sorted(set(chosen), key=values.index)
    return str(text)


def _within(node: Node, day: date, today: date | None) -> date:
    """The date if it lies within the question's days from ``today``; AnswerError naming the first or last day."""
    if today is None:
        return day
    if node.min is not None and day < (first := today + timedelta(days=int(node.min))):
        raise AnswerError(f"the date must be {first.isoformat()} or later", "date_min", first=first.isoformat())
    if node.max is not None and day > (last := today + timedelta(days=int(node.max))):
        raise AnswerError(f"the date must be {last.isoformat()} or earlier", "date_max", last=last.isoformat())
    return day


def _option(node: Node, text: Any, values: list[str]) -> str:
    """An option by its value or by its number (1-based, as the operator presses it)."""
    key = str(text).strip()
    if key in values:
        return key
    if key.isdigit() and 1 <= int(key) <= len(values):
        return values[int(key) - 1]
    raise AnswerError(f"choose 1..{len(values)} ({', '.join(values)})", "choose", last=len(values))


def answer_variables(answers: Mapping[str, AnswerValue], current: str | None = None) -> dict[str, Any]:
    """The names branch conditions see: ``answers.<node>`` for every answer and ``answer`` for ``current``."""
    names: dict[str, Any] = {f"{ANSWERS_PREFIX}{k}": v for k, v in answers.items()}
    if current is not None:
        names[ANSWER] = answers.get(current)
    return names


def next_node(
    script: Script, node: Node, answers: Mapping[str, AnswerValue], customer: Mapping[str, Any]
) -> Node | None:
    """The node after ``node`` given the answers so far; None at an end node."""
    if node.end:
        return None
    names = {**customer, **answer_variables(answers, node.id if node.is_question else None)}
    for branch in node.next:
        if branch.when is None or branch.when.test(names):
            return script.node(branch.goto)
    return None  # unreachable for a checked playbook: the last branch has no condition


def storage(value: AnswerValue) -> tuple[str | None, float | None]:
    """How an answer is stored: (text, number) columns of the answer table."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return ("yes" if value else "no"), float(value)
    if isinstance(value, int | float):
        return str(value), float(value)
    if isinstance(value, date):
        return value.isoformat(), None
    if isinstance(value, list):
        return ",".join(value), None
    return value, None


def shown_answer(node: Node | None, stored: str | None, language: str) -> str:
    """A stored answer as the operator chose it: the option's label for a choice (each one for a multiple
    choice), in ``language``; anything else, or an option the script no longer has, as stored."""
    if not stored:
        return ""
    if node is None or not node.options:
        return stored
    labels = {option.value: localize(option.label, language) or option.value for option in node.options}
    if node.type is QuestionType.MULTI:
        return ", ".join(labels.get(value, value) for value in stored.split(","))
    return labels.get(stored, stored)


def answered(script: Script | None, given: Iterable[tuple[str, str | None]], language: str) -> list[tuple[str, str]]:
    """(question, answer) of a past call as the operator saw them, in the order given as (node id, stored text):
    the question's words and the chosen options' labels; the ids and codes when the script has them no more."""
    nodes = {node.id: node for node in script.nodes} if script is not None else {}
    shown = []
    for node_id, stored in given:
        node = nodes.get(node_id)
        question = (localize(node.ask, language) if node is not None else "") or node_id
        shown.append((question, shown_answer(node, stored, language)))
    return shown
