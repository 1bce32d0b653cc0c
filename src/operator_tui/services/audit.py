"""Write an audit entry inside the caller's transaction, so the entry exists exactly when the change does."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from operator_tui.services.context import Actor
from operator_tui.store.tables import AuditEntry

ACTIONS = (
    "call.record", "queue.skip", "queue.close",
    "customer.erase", "customer.phones",
    "import.customers", "import.purchases", "export.customers", "export.interactions",
    "playbook.load", "rescore",
    "qa.sample", "qa.submit", "qa.dispute", "qa.resolve", "qa.calibration", "qa.test_call",
    "user.create", "user.login", "user.locked", "user.set_pin", "user.unlock", "user.deactivate", "user.activate",
    "user.team", "user.language",
)  # fmt: skip
"""Every action the log holds, so a filter can tell a mistyped action from one that did not happen."""


def known_action(action: str) -> bool:
    """Whether ``action`` names an action or a family of them (``user`` for user.create, user.login…)."""
    return any(a == action or a.startswith(f"{action}.") for a in ACTIONS)


def audit(session: Session, actor: Actor, action: str, entity: str, entity_id: object = None, **detail: Any) -> None:
    assert action in ACTIONS, f"audit action {action!r} is not in ACTIONS"
    session.add(
        AuditEntry(
            user_id=actor.user_id,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            detail=json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True) if detail else None,
        )
    )
