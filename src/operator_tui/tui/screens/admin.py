"""The admin's home: where the playbook, customer import and user management will be."""

from __future__ import annotations

from textual.app import ComposeResult

from operator_tui.tui.i18n import N_, _
from operator_tui.tui.screens.home import HomeScreen
from operator_tui.tui.widgets.coming_soon import ComingSoon, coming


class AdminHome(HomeScreen):
    SUB_TITLE = N_("Admin")

    def compose_body(self) -> ComposeResult:
        yield ComingSoon(
            _("Playbook"),
            coming(
                _("Stages, outcomes, contact strategies, scripts and checklists: load, check and activate."),
                ("playbook check FILE", "playbook load FILE", "playbook show"),
            ),
            id="playbook",
        )
        yield ComingSoon(
            _("Import"),
            coming(
                _("Customers from a file: all or nothing, each bad row named."),
                ("import customers FILE --dry-run", "import purchases FILE"),
            ),
            id="import",
        )
        yield ComingSoon(
            _("Users"),
            coming(
                _("Create users, set PINs, unlock accounts, assign teams."),
                ("users list", "users add", "users unlock LOGIN"),
            ),
            id="users",
        )
