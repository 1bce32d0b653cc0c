"""The admin's home: the user accounts, the playbook in force, and the imports.

The accounts are the admin's daily work (a new operator starts, one forgets a PIN, one leaves), so they fill the
screen: ``a`` adds a user, ``p`` sets a PIN, ``u`` lifts a lock-out, ``t`` moves the user to another team, ``g``
sets the language of their screens, ``d`` deactivates (pressed twice: a user who is gone can no longer sign in,
their history stays) or takes them back. ``v`` shows the playbook in force, ``l`` loads one, ``i`` imports
customers and ``b`` purchases, each file checked whole first (admin_files).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from rich.cells import cell_len
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Static

from operator_tui.core.roles import Role
from operator_tui.services import accounts, playbooks
from operator_tui.services.accounts import UserRow
from operator_tui.services.errors import ServiceError
from operator_tui.services.playbooks import ActiveSummary
from operator_tui.tui.fit import cut
from operator_tui.tui.i18n import N_, _
from operator_tui.tui.messages import AdminLoaded
from operator_tui.tui.qa_marks import at
from operator_tui.tui.refusals import worded
from operator_tui.tui.screens.admin_files import AdminFiles
from operator_tui.tui.screens.home import HomeScreen
from operator_tui.tui.screens.note import NotePrompt
from operator_tui.tui.screens.user_dialogs import NewUserDialog, PinDialog
from operator_tui.tui.widgets.fitted_table import FittedTable, fitted_widths
from operator_tui.tui.widgets.signed_in import ROLE_NAMES

COLUMNS = (
    ("Login", N_("Login"), 6),
    ("Name", N_("Name"), 26),
    ("Role", N_("Role"), 10),
    ("Team", N_("Team"), 8),
    ("State", N_("State"), 14),
    ("Last sign-in", N_("Last sign-in"), 12),
    ("Lang.", N_("Lang."), 5),
)
"""(column key, header in English, widest) of the accounts: all of them at their widest from about 100 columns."""
SPARED = "Lang."
"""The column left out when not all fit at their widest (the language is in the ``g`` dialog too)."""
NARROWEST = {"Name": 14, "State": 12, "Team": 7, "Login": 5}
"""How far the other columns may then shrink, in the order they give way (widgets.fitted_table): a long name is
cut first, then a lock-out says its time in short, so that no column goes out of sight at 80 columns."""


def columns() -> list[tuple[str, str, int]]:
    """``COLUMNS`` in the interface language: a header or a role's name longer there than in English widens its
    column ("Последний вход", "администратор"), instead of being cut beside empty room."""
    roles = max(len(_(name)) for name in ROLE_NAMES.values())
    return [(key, header, max(width, len(_(header)), roles if key == "Role" else 0)) for key, header, width in COLUMNS]


def user_widths(room: int) -> dict[str, int]:
    """The accounts' columns for a table ``room`` cells wide: all at their widest if they fit, else without
    ``SPARED`` and the others fitted."""
    shown = columns()
    widest = fitted_widths(shown, {}, room)
    if sum(widest.values()) + 2 * len(widest) <= room:
        return widest
    # Widened for the language, a role and the sign-in give back that room last, before anything goes off screen.
    english = {key: width for key, _header, width in COLUMNS if key in ("Role", "Last sign-in")}
    return fitted_widths([c for c in shown if c[0] != SPARED], NARROWEST | english, room)


SHORT = 30  # rows below which the playbook and import panels go and the accounts have the height


def state_text(user: UserRow, now: datetime, zone: tzinfo, width: int) -> Content:
    """Active, locked (until when) or deactivated, coloured so the odd ones stand out, in ``width`` cells."""
    if not user.active:
        return Content.styled(cut(_("deactivated"), width), "$text-muted")
    if user.locked(now):
        assert user.locked_until is not None
        until = user.locked_until.astimezone(zone)  # a lock-out lasts minutes: the time says it
        locked = _("locked · {time}").format(time=f"{until:%H:%M}")
        if cell_len(locked) > width:
            locked = _("locked {time}").format(time=f"{until:%H:%M}")
        return Content.styled(cut(locked, width), "bold $text-error")
    return Content(cut(_("active"), width))


def playbook_text(active: ActiveSummary, zone: tzinfo, load_key: str, view_key: str) -> Content:
    loaded = at(active.loaded_at, zone)
    by = active.loaded_by or _("the system")
    return Content.from_markup(
        _(
            "[b]$name[/b] · version $version\n"
            "loaded $loaded by $by\n\n"
            "$stages stages · $strategies strategies\n"
            "$scripts scripts · $checklists checklists · $outcomes outcomes\n\n"
            "[b $accent]$view[/] shows its text. [b $accent]$key[/] loads a file or folder: checked first, a broken "
            "one changes nothing."
        ),
        name=active.name,
        version=str(active.version_id),
        loaded=loaded,
        by=by,
        stages=str(active.stages),
        strategies=str(active.strategies),
        scripts=str(active.scripts),
        checklists=str(active.checklists),
        outcomes=str(active.outcomes),
        key=load_key,
        view=view_key,
    )


class UserTable(FittedTable):
    # Home and End go to the first and last account (the table's own only scroll, leaving the cursor behind).
    BINDINGS = [
        Binding("home", "first", N_("First"), show=False, id="users.first"),
        Binding("end", "last", N_("Last"), show=False, id="users.last"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=self.row_count - 1)

    @property
    def current_login(self) -> str | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return None if key is None else str(key)


class AdminHome(AdminFiles, HomeScreen):
    SUB_TITLE = N_("Admin")
    AUTO_FOCUS = "#users"
    BINDINGS = [
        Binding("a", "add", N_("Add user"), id="admin.add"),
        Binding("p", "pin", N_("Set PIN"), id="admin.pin"),
        Binding("u", "unlock", N_("Unlock"), id="admin.unlock"),
        Binding("t", "team", N_("Team"), id="admin.team"),
        Binding("g", "language", N_("Language"), id="admin.language"),
        Binding("d", "deactivate", N_("Deactivate / back"), id="admin.deactivate"),
        Binding("l", "load_playbook", N_("Load playbook"), id="admin.playbook"),
        Binding("v", "view_playbook", N_("View playbook"), id="admin.view_playbook"),
        Binding("i", "import_customers", N_("Import customers"), id="admin.import"),
        Binding("b", "import_purchases", N_("Import purchases"), id="admin.purchases"),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.users: list[UserRow] = []
        self.active: ActiveSummary | None = None
        self.armed: str | None = None  # the login whose deactivation waits for a second ``d``
        self.widths: dict[str, int] = {}
        self.go_to: str | None = None  # the row to show after the next load (a user just added)

    def compose_body(self) -> ComposeResult:
        yield Static(id="admin-message")
        yield UserTable(id="users")
        with Horizontal(id="admin-side"):
            yield Static(id="playbook")
            yield Static(id="import")

    @property
    def table(self) -> UserTable:
        return self.query_one(UserTable)

    def on_mount(self) -> None:
        self._columns(user_widths(10_000))
        self.query_one("#playbook", Static).border_title = _("Playbook")
        panel = self.query_one("#import", Static)
        panel.border_title = _("Import")
        panel.update(
            Content.from_markup(
                _(
                    "[b $accent]$key[/] imports customers from a file (our CSV or VICIdial's lead layout), "
                    "[b $accent]$b[/] purchases. The whole file is checked first: one bad row and nothing is "
                    "imported, each one named; its key again imports a clean one."
                ),
                key=self.key_for("admin.import", "i"),
                b=self.key_for("admin.purchases", "b"),
            )
        )
        self.say(_("Reading the accounts…"))
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height < SHORT, "-short")

    def _columns(self, widths: dict[str, int]) -> None:
        self.widths = widths
        for key, header, _width in COLUMNS:
            if key in widths:
                self.table.add_column(_(header), width=widths[key], key=key)

    def on_fitted_table_resized(self, message: UserTable.Resized) -> None:
        """The columns to the table's width now; the rows again, cut to them."""
        message.stop()
        widths = user_widths(message.room)
        if widths != self.widths:
            keep = self.table.current_login
            self.table.clear(columns=True)
            self._columns(widths)
            self._fill(keep)

    @work(thread=True, exclusive=True, group="admin", exit_on_error=False)
    def load(self) -> None:
        self.post_message(AdminLoaded(accounts.list_users(self.db, self.actor), playbooks.summary(self.db)))

    def on_admin_loaded(self, message: AdminLoaded) -> None:
        message.stop()
        self.users, self.active = message.users, message.playbook
        keep, self.go_to = self.go_to or self.table.current_login, None
        self._fill(keep)
        self.table.border_title = _("Users")
        self.query_one("#playbook", Static).update(
            playbook_text(
                message.playbook,
                self.zone,
                self.key_for("admin.playbook", "l"),
                self.key_for("admin.view_playbook", "v"),
            )
        )
        if self.armed is None:
            self._say_keys()

    def _fill(self, keep: str | None) -> None:
        """The accounts again, cut to the columns' widths, the cursor on ``keep`` if it is still listed."""
        table, widths = self.table, self.widths
        table.clear()
        now, zone = self.clock(), self.zone
        for user in self.users:
            cells: dict[str, object] = {
                "Login": cut(user.login, widths["Login"]),
                "Name": cut(user.name, widths["Name"]),
                "Role": cut(_(ROLE_NAMES[Role(user.role)]), widths["Role"]),
                "Team": cut(user.team or "–", widths["Team"]),
                "State": state_text(user, now, zone, widths["State"]),
                "Last sign-in": at(user.last_login_at, zone),
                "Lang.": "–" if user.language == accounts.AUTO else user.language,
            }
            table.add_row(*(cells[key] for key in widths), key=user.login)
        if keep is not None and keep in {u.login for u in self.users}:
            table.move_cursor(row=table.get_row_index(keep))

    def _say_keys(self) -> None:
        now = self.clock()
        locked = sum(1 for u in self.users if u.active and u.locked(now))
        inactive = sum(1 for u in self.users if not u.active)
        self.say(
            Content.from_markup(
                _(
                    "[b]$count[/b] users · $locked locked · $inactive deactivated. [b $accent]$a[/] adds, "
                    "[b $accent]$p[/] sets a PIN, [b $accent]$u[/] unlocks, [b $accent]$t[/] moves to a team, "
                    "[b $accent]$g[/] sets the language, [b $accent]$d[/] deactivates."
                ),
                count=str(len(self.users)),
                locked=str(locked),
                inactive=str(inactive),
                a=self.key_for("admin.add", "a"),
                p=self.key_for("admin.pin", "p"),
                u=self.key_for("admin.unlock", "u"),
                t=self.key_for("admin.team", "t"),
                g=self.key_for("admin.language", "g"),
                d=self.key_for("admin.deactivate", "d"),
            )
        )

    def say(self, text: str | Content, *, error: bool = False) -> None:
        message = self.query_one("#admin-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    @property
    def current(self) -> UserRow | None:
        login = self.table.current_login
        return next((u for u in self.users if u.login == login), None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if self.armed is not None and self.table.current_login != self.armed:
            self.armed = None  # moved on: the pending deactivation is off
            self._say_keys()

    # --- actions ------------------------------------------------------------------------------------------------

    def action_view_playbook(self) -> None:
        from operator_tui.tui.screens.playbook_view import PlaybookScreen

        self.app.push_screen(PlaybookScreen(self.db, self.actor))

    def action_add(self) -> None:
        self.app.push_screen(NewUserDialog(self.db, self.actor), self._added)

    def _added(self, login: str | None) -> None:
        if login:
            self.notify(_("Added {login}.").format(login=login), title=_("Users"))
            self.go_to = login
            self.load()

    def action_pin(self) -> None:
        user = self.current
        if user is not None:
            self.app.push_screen(PinDialog(self.db, self.actor, user.login, user.name), self._pin_set)

    def _pin_set(self, login: str | None) -> None:
        if login:
            self.notify(_("PIN of {login} changed.").format(login=login), title=_("Users"))
            self.load()

    def action_unlock(self) -> None:
        user = self.current
        if user is None:
            return
        if not user.locked(self.clock()):
            self.say(_("{login} is not locked out.").format(login=user.login))
            return
        self._change(lambda: accounts.unlock_user(self.db, self.actor, user.login), _("Unlocked {login}."), user)

    def action_team(self) -> None:
        user = self.current
        if user is None:
            return
        prompt = NotePrompt(
            _("Team · {name} ({login})").format(name=user.name, login=user.login),
            _("The team's name (a new name makes a new team); empty: no team."),
            value=user.team or "",
            enter_says=_("Enter saves · Esc back"),
        )
        self.app.push_screen(prompt, lambda team: self._teamed(user, team))

    def _teamed(self, user: UserRow, team: str | None) -> None:
        if team is None or team == (user.team or ""):
            return
        done = _("{login} is now in team {team}.") if team else _("{login} is now in no team.")
        self._change(lambda: accounts.set_team(self.db, self.actor, user.login, team or None), done, user, team=team)

    def action_language(self) -> None:
        """The next language for the highlighted user's screens: the terminal's, English, Russian, round again."""
        user = self.current
        if user is None:
            return
        order = accounts.LANGUAGES
        language = order[(order.index(user.language) + 1) % len(order)] if user.language in order else order[0]
        names = {accounts.AUTO: _("the terminal's"), "en": "English", "ru": "Русский"}
        done = _("{login} reads the screens in: {language}.")
        self._change(
            lambda: accounts.set_language(self.db, self.actor, user.login, language),
            done,
            user,
            language=names[language],
        )

    def action_deactivate(self) -> None:
        user = self.current
        if user is None:
            return
        if not user.active:
            self._change(
                lambda: accounts.set_active(self.db, self.actor, user.login, True), _("Reactivated {login}."), user
            )
            return
        if self.armed != user.login:
            self._ask_deactivate(user)
            return
        self.armed = None
        self._change(
            lambda: accounts.set_active(self.db, self.actor, user.login, False), _("Deactivated {login}."), user
        )

    @work(thread=True, exclusive=True, group="admin-ask", exit_on_error=False)
    def _ask_deactivate(self, user: UserRow) -> None:
        """The service's refusal at once (oneself, the last admin), else the question that a second press answers."""
        try:
            accounts.check_deactivate(self.db, self.actor, user.login)
        except ServiceError as exc:
            self.app.call_from_thread(self.say, worded(exc), error=True)
            return
        self.app.call_from_thread(self._arm, user)

    def _arm(self, user: UserRow) -> None:
        self.armed = user.login
        self.say(
            Content.from_markup(
                _(
                    "Deactivate [b]$name[/b] ($login)? They can no longer sign in; their calls and reviews "
                    "stay. [b $accent]$d[/] again deactivates; any other row keeps them."
                ),
                name=user.name,
                login=user.login,
                d=self.key_for("admin.deactivate", "d"),
            ),
            error=True,
        )

    def _change(self, call: Callable[[], object], done: str, user: UserRow, **facts: str) -> None:
        """Run ``call`` (a change to ``user``'s account) and say ``done`` with their login and ``facts`` put in
        (once: a team's name may hold braces)."""
        self._run_change(call, done.format(login=user.login, **facts))

    @work(thread=True, exclusive=False, group="admin-change", exit_on_error=False)
    def _run_change(self, call: Callable[[], object], done: str) -> None:
        try:
            call()
        except ServiceError as exc:
            self.app.call_from_thread(self.say, worded(exc), error=True)
            return
        self.app.call_from_thread(self.notify, done, title=_("Users"))
        self.app.call_from_thread(self._say_keys)
        self.load()
