"""What the QA screens read in their workers besides the QA services: the playbook's names for outcomes,
strategies and checklists in the reader's language, and the people a supervisor may pick.

Every function here calls services and may be slow: call them from thread workers only.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from operator_tui.core.placeholders import fill
from operator_tui.core.playbook import Checklist
from operator_tui.core.roles import Role
from operator_tui.core.text import localize
from operator_tui.services import accounts
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.qa_reviews import ItemMarkView, ReviewView
from operator_tui.services.runtime import runtime


@dataclass(frozen=True)
class Labels:
    """Outcome codes and strategy ids -> their names in one language; unknown ones read as they are."""

    outcomes: dict[str, str] = field(default_factory=dict)
    strategies: dict[str, str] = field(default_factory=dict)

    def outcome(self, code: str | None) -> str:
        return "" if code is None else self.outcomes.get(code, code)

    def strategy(self, strategy_id: str | None) -> str:
        return "" if strategy_id is None else self.strategies.get(strategy_id, strategy_id)


@dataclass(frozen=True)
class Person:
    login: str
    name: str
    role: str
    team: str | None

    def label(self, *, role: bool = True) -> str:
        """``Svetlana Supervisor (sup01) · supervisor · Team A``; without the role when all have the same."""
        parts = [f"{self.name} ({self.login})", self.role if role else "", self.team or ""]
        return " · ".join(part for part in parts if part)


def labels(db: Database, language: str) -> Labels:
    pb = runtime(db).playbook
    return Labels(
        outcomes={o.code: localize(o.label, language) for o in pb.outcomes},
        strategies={s.id: localize(s.label, language) or s.id for s in pb.strategies},
    )


def people(db: Database, actor: Actor) -> list[Person]:
    return [Person(u.login, u.name, u.role, u.team) for u in accounts.list_users(db, actor) if u.active]


def reviewers(db: Database, actor: Actor) -> list[Person]:
    """Who may score a calibration: supervisors and admins."""
    return [p for p in people(db, actor) if p.role != Role.OPERATOR.value]


def operators(db: Database, actor: Actor) -> list[Person]:
    """The operators ``actor`` oversees: their team's, or everyone's for the QA group and admins."""
    team = actor.team_name if actor.role is Role.SUPERVISOR else None
    return [p for p in people(db, actor) if p.role == Role.OPERATOR.value and (team is None or p.team == team)]


@dataclass(frozen=True)
class ChecklistChoice:
    id: str
    title: str
    checklist: Checklist


def checklists(db: Database, language: str) -> list[ChecklistChoice]:
    return [ChecklistChoice(c.id, localize(c.title, language) or c.id, c) for c in runtime(db).playbook.checklists]


def blank_items(checklist: Checklist, language: str) -> list[ItemMarkView]:
    """A checklist's items with no marks, as the checklist panel shows them."""
    return [
        ItemMarkView(
            item.id,
            localize(section.name, language),
            localize(item.text, language),
            item.scale,
            item.weight,
            item.critical,
            item.na,
            None,
            False,
            None,
        )
        for section in checklist.sections
        for item in section.items
    ]


def with_questions_filled(db: Database, view: ReviewView) -> ReviewView:
    """The call's questions as the operator read them: ``{company.name}`` and the names filled in.

    The review service gives the questions as the script has them; the names it knows (customer, operator,
    company) are enough for the placeholders scripts use in questions. Others stay visible as written.
    """
    call = view.call
    if call is None:
        return view
    pb = runtime(db).playbook
    first, _, last = call.customer.partition(" ")
    operator = view.row.operator_name or view.row.operator
    values = {
        "company.name": pb.company or pb.name,
        "customer.full_name": call.customer,
        "customer.first_name": first,
        "customer.last_name": last,
        "operator.name": operator,
        "operator.first_name": operator.split()[0] if operator.split() else operator,
    }
    answers = [(fill(question, values), answer) for question, answer in call.answers]
    return replace(view, call=replace(call, answers=answers))
