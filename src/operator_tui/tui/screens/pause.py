"""Pause with a reason: the playbook's ``pause_reasons``, chosen by number; the live board and reports read it."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from operator_tui.tui.i18n import N_, _
from operator_tui.tui.screens.dialog import Dialog

Reason = tuple[str, str]  # (code, label in the operator's language)


class PauseDialog(Dialog[Reason | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Back"), id="pause.cancel")]
    AUTO_FOCUS = "#pause-list"

    def __init__(self, reasons: list[Reason], *, after_call: bool = False) -> None:
        super().__init__()
        self.reasons = reasons
        self.after_call = after_call

    def compose(self) -> ComposeResult:
        with Vertical(id="pause-box", classes="dialog") as box:
            box.border_title = _("Pause after this call") if self.after_call else _("Pause")
            box.border_subtitle = _("a number chooses · Esc back")
            if self.after_call:
                yield Static(_("The pause begins as soon as this call's outcome is saved."), id="pause-when")
            yield OptionList(
                *(
                    Option(Content.from_markup("[b $accent]$n[/]  $label", n=str(n), label=label), id=code)
                    for n, (code, label) in enumerate(self.reasons, 1)
                ),
                id="pause-list",
            )

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            number = int(event.character)
            if 1 <= number <= len(self.reasons):
                event.stop()
                self.dismiss(self.reasons[number - 1])

    @on(OptionList.OptionSelected, "#pause-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(next(r for r in self.reasons if r[0] == event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
