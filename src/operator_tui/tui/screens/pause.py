"""Pause with a reason: the playbook's ``pause_reasons``, chosen by number; the live board and reports read it."""

from __future__ import annotations

from textual.binding import Binding

from operator_tui.tui.i18n import N_, _
from operator_tui.tui.screens.numbered_choice import Choice, NumberedChoice

Reason = Choice  # (code, label in the operator's language)


class PauseDialog(NumberedChoice):
    BINDINGS = [Binding("escape", "cancel", N_("Back"), id="pause.cancel")]

    def __init__(self, reasons: list[Reason], *, after_call: bool = False) -> None:
        super().__init__(
            _("Pause after this call") if after_call else _("Pause"),
            reasons,
            intro=_("The pause begins as soon as this call's outcome is saved.") if after_call else None,
            name="pause",
        )
