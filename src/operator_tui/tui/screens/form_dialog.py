"""A dialog of fields that a service takes or refuses: the admin's account dialogs, a customer's numbers.

Enter goes from field to field and saves on the last one; Ctrl+S saves from anywhere; Esc gives up. The service
runs in a thread worker, and the dialog closes only when the service took the change, with what it returned: a
refusal is said on the message line under the fields, and everything typed stays for another try.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual import on, work
from textual.widgets import Input, Static

from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import ServiceError
from operator_tui.tui.i18n import _
from operator_tui.tui.refusals import worded
from operator_tui.tui.screens.dialog import Dialog

ResultType = TypeVar("ResultType")


class FormDialog(Dialog[ResultType]):
    CSS_PATH = "dialogs.tcss"
    saving = False

    def __init__(self, db: Database, actor: Actor) -> None:
        super().__init__()
        self.db = db
        self.actor = actor

    def say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one(".form-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    def value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def save(self, call: Callable[[], ResultType]) -> None:
        """Run ``call`` (the service) in a thread; close with its result, or say its refusal."""
        if self.saving:
            return
        self.saving = True
        self.say(_("Saving…"))
        self._run(call)

    @work(thread=True, exclusive=True, group="form", exit_on_error=False)
    def _run(self, call: Callable[[], ResultType]) -> None:
        try:
            result = call()
        except ServiceError as exc:
            self.app.call_from_thread(self._refused, worded(exc))
        else:
            self.app.call_from_thread(self.dismiss, result)

    def _refused(self, text: str) -> None:
        self.saving = False
        self.say(text, error=True)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter goes to the next field; on the last one it saves."""
        event.stop()
        fields = list(self.query(Input))
        if event.input is fields[-1]:
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)
