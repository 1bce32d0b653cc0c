"""The admin's home: where the playbook, customer import and user management will be, and until then the commands
of ``operator-tui`` that do each of them from a shell."""

from __future__ import annotations

from textual.app import ComposeResult

from operator_tui.tui.i18n import N_, _
from operator_tui.tui.screens.home import HomeScreen
from operator_tui.tui.widgets.coming_soon import ComingSoon, coming

PANELS = (
    (
        "playbook",
        N_("Playbook"),
        N_("Stages, outcomes, contact strategies, scripts and checklists: load, check and activate."),
        ("playbook check FILE", "playbook load FILE", "playbook show"),
    ),
    (
        "import",
        N_("Import"),
        N_("Customers from a file: all or nothing, each bad row named."),
        ("import customers FILE --dry-run", "import purchases FILE"),
    ),
    (
        "users",
        N_("Users"),
        N_("Create users, set PINs, unlock accounts, assign teams."),
        ("users list", "users add", "users unlock LOGIN"),
    ),
)
"""(id, title, what it holds, the commands that do it today), in English: translated when shown."""


class AdminHome(HomeScreen):
    SUB_TITLE = N_("Admin")

    def compose_body(self) -> ComposeResult:
        for panel_id, title, what, commands in PANELS:
            yield ComingSoon(_(title), coming(_(what), commands), id=panel_id)
