"""Who may do what: the three roles of DESIGN.md and the one rule that orders them."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: Role) -> bool:
        """Admins may do what supervisors may; supervisors what operators may (on their own data)."""
        return self.rank >= other.rank


_RANK = {Role.OPERATOR: 0, Role.SUPERVISOR: 1, Role.ADMIN: 2}
