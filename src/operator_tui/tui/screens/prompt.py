"""A one-line question that must be answered (why a customer is skipped): Enter answers, Escape gives up."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from operator_tui.tui.i18n import N_, _
from operator_tui.tui.screens.dialog import Dialog
from operator_tui.tui.widgets.field import Field


class TextPrompt(Dialog[str | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Back"), id="prompt.cancel")]
    AUTO_FOCUS = "#prompt-input"

    def __init__(self, title: str, question: str, *, placeholder: str = "", refusal: str = "") -> None:
        super().__init__()
        self._title = title
        self._question = question
        self._placeholder = placeholder
        self._refusal = refusal or _("An answer is needed here.")

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box", classes="dialog") as box:
            box.border_title = self._title
            box.border_subtitle = _("Enter · Esc back")
            yield Static(self._question, id="prompt-question")
            yield Field(placeholder=self._placeholder, id="prompt-input")
            yield Static("", id="prompt-message")

    @on(Input.Submitted, "#prompt-input")
    def _answered(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            message = self.query_one("#prompt-message", Static)
            message.update(self._refusal)
            message.add_class("-error")
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
