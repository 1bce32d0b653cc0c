"""The admin's account dialogs: a new user, and a new PIN for one.

Each calls its service itself (``accounts``) and closes only when the service took it (screens.form_dialog): a
refusal (a login in use, a PIN of letters, two PINs that differ) is said under the fields. PINs are typed twice
and never shown.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, RadioButton, RadioSet, Static

from operator_tui.core.pins import guessable
from operator_tui.core.roles import Role
from operator_tui.services import accounts
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import InvalidInput
from operator_tui.tui.i18n import N_, _
from operator_tui.tui.refusals import worded
from operator_tui.tui.screens.form_dialog import FormDialog
from operator_tui.tui.widgets.field import Field
from operator_tui.tui.widgets.signed_in import ROLE_NAMES

ROLES = (Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)
# English and Russian each in its own language: the reader picks theirs.
LANGUAGE_NAMES = (("auto", N_("the terminal's")), ("en", "English"), ("ru", "Русский"))


class FormChoice(RadioSet):
    """A choice inside a form: Enter takes the highlighted option and goes on to the next field, as Enter does in
    the form's text fields (a RadioSet's own Enter only presses the option, leaving the form stuck on it); space
    presses it and stays."""

    BINDINGS = [Binding("enter", "choose", N_("Choose and go on"), show=False, id="form.choose")]

    def action_choose(self) -> None:
        if self._selected is not None:
            button = self._nodes[self._selected]
            assert isinstance(button, RadioButton)
            button.value = True
        self.screen.focus_next()


class AccountDialog(FormDialog[str | None]):
    """The common part: the PIN typed twice; the dialog closes with the login it saved."""

    def __init__(self, db: Database, actor: Actor) -> None:
        super().__init__(db, actor)
        self._warned: set[tuple[str, str]] = set()  # what was said once (an easy PIN, no team): kept when saved again

    def compose_pin_and_message(self) -> ComposeResult:
        """The PIN typed twice, side by side, and the message line under them: the end of both forms."""
        with Horizontal(classes="form-row"):
            yield Field(placeholder=_("PIN: 4 to 12 digits"), password=True, max_length=12, id="account-pin")
            yield Field(placeholder=_("the same PIN again"), password=True, max_length=12, id="account-pin-again")
        yield Static("", classes="form-message")

    def pins(self) -> str | None:
        """The PIN typed twice, or None (and said why) when the two differ."""
        pin, again = self.value("#account-pin"), self.value("#account-pin-again")
        if pin != again:
            self.say(_("The two PINs differ: type the same PIN twice."), error=True)
            self.query_one("#account-pin-again", Input).focus()
            return None
        return pin

    def warned_once(self, about: tuple[str, str], text: str) -> bool:
        """Say ``text`` and return True the first time ``about`` comes up; a save after that keeps it."""
        if about in self._warned:
            return False
        self._warned.add(about)
        self.say(text, error=True)
        return True

    def guessable_said(self, pin: str) -> bool:
        """A PIN anyone would try first is said before it is kept (``core.pins.guessable``)."""
        return guessable(pin) and self.warned_once(
            ("pin", pin),
            _(
                "{pin} is easy to guess (a run of digits, or digits repeated). Save again to keep it, or type another."
            ).format(pin=pin),
        )

    def save_for(self, call: Callable[[], object], login: str) -> None:
        """Save with ``call``; the dialog's result is ``login``."""

        def saved() -> str:
            call()
            return login

        self.save(saved)


class NewUserDialog(AccountDialog):
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Add the user"), id="user.save"),
        Binding("escape", "cancel", N_("Back"), id="user.cancel"),
    ]
    AUTO_FOCUS = "#account-login"

    def compose(self) -> ComposeResult:
        with Vertical(id="account-box", classes="dialog") as box:
            box.border_title = _("New user")
            box.border_subtitle = _("Tab / Enter move · ctrl+s adds · Esc back")
            with Horizontal(classes="form-row"):
                yield Field(placeholder=_("user name, e.g. op21"), max_length=40, id="account-login")
                yield Field(placeholder=_("full name"), max_length=120, id="account-name")
            with Horizontal(classes="form-row"):
                with FormChoice(id="account-role"):
                    for role in ROLES:
                        yield RadioButton(_(ROLE_NAMES[role]), value=role is Role.OPERATOR)
                with FormChoice(id="account-language"):
                    for code, name in LANGUAGE_NAMES:
                        yield RadioButton(_(name) if code == "auto" else name, value=code == "auto")
            yield Field(placeholder=_("team (optional; a new name makes a new team)"), max_length=60, id="account-team")
            yield from self.compose_pin_and_message()

    def action_save(self) -> None:
        pin = self.pins()
        if pin is None:
            return
        role = ROLES[max(self.query_one("#account-role", RadioSet).pressed_index, 0)]
        language = LANGUAGE_NAMES[max(self.query_one("#account-language", RadioSet).pressed_index, 0)][0]
        login = self.value("#account-login").strip().lower()
        name, team = self.value("#account-name"), self.value("#account-team").strip() or None
        try:  # what would be refused is said before the second thoughts below, not after them
            accounts.check_new_user(login_name=login, full_name=name, pin=pin, language=language)
        except InvalidInput as refused:
            self.say(worded(refused), error=True)
            return
        if self.guessable_said(pin):
            return
        if (
            role is Role.OPERATOR
            and team is None
            and self.warned_once(
                ("team", login),
                _(
                    "No team: only the QA group (supervisors without a team) will review this operator's calls. "
                    "Save again to add them so, or give a team."
                ),
            )
        ):
            return
        self.save_for(
            lambda: accounts.create_user(
                self.db,
                self.actor,
                login_name=login,
                full_name=name,
                role=role,
                pin=pin,
                team=team,
                language=language,
            ),
            login,
        )


class PinDialog(AccountDialog):
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Set the PIN"), id="pin.save"),
        Binding("escape", "cancel", N_("Back"), id="pin.cancel"),
    ]
    AUTO_FOCUS = "#account-pin"

    def __init__(self, db: Database, actor: Actor, login: str, name: str) -> None:
        super().__init__(db, actor)
        self.login, self.full_name = login, name

    def compose(self) -> ComposeResult:
        with Vertical(id="account-box", classes="dialog") as box:
            box.border_title = _("New PIN · {name} ({login})").format(name=self.full_name, login=self.login)
            box.border_subtitle = _("Enter · Esc back")
            yield Static(_("Tell them the new PIN in person; it also lifts a lock-out."), id="account-say")
            yield from self.compose_pin_and_message()

    def action_save(self) -> None:
        pin = self.pins()
        if pin is not None and not self.guessable_said(pin):
            self.save_for(lambda: accounts.set_pin(self.db, self.actor, self.login, pin), self.login)
