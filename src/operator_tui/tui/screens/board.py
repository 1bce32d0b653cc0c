"""The live board: every operator's state, reason, time in state and strategy, the count per state, and the
queue's depth per strategy with the callbacks due and the tasks open.

One worker reads the board; the next read is scheduled only when the last one is on screen (or failed), so a
slow database never piles reads up (dolphie's way, STYLE.md). Rows are updated in place by key. Time in state
ticks every second from the app's clock, with no service call; a frozen clock (tests) keeps it still.
"""

from __future__ import annotations

from datetime import UTC, tzinfo

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import get_current_worker

from operator_tui.core.text import localize
from operator_tui.services import accounts, board
from operator_tui.services.board import Board
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.operators import STATES
from operator_tui.services.runtime import runtime
from operator_tui.tui import figures
from operator_tui.tui.clock import Clock, utcnow
from operator_tui.tui.i18n import N_, _, ngettext, number
from operator_tui.tui.messages import WorkerFailed
from operator_tui.tui.report_commands import BoardCommands
from operator_tui.tui.widgets.board_tables import (
    ORDERS,
    STATE_COLORS,
    DepthTable,
    Labels,
    OperatorsTable,
    state_label,
)
from operator_tui.tui.widgets.key_bar import KeyBar
from operator_tui.tui.widgets.title_bar import TitleBar
from operator_tui.tui.workers import ReportsWorkerErrors


class BoardLoaded(Message):
    def __init__(self, board: Board, labels: Labels) -> None:
        super().__init__()
        self.board = board
        self.labels = labels


class BoardScreen(ReportsWorkerErrors, Screen[None]):
    CSS_PATH = "board.tcss"
    COMMANDS = {BoardCommands}
    SUB_TITLE = N_("Live board")
    AUTO_FOCUS = "#board-operators"
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="board.back"),
        Binding("r", "refresh_now", N_("Refresh now"), id="board.refresh"),
        Binding("s", "order", N_("Sort"), id="board.sort"),
        Binding("u", "unlock", N_("Unlock"), id="board.unlock"),
        Binding("t", "team", N_("My team / the floor"), id="board.team"),
    ]
    REFRESH_S = 5.0
    """Seconds between the end of one read and the start of the next."""
    RETRY_S = 30.0
    """After a failed read: the app has said why; try again later, not every few seconds."""
    TICK_S = 1.0

    def __init__(self, db: Database, actor: Actor) -> None:
        super().__init__()
        self.sub_title = _(self.SUB_TITLE)
        self.db = db
        self.actor = actor
        self.board: Board | None = None
        self.reading = False
        self.failures = 0  # reads failed in a row: only the first is told
        self.next_read: Timer | None = None
        self.team_only = False  # t: the reader's own team's operators only (a supervisor with a team)

    @property
    def clock(self) -> Clock:
        return getattr(self.app, "clock", utcnow)

    @property
    def zone(self) -> tzinfo:
        return getattr(self.app, "zone", UTC)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(Content.styled(_("Reading the board…"), "dim"), id="board-states")
        yield OperatorsTable(id="board-operators")
        with Horizontal(id="board-queue"):
            yield DepthTable(id="board-depth")
            yield Static(id="board-work")
        yield KeyBar()

    def on_mount(self) -> None:
        operators = self.query_one(OperatorsTable)
        operators.border_title = _("Operators")
        operators.color = self._color
        self.query_one(DepthTable).border_title = _("Queue depth")
        self.query_one("#board-work").border_title = _("Work waiting")
        self.read()
        self.set_interval(self.TICK_S, self.tick)

    def _color(self, state: str) -> str | None:
        variable = STATE_COLORS.get(state)
        return self.app.theme_variables.get(variable) if variable else None

    # --- reading ------------------------------------------------------------------------------------------------

    def read(self) -> None:
        """Start a read unless one is under way; the next is scheduled when this one ends."""
        if self.next_read is not None:
            self.next_read.stop()
            self.next_read = None
        if self.reading:
            return
        self.reading = True
        self._read()

    def _schedule(self, delay: float) -> None:
        if self.is_attached and self.next_read is None:
            self.next_read = self.set_timer(delay, self._due)

    def _due(self) -> None:
        self.next_read = None
        if self.is_current:
            self.read()
        else:  # under another screen: look again later, read nothing meanwhile
            self._schedule(self.REFRESH_S)

    @work(thread=True, exclusive=True, group="board", exit_on_error=False)
    def _read(self) -> None:
        view = board.board(self.db, self.actor, now=self.clock(), team_only=self.team_only)
        playbook = runtime(self.db).playbook
        lang = self.actor.language
        labels = Labels(
            reasons={r.code: localize(r.label, lang) or r.code for r in playbook.pause_reasons},
            strategies={s.id: localize(s.label, lang) or s.id for s in playbook.strategies},
        )
        if not get_current_worker().is_cancelled:
            self.post_message(BoardLoaded(view, labels))

    def on_board_loaded(self, message: BoardLoaded) -> None:
        message.stop()
        self.reading = False
        self.failures = 0
        self.board = message.board
        self.query_one(OperatorsTable).show(message.board, message.labels)
        self.query_one(DepthTable).show(message.board)
        cap = message.board.capped
        names = (_("Callbacks due"), _("Tasks open"))
        width = max(len(name) for name in names)
        self.query_one("#board-work", Static).update(
            Content.from_markup(
                "$callbacks_name [b]$callbacks[/b]\n$tasks_name [b]$tasks[/b]",
                callbacks_name=names[0].ljust(width),
                tasks_name=names[1].ljust(width),
                callbacks=f"{figures.capped(message.board.callbacks_due, cap):>7}",
                tasks=f"{figures.capped(message.board.tasks_open, cap):>7}",
            )
        )
        self.show_states()
        self._schedule(self.REFRESH_S)

    def on_worker_failed(self, message: WorkerFailed) -> None:
        if message.worker_name != "_read":
            return
        self.reading = False
        self.failures += 1
        if self.failures > 1:
            message.stop()  # the app told the first failure; the board says the rest by its stale time
        self._schedule(self.RETRY_S)

    # --- on screen ----------------------------------------------------------------------------------------------

    def show_states(self) -> None:
        view = self.board
        if view is None:
            return
        parts = []
        for state in (*STATES, *sorted(set(view.states) - set(STATES))):
            n = view.states.get(state, 0)
            color = self._color(state) or "$text-muted"
            parts.append(
                Content.from_markup(
                    f"[{color}]●[/] $label [b]$n[/b]" if n else "[dim]● $label $n[/dim]",
                    label=state_label(state),
                    n=number(n),
                )
            )
        line = Content("   ").join(parts)
        states = self.query_one("#board-states", Static)
        if states.size.width and line.cell_length > states.content_region.width:  # 80 columns: closer, one line
            line = Content("  ").join(parts)
        states.update(line)
        total = len(view.operators)
        self.query_one(OperatorsTable).border_subtitle = ngettext(
            "{n} operator · read at {at}, every {every} s", "{n} operators · read at {at}, every {every} s", total
        ).format(n=number(total), at=f"{view.at.astimezone(self.zone):%H:%M:%S}", every=f"{self.REFRESH_S:g}")

    def tick(self) -> None:
        if self.board is not None:
            self.query_one(OperatorsTable).tick(self.clock())

    # --- keys ---------------------------------------------------------------------------------------------------

    def action_refresh_now(self) -> None:
        self.read()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "team":
            return self.actor.team_id is not None
        return True

    def action_team(self) -> None:
        self.team_only = not self.team_only
        self._title()
        self.read()

    def _title(self) -> None:
        table = self.query_one(OperatorsTable)
        title = _("Operators") if table.order == "team" else _("Operators · by state, longest first")
        if self.team_only:
            title += " · " + (self.actor.team_name or _("my team"))
        table.border_title = title

    def action_order(self) -> None:
        table = self.query_one(OperatorsTable)
        table.order = ORDERS[(ORDERS.index(table.order) + 1) % len(ORDERS)]
        table.reorder()
        self._title()

    def action_back(self) -> None:
        self.dismiss(None)

    # --- unlocking ----------------------------------------------------------------------------------------------

    def action_unlock(self) -> None:
        """Lift the lock-out of the highlighted operator (ten wrong PINs), who would wait 15 minutes otherwise."""
        table = self.query_one(OperatorsTable)
        if not table.row_count:
            return
        login = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if login is not None:
            self._unlock(str(login))

    @work(thread=True, exclusive=True, group="board-unlock", exit_on_error=False)
    def _unlock(self, login: str) -> None:
        now = self.clock()
        user = next((u for u in accounts.list_users(self.db, self.actor) if u.login == login), None)
        locked = user is not None and user.locked(now)
        if not locked:
            self.app.call_from_thread(self.notify, _("{login} is not locked out.").format(login=login))
            return
        accounts.unlock_user(self.db, self.actor, login)
        self.app.call_from_thread(self.notify, _("Unlocked {login}.").format(login=login), title=_("Unlock"))
