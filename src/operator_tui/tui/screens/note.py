"""A short text written in a dialog: an item's comment, a review's overall comment, the reason of a dispute.

Unlike the console's TextPrompt it starts with the text written before (to edit it) and may be left empty to
clear it, unless an answer is required; Enter keeps the text, Escape gives up and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from operator_tui.tui.i18n import N_, _
from operator_tui.tui.screens.dialog import Dialog
from operator_tui.tui.widgets.field import Field

MAX_NOTE = 1000


class NotePrompt(Dialog[str | None]):
    CSS_PATH = ["dialogs.tcss", "qa.tcss"]
    BINDINGS = [Binding("escape", "cancel", N_("Back"), id="note.cancel")]
    AUTO_FOCUS = "#note-input"

    def __init__(
        self,
        title: str,
        question: str,
        *,
        value: str = "",
        placeholder: str = "",
        required: str = "",
        enter_says: str = "",
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        """``required``: the refusal shown when Enter is pressed on an empty field ('' = empty is allowed);
        ``enter_says``: the frame's line of keys, when Enter does more than keep the text (loads a file, say);
        ``check``: the refusal of a text that will not do (a file that is not there), shown with the dialog still
        open to correct it, or None."""
        super().__init__()
        self._check = check
        self._enter_says = enter_says
        self._title = title
        self._question = question
        self._value = value
        self._placeholder = placeholder
        self._required = required

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box", classes="dialog") as box:
            box.border_title = self._title
            box.border_subtitle = self._enter_says or _("Enter keeps · Esc back")
            yield Static(self._question, id="note-question")
            yield Field(self._value, placeholder=self._placeholder, max_length=MAX_NOTE, id="note-input")
            yield Static("", id="note-message")

    @on(Input.Submitted, "#note-input")
    def _written(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        refusal = (self._check(text) if self._check else None) if text else (self._required or None)
        if refusal:
            message = self.query_one("#note-message", Static)
            message.update(refusal)
            message.add_class("-error")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
