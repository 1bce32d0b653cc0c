"""The line under the header that says who is signed in, so a shared desk never leaves anyone in doubt."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from operator_tui.core.roles import Role
from operator_tui.services.context import Actor
from operator_tui.tui.i18n import N_, _

ROLE_NAMES = {Role.OPERATOR: N_("operator"), Role.SUPERVISOR: N_("supervisor"), Role.ADMIN: N_("admin")}


def describe(actor: Actor, zone: str | None = None) -> Content:
    """``Signed in as Operator 1 (op01) · operator · Team A · times: Europe/Moscow``; names are data, never
    markup. The zone is the one every time on this user's screens is shown in (the customer's own times say
    "their time"; the reports' days are the center's and say so)."""
    markup = _("Signed in as [b]$name[/b] ($login) · [$accent]$role[/]")
    team = actor.team_name or (_("team {number}").format(number=actor.team_id) if actor.team_id is not None else None)
    if team:
        markup += " · $team"
    if zone:
        markup += " [dim]· " + _("times: $zone") + "[/dim]"
    role = _(ROLE_NAMES[actor.role]) if actor.role in ROLE_NAMES else actor.role.value
    return Content.from_markup(
        markup, name=actor.full_name or actor.login, login=actor.login, role=role, team=team, zone=zone
    )


class SignedIn(Static):
    """Who is signed in: full name, login, role and team."""

    def __init__(self, actor: Actor, *, id: str | None = "signed-in") -> None:
        super().__init__(describe(actor), id=id)
        self.actor = actor

    def on_mount(self) -> None:
        zone = getattr(self.app, "zone", None)
        if zone is not None:
            self.update(describe(self.actor, getattr(zone, "key", None) or str(zone)))
