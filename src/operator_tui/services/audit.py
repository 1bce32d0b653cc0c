"""Write an audit entry inside the caller's transaction, so the entry exists exactly when the change does."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from operator_tui.services.context import Actor
from operator_tui.store.tables import AuditEntry


def audit(session: Session, actor: Actor, action: str, entity: str, entity_id: object = None, **detail: Any) -> None:
    session.add(
        AuditEntry(
            user_id=actor.user_id,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            detail=json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True) if detail else None,
        )
    )
