"""Sign in with user name and PIN; the only screen anyone sees before the role decides the rest.

The PIN check runs ``services.auth.login`` in a thread worker (it is slow on purpose and writes the failure
count), and comes back as a :class:`LoggedIn` or :class:`LoginFailed` message. Wrong PIN, unknown user and locked
account show the service's own message here; anything unexpected is the app's worker-error handler's business.

The form is up before the app has opened the database (``tui.app`` loads it meanwhile); a sign-in sent sooner
waits for it in the worker.
"""

from __future__ import annotations

from datetime import UTC

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static
from textual.worker import Worker, WorkerState, get_current_worker

from operator_tui.core.pins import MAX_FAILED_PINS
from operator_tui.services.errors import AccountLocked, AuthFailed
from operator_tui.tui.i18n import N_, _
from operator_tui.tui.messages import LoggedIn, LoginFailed
from operator_tui.tui.widgets.field import Field
from operator_tui.tui.widgets.key_bar import KeyBar
from operator_tui.tui.widgets.title_bar import TitleBar
from operator_tui.tui.workers import ReportsWorkerErrors

MAX_PIN_DIGITS = 12


class LoginField(Field):
    """A sign-in field. Keys typed while the app starts reach it once it owns the terminal, and the terminal has
    turned each Enter among them into a line feed (ctrl+j) by then: here it is an Enter too."""

    BINDINGS = [Binding("ctrl+j", "submit", N_("Same as Enter"), show=False, id="login.enter")]


class LoginScreen(ReportsWorkerErrors, Screen[None]):
    CSS_PATH = "login.tcss"
    SUB_TITLE = N_("Sign in")
    AUTO_FOCUS = "#login-user"
    BINDINGS = [Binding("enter,ctrl+j", "to_pin", N_("To the PIN field"), show=False, priority=True, id="login.to_pin")]

    def __init__(self) -> None:
        super().__init__()
        self.sub_title = _(self.SUB_TITLE)
        self._busy = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="login-box") as box:
            box.border_title = _("Sign in")
            yield Label(_("User"), classes="login-label")
            yield LoginField(placeholder=_("user name"), id="login-user")
            yield Label(_("PIN"), id="login-pin-label", classes="login-label")
            yield LoginField(
                placeholder=_("PIN"),
                password=True,
                restrict=r"[0-9]*",
                max_length=MAX_PIN_DIGITS,
                id="login-pin",
            )
            yield Static("", id="login-message")
            yield Static(_("Enter signs in."), id="login-hint")
        yield KeyBar()

    @property
    def user_input(self) -> Input:
        return self.query_one("#login-user", Input)

    @property
    def pin_input(self) -> Input:
        return self.query_one("#login-pin", Input)

    @property
    def message(self) -> Static:
        return self.query_one("#login-message", Static)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_pin":
            return self.focused is self.user_input and not self.pin_input.value
        return True

    def action_to_pin(self) -> None:
        """Enter in the user field while the PIN is empty: on to the PIN.

        A priority binding runs when the key arrives, before the keys typed after it are routed, and ``set_focus``
        moves the focus at once; so ``op01⏎1111⏎`` typed ahead puts the PIN in the PIN field, not after the name.
        """
        self.set_focus(self.pin_input)

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        """Enter: move to the empty field, or sign in when both are filled."""
        event.stop()
        if self._busy:
            return
        user, pin = self.user_input.value.strip(), self.pin_input.value
        if not user:
            self.set_focus(self.user_input)
        elif not pin:
            self.set_focus(self.pin_input)
        else:
            self._busy = True
            self._show(_("Signing in…"), busy=True)
            self._login(user, pin)

    @work(thread=True, exclusive=True, exit_on_error=False, group="login")
    def _login(self, user: str, pin: str) -> None:
        db = self.app.loaded_database()  # type: ignore[attr-defined]
        if db is None:  # it could not be opened: the app is closing with the reason
            return
        from operator_tui.services import auth

        clock = getattr(self.app, "clock", None)  # the app's time, as every screen's (tests freeze it)
        try:
            actor = auth.login(db, user, pin, now=clock() if clock else None)
        except AuthFailed as exc:
            result: LoggedIn | LoginFailed = LoginFailed(refusal_text(exc), locked=isinstance(exc, AccountLocked))
        else:
            result = LoggedIn(actor)
        if not get_current_worker().is_cancelled:
            self.post_message(result)

    def on_login_failed(self, event: LoginFailed) -> None:
        event.stop()
        self._busy = False
        self._show(event.text, error=True)
        self.pin_input.clear()
        self.set_focus(self.pin_input)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # ReportsWorkerErrors tells the app, which notifies the user; here we only get ready for another try.
        if event.worker.group == "login" and event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self._busy = False
            self._show("")

    def _show(self, text: str, *, error: bool = False, busy: bool = False) -> None:
        self.message.update(text)
        self.message.set_class(error, "-error")
        self.message.set_class(busy, "-busy")
        self.message.display = bool(text)


def refusal_text(exc: AuthFailed) -> str:
    """The service's refusal in the interface's language, from the facts it carries."""
    if isinstance(exc, AccountLocked):
        until = exc.until.replace(tzinfo=exc.until.tzinfo or UTC).astimezone()
        return _(
            "This account is locked until {time} after {count} wrong PINs; "
            "a supervisor or an admin can unlock it sooner."
        ).format(time=f"{until:%H:%M}", count=MAX_FAILED_PINS)
    if exc.missing:
        return _("Enter your user name and PIN.")
    return _("Wrong user or PIN.")
