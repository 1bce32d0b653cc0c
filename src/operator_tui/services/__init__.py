"""Use-cases: each public function is one transaction with its role check, shared by the CLI and the TUI.

Services take a :class:`~operator_tui.services.database.Database` and an
:class:`~operator_tui.services.context.Actor`, raise :class:`~operator_tui.services.errors.ServiceError` with a
message fit to show a user, and never import the front ends.
"""
