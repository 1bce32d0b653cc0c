"""The live board's tables: every operator with state, reason, time in state and strategy; the queue's depth per
strategy.

Rows are keyed (operator login, strategy label) and updated cell by cell when a refresh brings something new, so
the cursor and the scroll position stay where the supervisor left them; a row is added or removed only when an
operator appears or goes. Time in state is recomputed from the app's clock every second, without a service call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable

from operator_tui.services.board import Board, OperatorOnBoard
from operator_tui.services.operators import STATES
from operator_tui.tui import figures
from operator_tui.tui.fit import cut
from operator_tui.tui.i18n import N_, _
from operator_tui.tui.widgets.fitted_table import FittedTable, fitted_widths

STATE_LABELS = {
    "ready": N_("Ready"),
    "preview": N_("Preview"),
    "on call": N_("On call"),
    "wrap-up": N_("Wrap-up"),
    "paused": N_("Paused"),
    "offline": N_("Offline"),
}
STATE_COLORS = {  # theme variables
    "ready": "success", "preview": "secondary", "on call": "accent", "wrap-up": "warning", "paused": "error",
}  # fmt: skip
OPERATOR_COLUMNS = (
    ("login", N_("Operator"), 8),
    ("name", N_("Name"), 22),
    ("team", N_("Team"), 10),
    ("state", N_("State"), 15),
    ("since", N_("In state"), 8),
    ("reason", N_("Reason"), 14),
    ("strategy", N_("Strategy"), 24),
)
"""(key, header in English, widest) of the operators: all at their widest in the 120 columns of a roomy screen."""
OPERATOR_NARROWEST = {"name": 10, "strategy": 10, "reason": 8, "team": 7, "state": 11}
"""How far the columns give way on a narrower screen, in this order (widgets.fitted_table): every column stays in
sight at 80 columns, names cut first, instead of the table scrolling sideways."""
DEPTHS = ("fresh", "due", "waiting")  # the board's tiers of the queue, per strategy
DEPTH_HEADERS = {"fresh": N_("Fresh"), "due": N_("Due"), "waiting": N_("Waiting")}
ORDERS = ("team", "state")  # by team and login (as the service reads them), or by state, longest in it first


@dataclass(frozen=True)
class Labels:
    """The playbook's words for codes on the board, in the reader's language."""

    reasons: dict[str, str]
    strategies: dict[str, str]


def state_label(state: str) -> str:
    return _(STATE_LABELS[state]) if state in STATE_LABELS else state.capitalize()


class OperatorsTable(FittedTable):
    """One row per operator, keyed by login, in columns fitted to the table's width."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, fixed_columns=1)
        self.shown: dict[str, OperatorOnBoard] = {}
        self.labels = Labels({}, {})
        self.at: datetime | None = None  # when the board shown was read
        self.order = ORDERS[0]
        self.color: Callable[[str], str | None] = lambda _: None  # state -> colour; the screen knows the theme
        self.widths: dict[str, int] = {}

    def on_mount(self) -> None:
        widest = sum(width for *_, width in OPERATOR_COLUMNS) + 2 * len(OPERATOR_COLUMNS)
        self._columns(fitted_widths(OPERATOR_COLUMNS, OPERATOR_NARROWEST, widest))  # until it knows its size

    def _columns(self, widths: dict[str, int]) -> None:
        self.widths = widths
        for key, header, _width in OPERATOR_COLUMNS:
            self.add_column(_(header), width=widths[key], key=key)

    def on_fitted_table_resized(self, message: FittedTable.Resized) -> None:
        """The columns to the new width; the operators again, cut to them, the cursor on the same one."""
        message.stop()
        widths = fitted_widths(OPERATOR_COLUMNS, OPERATOR_NARROWEST, message.room)
        if widths == self.widths:
            return
        current = self.coordinate_to_cell_key(self.cursor_coordinate).row_key if self.row_count else None
        self.clear(columns=True)
        self._columns(widths)
        if self.at is not None:
            for login, operator in self.shown.items():
                self.add_row(*self._cells(operator, self.labels, self.at).values(), key=login)
        self.reorder()
        if current is not None and current in self.rows:
            self.move_cursor(row=self.get_row_index(current), animate=False)

    def show(self, board: Board, labels: Labels) -> None:
        """Bring the rows up to ``board``: changed cells only; new operators added, gone ones removed."""
        now = board.at
        self.labels, self.at = labels, now
        present = set()
        moved = False  # whether the order may have changed
        for operator in board.operators:
            present.add(operator.login)
            cells = self._cells(operator, labels, now)
            if operator.login not in self.shown:
                self.add_row(*cells.values(), key=operator.login)
                moved = True
            elif operator != self.shown[operator.login]:
                old = self._cells(self.shown[operator.login], labels, now)
                for column, value in cells.items():
                    if str(value) != str(old[column]) or column == "state":
                        self.update_cell(operator.login, column, value)
                moved = moved or self.order == "state"
            self.shown[operator.login] = operator
        for login in set(self.shown) - present:
            self.remove_row(login)
            del self.shown[login]
        if moved:
            self.reorder()

    def tick(self, now: datetime) -> None:
        """Time in state, from the clock: called every second."""
        for login, operator in self.shown.items():
            self.update_cell(login, "since", _right(figures.in_state(operator.since, now)))

    def reorder(self) -> None:
        """Sort by the current order; the cursor stays on the operator it was on."""
        current = self.coordinate_to_cell_key(self.cursor_coordinate).row_key if self.row_count else None
        if self.order == "state":
            rank = {state: n for n, state in enumerate(STATES)}

            def by_state(login: str) -> tuple[int, float]:
                return rank.get(self.shown[login].state, len(STATES)), _since(self.shown[login])

            self.sort("login", key=by_state)
        else:
            self.sort("team", "login", key=lambda cells: (str(cells[0]), str(cells[1])))
        if current is not None:
            self.move_cursor(row=self.get_row_index(current), animate=False)

    def _cells(self, o: OperatorOnBoard, labels: Labels, now: datetime) -> dict[str, Any]:
        color = self.color(o.state)
        style = Style(color=color, bold=True) if color else Style(dim=True)
        reason = labels.reasons.get(o.reason, o.reason) if o.reason else ""
        strategy = labels.strategies.get(o.strategy, o.strategy) if o.strategy else ""
        width = self.widths
        return {
            "login": cut(o.login, width["login"]),
            "name": cut(o.name, width["name"]),
            "team": cut(o.team or "", width["team"]),
            "state": Text(cut(f"● {state_label(o.state)}", width["state"]), style=style),
            "since": _right(figures.in_state(o.since, now)),
            "reason": cut(reason, width["reason"]),
            "strategy": cut(strategy, width["strategy"]),
        }


class DepthTable(DataTable[Any]):
    """Fresh, due and waiting customers per strategy (each count stops at the board's cap), keyed by strategy."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, fixed_columns=1)

    def on_mount(self) -> None:
        self.add_column(_("Strategy"), key="strategy")
        for key in DEPTHS:
            self.add_column(Text(_(DEPTH_HEADERS[key]), justify="right"), key=key)

    def show(self, board: Board) -> None:
        for strategy, counts in board.depth.items():
            cells = {key: _right(figures.capped(counts.get(key, 0), board.capped)) for key in DEPTHS}
            if strategy in self.rows:
                for key, value in cells.items():
                    self.update_cell(strategy, key, value, update_width=True)
            else:
                self.add_row(strategy, *cells.values(), key=strategy)
        for row_key in [k for k in self.rows if k.value not in board.depth]:
            self.remove_row(row_key)


def _right(text: str) -> Text:
    return Text(text, justify="right")


def _since(operator: OperatorOnBoard) -> float:
    """Longest in the state first; never in any state last."""
    return operator.since.timestamp() if operator.since else float("inf")
