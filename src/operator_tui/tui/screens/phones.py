"""A customer's phone numbers changed: a new main or other number, the other one taken away, or the marks of
numbers a call found wrong cleared when they were right after all.

Opened from the supervisor's home through the customer search, and by an operator from the call on their screen
(under its lease: the caller says they have a new number). The dialog shows the numbers as they were read,
and the service refuses the change if someone changed them meanwhile (services.customer_phones), so nobody's
new number is written over without being seen. A customer whose every number was wrong comes back into the
queue as soon as one is callable again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Static

from operator_tui.services import customer_phones
from operator_tui.services.context import Actor
from operator_tui.services.customer_phones import CustomerPhones, PhonesChanged
from operator_tui.services.database import Database
from operator_tui.tui.i18n import N_, _
from operator_tui.tui.screens.form_dialog import FormDialog
from operator_tui.tui.widgets.customer_card import pretty_phone
from operator_tui.tui.widgets.field import Field


class PhonesDialog(FormDialog[PhonesChanged | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save the numbers"), id="phones.save"),
        Binding("escape", "cancel", N_("Back"), id="phones.cancel"),
    ]
    AUTO_FOCUS = "#phones-main"

    def __init__(
        self,
        db: Database,
        actor: Actor,
        shown: CustomerPhones,
        *,
        lease_token: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(db, actor)
        self.shown = shown
        self.lease_token = lease_token  # an operator's, of the call the customer is on
        self.clock = clock

    def compose(self) -> ComposeResult:
        shown = self.shown
        with Vertical(id="phones-box", classes="dialog") as box:
            box.border_title = _("Phone numbers · {name} #{id}").format(name=shown.name or "–", id=shown.customer_id)
            box.border_subtitle = _("Enter / Tab move · ctrl+s saves · Esc back")
            if shown.wrong:
                marked = ", ".join(pretty_phone(n) for n in shown.wrong)
                say = _("Marked wrong by a call: {numbers}. Give a new number, or clear the mark if it was right.")
                yield Static(say.format(numbers=marked), id="phones-say")
            else:
                say = _("Type a number as the customer says it; it is read as an import reads it.")
                yield Static(say, id="phones-say")
            with Horizontal(classes="form-row"):
                main = Field(pretty_phone(shown.phone), max_length=30, id="phones-main")
                main.border_title = _("Main number")
                yield main
                other = Field(
                    pretty_phone(shown.alt_phone) if shown.alt_phone else "",
                    placeholder=_("none"),
                    max_length=30,
                    id="phones-other",
                )
                other.border_title = _("Other number (empty: none)")
                yield other
            if shown.wrong:
                yield Checkbox(_("The numbers marked wrong are right: clear the marks"), id="phones-clear")
            yield Static("", classes="form-message")

    def action_save(self) -> None:
        shown = self.shown
        main, other = self.value("#phones-main").strip(), self.value("#phones-other").strip()
        clear = bool(self.query("#phones-clear")) and self.query_one("#phones-clear", Checkbox).value
        self.save(
            lambda: customer_phones.set_phones(
                self.db,
                self.actor,
                shown.customer_id,
                phone=main,
                alt_phone=other or None,
                remove_alt=not other and shown.alt_phone is not None,
                clear_marks=clear,
                seen=(shown.phone, shown.alt_phone),
                lease_token=self.lease_token,
                now=self.clock() if self.clock else None,
            )
        )


def saved_text(done: PhonesChanged) -> str:
    """What the supervisor hears once the numbers are saved."""
    if not done.phones:
        return _("Customer #{id}: saved; every number is marked wrong, so nobody calls them.").format(
            id=done.customer_id
        )
    numbers = ", ".join(pretty_phone(n) for n in done.phones)
    if done.queued:
        return _("Customer #{id}: saved; they are back in the queue, to be called on {numbers}.").format(
            id=done.customer_id, numbers=numbers
        )
    return _("Customer #{id}: saved; numbers to call: {numbers}.").format(id=done.customer_id, numbers=numbers)
