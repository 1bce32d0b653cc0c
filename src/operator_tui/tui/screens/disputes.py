"""Disputes of the operators a supervisor oversees (the QA group: everyone's), open ones first, with the history
of the highlighted one beside the list.

Enter on an open dispute opens the resolve dialog; on a settled one it opens the disputed review, read only, as
``v`` does on any. ``f`` shows only the open ones, or all again.
"""

from __future__ import annotations

from datetime import tzinfo

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Static

from operator_tui.services import qa_disputes
from operator_tui.services.qa_disputes import DisputeRow
from operator_tui.tui.fit import cut
from operator_tui.tui.i18n import N_, _
from operator_tui.tui.messages import DisputesLoaded
from operator_tui.tui.qa_marks import at, status_text
from operator_tui.tui.screens.qa_screen import QaScreen
from operator_tui.tui.screens.resolve import ResolveDialog
from operator_tui.tui.screens.review import ReviewScreen
from operator_tui.tui.widgets.qa_tables import DisputeTable

COLUMNS = (("#", 4), (N_("Operator"), 8), (N_("Status"), 15), (N_("Opened"), 12), (N_("Reason"), 40))
"""(header in English, also the column's key; width)."""
NARROW = 100


def dispute_detail(row: DisputeRow, zone: tzinfo) -> Content:
    """The dispute's reason, each step of its history and the decision, for the panel beside the list."""
    lines = [
        Content.from_markup(_("[b]Dispute #$id[/b] of review #$review"), id=str(row.id), review=str(row.review_id)),
        Content.from_markup(_("by [b]$who[/b] · $status"), who=row.operator, status=status_text(row.status)),
        Content(""),
        Content.styled(_("Reason"), "bold"),
        Content(row.reason),
        Content(""),
        Content.styled(_("History"), "bold"),
    ]
    for moment, who, action, note in row.history:
        lines.append(Content.assemble((at(moment, zone), "dim"), " ", (who, "bold"), " ", status_text(action)))
        if note and action != "opened":
            lines.append(Content.assemble("  ", (note, "italic")))
    return Content("\n").join(lines)


class DisputesScreen(QaScreen):
    SUB_TITLE = N_("Disputes")
    AUTO_FOCUS = "#disputes"
    BINDINGS = [
        Binding("v", "review", N_("Read the review"), id="disputes.review"),
        Binding("f", "filter", N_("Open only / all"), id="disputes.filter"),
        Binding("escape", "back", N_("Back"), id="disputes.back"),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.rows: list[DisputeRow] = []
        self.open_only = False

    def compose_body(self) -> ComposeResult:
        yield Static(id="qa-message")
        with Horizontal(id="disputes-body"):
            yield DisputeTable(id="disputes")
            yield Static(id="dispute-detail")

    @property
    def table(self) -> DisputeTable:
        return self.query_one(DisputeTable)

    def on_mount(self) -> None:
        for name, width in COLUMNS:
            self.table.add_column(_(name), width=width, key=name)
        self.say(_("Reading the disputes…"))
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    @work(thread=True, exclusive=True, group="disputes", exit_on_error=False)
    def load(self) -> None:
        rows = qa_disputes.disputes(self.db, self.actor, "open" if self.open_only else None)
        self.post_message(DisputesLoaded(rows))

    def on_disputes_loaded(self, message: DisputesLoaded) -> None:
        message.stop()
        table = self.table
        keep, index = table.current_id, table.cursor_row
        was = next((row.status for row in self.rows if row.id == keep), None)
        table.clear()
        # Open ones first (they wait for a decision), newest first within each.
        self.rows = sorted(message.rows, key=lambda row: row.status != "open")
        for row in self.rows:
            table.add_row(
                str(row.id),
                row.operator,
                Content.styled(status_text(row.status), "bold $text-warning" if row.status == "open" else ""),
                at(row.created_at, self.zone),
                cut(" ".join(row.reason.split()), 40),
                key=str(row.id),
            )
        now = next((row.status for row in self.rows if row.id == keep), None)
        table.keep_place(keep, index, moved=was == "open" and now != "open")
        table.border_title = _("Open disputes") if self.open_only else _("Disputes")
        waiting = sum(row.status == "open" for row in self.rows)
        if not self.rows:
            self.say(
                _("No open disputes.") if self.open_only else _("No disputes: no operator has contested a review.")
            )
        else:
            self.say(
                Content.from_markup(
                    _(
                        "[b]$n[/b] open. [b $accent]$enter[/] resolves the highlighted one; "
                        "[b $accent]$v[/] reads the review."
                    ),
                    n=str(waiting),
                    enter=self.key_for("disputes.open", "enter"),
                    v=self.key_for("disputes.review", "v"),
                )
            )
        self._detail()

    @property
    def current(self) -> DisputeRow | None:
        return next((row for row in self.rows if row.id == self.table.current_id), None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._detail()

    def _detail(self) -> None:
        row = self.current
        detail = self.query_one("#dispute-detail", Static)
        detail.update(dispute_detail(row, self.zone) if row else "")
        detail.display = row is not None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.current
        if row is None:
            return
        if row.status == "open":
            self.app.push_screen(ResolveDialog(self.db, self.actor, row), self._resolved)
        else:
            self.action_review()

    def _resolved(self, done: bool | None) -> None:
        if done:
            self.load()

    def action_review(self) -> None:
        row = self.current
        if row is not None:
            self.app.push_screen(ReviewScreen(self.db, self.actor, row.review_id))

    def action_filter(self) -> None:
        self.open_only = not self.open_only
        self.load()

    def action_back(self) -> None:
        self.dismiss()
