"""Who is asking: every service takes an :class:`Actor` and checks the role it needs here, not in the UI."""

from __future__ import annotations

from dataclasses import dataclass

from operator_tui.core.roles import Role
from operator_tui.services.errors import NotAllowed


@dataclass(frozen=True)
class Actor:
    user_id: int | None  # None for the command line's system actor
    login: str
    role: Role
    team_id: int | None = None
    full_name: str = ""
    team_name: str | None = None
    language: str = "en"

    def require(self, role: Role, action: str) -> None:
        """Raise NotAllowed unless this actor's role is at least ``role``."""
        if not self.role.at_least(role):
            raise NotAllowed.said(
                "{action} needs the {role} role; {login} is {own}",
                action=action,
                role=role.value,
                login=self.login,
                own=self.role.value,
            )


SYSTEM = Actor(user_id=None, login="system", role=Role.ADMIN, full_name="command line")
"""The actor of CLI commands: whoever can run them on the database file already has the data."""
