"""The home screen of each role: the first screen after sign-in."""

from __future__ import annotations

from operator_tui.core.roles import Role
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.tui.screens.admin import AdminHome
from operator_tui.tui.screens.home import HomeScreen
from operator_tui.tui.screens.operator import OperatorHome
from operator_tui.tui.screens.supervisor import SupervisorHome

HOME_SCREENS: dict[Role, type[HomeScreen]] = {
    Role.OPERATOR: OperatorHome,
    Role.SUPERVISOR: SupervisorHome,
    Role.ADMIN: AdminHome,
}


def home_screen_for(db: Database, actor: Actor) -> HomeScreen:
    """The first screen after sign-in: the role decides it."""
    return HOME_SCREENS[actor.role](db, actor)
