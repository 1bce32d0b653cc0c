"""Reading the audit log: who did what and when, filtered by time, person and action, newest first.

Everything a supervisor or admin changes (users, PINs, playbooks, imports, exports, QA reviews, disputes and
calibrations, erasures) and every skip an operator makes is written by the service that did it, in the same
transaction (services.audit). This module only reads, for the ``operator-tui audit`` report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from operator_tui.core.roles import Role
from operator_tui.services.audit import ACTIONS, known_action
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import InvalidInput
from operator_tui.store.tables import AuditEntry, User

MAX_ROWS = 100_000


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    login: str  # "system" for the command line
    action: str
    entity: str
    entity_id: str | None
    detail: dict[str, Any]
    subject: str | None = None  # the entity by name where it has one: the login of a user acted on

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "login": self.login,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "detail": self.detail,
            "subject": self.subject,
        }


def entries(
    db: Database,
    actor: Actor,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    login: str | None = None,
    action: str | None = None,
    limit: int = 1000,
) -> list[AuditRow]:
    """Entries in ``[since, until)``, by ``login`` (a user, or "system"), whose action is ``action`` or starts with
    ``action.`` (``user`` finds user.create, user.login…); newest first, at most ``limit``."""
    actor.require(Role.SUPERVISOR, "Reading the audit log")
    if not 0 < limit <= MAX_ROWS:
        raise InvalidInput(f"the limit must be between 1 and {MAX_ROWS}")
    if since and until and since >= until:
        raise InvalidInput("the start must be before the end")
    if action and not known_action(action):
        families = sorted({a.split(".")[0] for a in ACTIONS})
        raise InvalidInput(
            f"no action {action!r}: use one of {', '.join(families)} or a full action such as user.login"
        )
    query = select(AuditEntry, col(User.login)).outerjoin(User, col(User.id) == col(AuditEntry.user_id))
    if since:
        query = query.where(col(AuditEntry.at) >= since)
    if until:
        query = query.where(col(AuditEntry.at) < until)
    if action:
        query = query.where((col(AuditEntry.action) == action) | col(AuditEntry.action).startswith(f"{action}."))
    with db.read() as s:
        if login:
            name = login.strip().lower()
            if name == "system":
                query = query.where(col(AuditEntry.user_id).is_(None))
            else:
                user_id = s.execute(select(col(User.id)).where(col(User.login) == name)).scalar_one_or_none()
                if user_id is None:
                    raise InvalidInput(f"no user {name!r}")
                query = query.where(col(AuditEntry.user_id) == user_id)
        # Entries are appended as they happen, so the primary key is their order: a read of the newest stops
        # after ``limit`` rows without an index on the time.
        rows = s.execute(query.order_by(col(AuditEntry.id).desc()).limit(limit)).all()
        acted_on = {uid for e, _ in rows if (uid := _user_acted_on(e)) is not None}
        logins = (
            dict(s.execute(select(col(User.id), col(User.login)).where(col(User.id).in_(sorted(acted_on)))).all())
            if acted_on
            else {}
        )
    return [
        AuditRow(
            at=entry.at,
            login=who or "system",
            action=entry.action,
            entity=entry.entity,
            entity_id=entry.entity_id,
            detail=json.loads(entry.detail) if entry.detail else {},
            subject=logins.get(_user_acted_on(entry)),
        )
        for entry, who in rows
    ]


def _user_acted_on(entry: AuditEntry) -> int | None:
    """The id of the user an entry is about (user.create, user.unlock...), or None for any other entity."""
    if entry.entity == "user" and (entry.entity_id or "").isdigit():
        return int(entry.entity_id or 0)
    return None
