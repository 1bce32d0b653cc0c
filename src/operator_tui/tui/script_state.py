"""Where a call is in its script: the path walked so far, the answers given, going on and going back.

Pure state, no Textual and no I/O, so every rule of the runner is testable without a screen. Parsing and branching
are core's (``core.answers.parse_answer`` / ``next_node``), the same code the recording service validates with,
so the screen can never accept an answer the service would refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from operator_tui.core.answers import AnswerError, AnswerValue, next_node, parse_answer, storage
from operator_tui.core.playbook import Node, QuestionType, Script


class ScriptRun:
    """One call's walk through ``script``; ``variables`` are the customer's, for branch conditions."""

    def __init__(self, script: Script, variables: Mapping[str, Any] | None = None, today: date | None = None) -> None:
        self.script = script
        self.today = today  # the customer's day: a date question's bounds count from it
        self.variables = dict(variables or {})
        self.path: list[Node] = [script.start]
        self.values: dict[str, AnswerValue] = {}  # every answer given, kept when going back

    @property
    def node(self) -> Node:
        return self.path[-1]

    @property
    def at_end(self) -> bool:
        return self.node.end

    @property
    def position(self) -> int:
        """The current question's place among the questions asked so far (0 for the first)."""
        return sum(1 for node in self.path[:-1] if node.is_question)

    def previous(self) -> AnswerValue:
        """The answer the current question had before the operator came back to it, if any."""
        return self.values.get(self.node.id)

    def answer(self, raw: Any) -> AnswerValue:
        """Answer the current question and move on; AnswerError (nothing changes) if it does not fit."""
        node = self.node
        if not node.is_question:
            raise AnswerError("this line is read out, not answered: Enter goes on")
        value = parse_answer(node, raw, today=self.today)
        self.values[node.id] = value
        self._forward()
        return value

    def proceed(self) -> None:
        """Past a line that is only read out."""
        if self.node.is_question:
            raise AnswerError("answer the question first")
        if not self.at_end:
            self._forward()

    def back(self) -> bool:
        """To the previous question (or the first line); False when already at the start."""
        if len(self.path) == 1:
            return False
        self.path.pop()
        while len(self.path) > 1 and not self.node.is_question:
            self.path.pop()
        return True

    def answers(self) -> dict[str, AnswerValue]:
        """The answers on the path walked, in order: what the call says (answers off the path are not)."""
        return {node.id: self.values.get(node.id) for node in self.path[:-1] if node.is_question}

    def typed_answers(self) -> dict[str, str]:
        """The answers as the recording service takes them (node id -> text); unanswered optional ones left out."""
        return {node_id: text for node_id, value in self.answers().items() if (text := as_text(value)) is not None}

    def restore(self, typed: Mapping[str, str]) -> int:
        """Walk forward through a saved draft as far as its answers go; returns how many were taken back."""
        taken = 0
        for _ in range(len(self.script.nodes) + 1):
            node = self.node
            if node.end:
                break
            if not node.is_question:
                if not any(n.is_question and n.id in typed for n in self._ahead()):
                    break
                self.proceed()
            elif node.id in typed:
                try:
                    self.answer(typed[node.id])
                except AnswerError:
                    break
                taken += 1
            else:
                break
        return taken

    def _ahead(self) -> list[Node]:
        index = next(i for i, n in enumerate(self.script.nodes) if n.id == self.node.id)
        return self.script.nodes[index + 1 :]

    def _forward(self) -> None:
        following = next_node(self.script, self.node, self._branch_answers(), self.variables)
        if following is not None:
            self.path.append(following)

    def _branch_answers(self) -> dict[str, AnswerValue]:
        known = {node.id: self.values.get(node.id) for node in self.path if node.is_question}
        return {k: v for k, v in known.items() if v is not None}


def as_text(value: AnswerValue) -> str | None:
    """An answer as it is stored and sent: ``9``, ``quality``, ``yes``, ``2026-12-31``, ``a,b``."""
    return storage(value)[0]


def digit_range(node: Node) -> tuple[int, int] | None:
    """The numbers a question takes by digit keys: NPS 0..10, a scale's range, a choice's option numbers."""
    if node.type is QuestionType.NPS:
        return 0, 10
    if node.type is QuestionType.SCALE:
        return node.scale or (0, 10)
    if node.type in (QuestionType.SINGLE, QuestionType.MULTI):
        return 1, len(node.options)
    return None


def wants_more_digits(node: Node, typed: str) -> bool:
    """Whether ``typed`` digits may still grow into a valid answer: ``1`` on a 0..10 question could be 10.

    No timers: the operator ends a short number with Enter, and a digit that cannot grow answers at once.
    """
    bounds = digit_range(node)
    if bounds is None or not typed or typed.startswith("0"):
        return False
    return int(typed + "0") <= bounds[1]


def customer_variables(card: Any, now: datetime) -> dict[str, Any]:
    """What branch conditions may read about the customer, as far as the card tells it.

    The card does not carry every variable a strategy condition can use (RFM, attempts, consent): those read as
    ``none`` here, which the expression language allows.
    """
    last_purchase = getattr(card, "last_purchase_at", None)
    return {
        "stage": card.stage,
        "segment": card.segment,
        "value_tier": card.value_tier,
        "churn_risk": card.churn_risk,
        "last_nps": card.last_nps,
        "purchases_count": card.purchases,
        "revenue_total": card.revenue,
        "days_since_last_purchase": None if last_purchase is None else (now - last_purchase).days,
    }
