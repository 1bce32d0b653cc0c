"""The supervisor's home: this month's review queue (drafts first) and the ways to the rest of quality work.

``s`` draws the month's sample of calls for the operators the supervisor oversees (the service makes it once; a
second press adds only what is new), Enter opens the highlighted review, ``f`` narrows the list by status, ``c``
calibrates the highlighted call with other reviewers, ``/`` finds a customer to change their phone numbers.
Calibrations, disputes and test calls have their own screens; reports and the live board are another part of
the app, imported only when asked for, so this screen works (and says "coming soon") before they exist.
"""

from __future__ import annotations

import importlib
from datetime import datetime, tzinfo

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from operator_tui.services import customer_phones, qa_calibration, qa_reviews
from operator_tui.services.customer_phones import CustomerPhones, PhonesChanged
from operator_tui.services.qa_reviews import ReviewRow, SampleReport, month_of
from operator_tui.tui.fit import cut
from operator_tui.tui.i18n import N_, _, ngettext, strftime
from operator_tui.tui.messages import ReviewQueueLoaded
from operator_tui.tui.qa_data import Labels, Person, labels, reviewers
from operator_tui.tui.qa_marks import at, score_text, status_text
from operator_tui.tui.screens.home import HomeScreen
from operator_tui.tui.screens.phones import PhonesDialog, saved_text
from operator_tui.tui.screens.review import ReviewScreen
from operator_tui.tui.screens.reviewers import ReviewerPicker
from operator_tui.tui.screens.search import SearchScreen
from operator_tui.tui.widgets.fitted_table import fitted_widths
from operator_tui.tui.widgets.qa_tables import ReviewTable
from operator_tui.tui.workers import SerialCalls

FILTERS: list[str | None] = [None, "draft", "submitted"]
FILTER_NAMES = {None: N_("all"), "draft": N_("to do"), "submitted": N_("submitted")}
MENU = (
    ("reviews.open", "enter", N_("open the review")),
    ("supervisor.sample", "s", N_("draw the sample")),
    ("supervisor.filter", "f", N_("filter")),
    ("supervisor.month_before", "[", N_("the month before")),
    ("supervisor.month_after", "]", N_("the month after")),
    ("supervisor.calibrate", "c", N_("calibrate the call")),
    ("supervisor.calibrations", "k", N_("calibrations")),
    ("supervisor.disputes", "d", N_("disputes")),
    ("supervisor.test_call", "t", N_("test call")),
    ("supervisor.reports", "r", N_("reports")),
    ("supervisor.board", "l", N_("live board")),
    ("supervisor.find", "/", N_("phone numbers")),
)
MENU_HEADINGS = (N_("Reviews"), "", "", "", "", "", N_("Quality"), "", "", N_("Figures"), "", N_("Customers"))
NARROW = 104  # columns: below this the menu is left to the footer and F1 (and the queue keeps its columns)
COLUMNS = (
    ("Operator", N_("Operator"), 14),
    ("Call", N_("Call"), 12),
    ("Status", N_("Status"), 16),
    ("Score", N_("Score"), 5),
    ("Outcome", N_("Outcome"), 16),
    ("Strategy", N_("Strategy"), 14),
)
"""(column key, header in English, widest) of the review queue. With a cell's padding (2 each) they fill 89 cells: the
queue's panel at 120 columns, its scroll bar included. Narrower, the names give way first (``queue_widths``), so
every column stays on screen with an ellipsis where it is cut, never cut by the border."""
NARROWEST = {"Strategy": 8, "Operator": 10, "Outcome": 10}
"""How far each column that gives way may shrink, in the order they give way; the others keep their width."""


def queue_widths(room: int) -> dict[str, int]:
    return fitted_widths(COLUMNS, NARROWEST, room)


def month_name(month: str) -> str:
    return strftime(datetime.strptime(month + "-01", "%Y-%m-%d"), "%B %Y")


def queue_cells(row: ReviewRow, names: Labels, zone: tzinfo, widths: dict[str, int]) -> tuple[object, ...]:
    """One review as the queue shows it; names are data, never markup."""
    status = _("test call") if row.kind == "test" else status_text(row.status)
    if row.dispute is not None:  # an accepted dispute leaves a new review in the queue: only these remain
        status = (
            _("disputed") if row.dispute == "open" else _("dispute {status}").format(status=status_text(row.dispute))
        )
    score = Content.styled(
        score_text(row.score, row.critical_failed), "bold $text-error" if row.critical_failed else ""
    )
    return (
        Content(cut(row.operator_name or row.operator, widths["Operator"])),
        at(row.call_at, zone),
        Content.styled(cut(status, widths["Status"]), "bold" if row.status == "draft" else ""),
        score,
        Content(cut(names.outcome(row.outcome) or "–", widths["Outcome"])),
        Content(cut(names.strategy(row.strategy) or "–", widths["Strategy"])),
    )


class SupervisorHome(HomeScreen):
    SUB_TITLE = N_("Supervisor")
    CSS_PATH = "qa.tcss"  # home.tcss, if another home screen loaded it, undoes its grid for this screen
    AUTO_FOCUS = "#review-queue"
    BINDINGS = [
        Binding("s", "sample", N_("Sample"), id="supervisor.sample"),
        Binding("f", "filter", N_("Filter"), id="supervisor.filter"),
        Binding("left_square_bracket", "month(-1)", N_("Month before"), show=False, id="supervisor.month_before"),
        Binding("right_square_bracket", "month(1)", N_("Month after"), show=False, id="supervisor.month_after"),
        Binding("c", "calibrate", N_("Calibrate this call"), show=False, id="supervisor.calibrate"),
        Binding("k", "calibrations", N_("Calibrations"), id="supervisor.calibrations"),
        Binding("d", "disputes", N_("Disputes"), id="supervisor.disputes"),
        Binding("t", "test_call", N_("Test call"), id="supervisor.test_call"),
        Binding("r", "reports", N_("Reports"), id="supervisor.reports"),
        Binding("l", "board", N_("Board"), id="supervisor.board"),
        Binding("slash", "find", N_("Find a customer"), id="supervisor.find"),
        Binding("f5", "refresh", N_("Refresh"), show=False, id="supervisor.refresh"),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.status: str | None = None
        self.rows: list[ReviewRow] = []
        self.labels: Labels | None = None
        self.widths: dict[str, int] = {}
        self.month = ""
        self.calls = SerialCalls(self, "supervisor-calls")

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="supervisor-body"):
            with Vertical(id="queue-box"):
                yield Static(id="qa-message")
                yield ReviewTable(id="review-queue")
            yield Static(id="supervisor-menu")

    @property
    def table(self) -> ReviewTable:
        return self.query_one(ReviewTable)

    def on_mount(self) -> None:
        self.month = month_of(self.clock())
        self._columns(queue_widths(10_000))
        self._title()
        self.say(_("Reading the review queue…"))
        self.show_menu()
        self.refresh_queue()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    def _columns(self, widths: dict[str, int]) -> None:
        self.widths = widths
        for key, header, _width in COLUMNS:
            self.table.add_column(_(header), width=widths[key], key=key)

    def on_fitted_table_resized(self, message: ReviewTable.Resized) -> None:
        """The columns to the table's width now; the rows again, cut to them."""
        message.stop()
        widths = queue_widths(message.room)
        if widths != self.widths:
            keep, index = self.table.current_id, self.table.cursor_row
            self.table.clear(columns=True)
            self._columns(widths)
            self._fill()
            self.table.keep_place(keep, index, moved=False)

    def say(self, text: str | Content, *, error: bool = False) -> None:
        message = self.query_one("#qa-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    def show_menu(self) -> None:
        """The entries of quality work with their keys as they are now (after the user's keymap)."""
        filtered = _("filter: {which}").format(which=_(FILTER_NAMES[self.status]))
        entries = [(key, self.key_for(key, default), _(what)) for key, default, what in MENU]
        width = max(len(shown) for _, shown, _ in entries)
        lines: list[Content] = []
        for (binding_id, shown, what), heading in zip(entries, MENU_HEADINGS, strict=True):
            if heading:
                lines.append(Content.styled(("\n" if lines else "") + _(heading), "bold"))
            what = filtered if binding_id == "supervisor.filter" else what
            lines.append(Content.from_markup("[b $accent]$key[/] $what", key=shown.ljust(width), what=what))
        self.query_one("#supervisor-menu", Static).update(Content("\n").join(lines))

    def _title(self) -> None:
        month = month_name(self.month)
        if self.status is None:
            self.table.border_title = _("Reviews · {month}").format(month=month)
        else:
            self.table.border_title = _("Reviews · {month} · {which} only").format(
                month=month, which=_(FILTER_NAMES[self.status])
            )

    # --- the queue ------------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="review-queue", exit_on_error=False)
    def refresh_queue(self) -> None:
        rows = qa_reviews.review_queue(self.db, self.actor, self.month, self.status)
        self.post_message(ReviewQueueLoaded(rows, labels(self.db, self.actor.language), self.month, self.status))

    def on_review_queue_loaded(self, message: ReviewQueueLoaded) -> None:
        message.stop()
        if (message.month, message.status) != (self.month, self.status):
            return  # an older read, overtaken by a change of filter
        table = self.table
        keep, index = table.current_id, table.cursor_row
        was = next((row.status for row in self.rows if row.id == keep), None)
        self.rows, self.labels = message.rows, message.labels
        self._fill()
        now = next((row.status for row in self.rows if row.id == keep), None)
        table.keep_place(keep, index, moved=was == "draft" and now != "draft")
        self.say(self._summary())

    def _fill(self) -> None:
        """The rows again, cut to the columns' widths (the caller keeps the cursor's place)."""
        self.table.clear()
        if self.labels is not None:
            for row in self.rows:
                self.table.add_row(*queue_cells(row, self.labels, self.zone, self.widths), key=str(row.id))

    def _summary(self) -> Content:
        month = month_name(self.month)
        if not self.rows:
            if self.status == "draft":
                return Content(_("No reviews left to do for {month}.").format(month=month))
            if self.status is not None:
                return Content(_("No submitted reviews for {month}.").format(month=month))
            return Content.from_markup(
                _("No reviews for $month yet. Press [b $accent]$key[/] to draw its sample of calls."),
                month=month,
                key=self.key_for("supervisor.sample", "s"),
            )
        todo = sum(row.status == "draft" for row in self.rows)
        done = sum(row.status == "submitted" for row in self.rows)
        return Content.from_markup(
            _("[b]$todo[/b] to do · [b]$done[/b] submitted. [b $accent]$key[/] opens the highlighted review."),
            todo=str(todo),
            done=str(done),
            key=self.key_for("reviews.open", "enter"),
        )

    def _reload(self, _result: object = None) -> None:
        self.refresh_queue()

    def action_refresh(self) -> None:
        self.refresh_queue()

    def action_month(self, step: int) -> None:
        """The queue of the month before or after (a month's sample is reviewed into the next); never past this
        month."""
        year, month = map(int, self.month.split("-"))
        year, month = divmod(year * 12 + month - 1 + step, 12)
        wanted = f"{year:04d}-{month + 1:02d}"
        if wanted > month_of(self.clock()):
            self.say(_("{month} is still to come.").format(month=month_name(wanted)), error=True)
            return
        self.month = wanted
        self._title()
        self.say(_("Reading the review queue…"))
        self.refresh_queue()

    def action_filter(self) -> None:
        self.status = FILTERS[(FILTERS.index(self.status) + 1) % len(FILTERS)]
        self._title()
        self.show_menu()
        self.refresh_queue()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.open_review(int(event.row_key.value))

    def open_review(self, review_id: int) -> None:
        self.app.push_screen(ReviewScreen(self.db, self.actor, review_id), self._reload)

    # --- the sample -----------------------------------------------------------------------------------------

    def action_sample(self) -> None:
        now = self.clock()
        self.say(_("Drawing the sample of {month}…").format(month=month_name(self.month)))
        self.calls.add(lambda: qa_reviews.build_sample(self.db, self.actor, self.month, now=now), self._sampled)

    def _sampled(self, report: SampleReport) -> None:
        if report.created:
            calls = ngettext("{n} call", "{n} calls", report.created).format(n=report.created)
            text = ngettext(
                "{calls} of {n} operator drawn for review.",
                "{calls} of {n} operators drawn for review.",
                report.operators,
            ).format(calls=calls, n=report.operators)
        elif self.rows:
            text = _("Nothing new to draw: the sample of {month} is already in the queue.").format(
                month=month_name(report.month)
            )
        else:  # nothing drawn and nothing in the queue: the month had no calls to draw from
            text = _("No reached calls of your operators in {month} to draw from.").format(
                month=month_name(report.month)
            )
        self.notify(text, title=_("Sample {month}").format(month=report.month))
        self.refresh_queue()

    # --- calibration ----------------------------------------------------------------------------------------

    def action_calibrate(self) -> None:
        row = next((r for r in self.rows if r.id == self.table.current_id), None)
        if row is None:
            self.say(_("Highlight a review first: its call is the one calibrated."), error=True)
            return
        if row.kind == "test":
            self.say(_("A test call has no recorded call to calibrate on: pick a sampled call."), error=True)
            return

        def read() -> tuple[list[Person], int | None]:
            view = qa_reviews.open_review(self.db, self.actor, row.id)
            return reviewers(self.db, self.actor), view.call.interaction_id if view.call else None

        self.calls.add(read, lambda found: self._pick_reviewers(row, *found))

    def _pick_reviewers(self, row: ReviewRow, people: list[Person], interaction_id: int | None) -> None:
        if interaction_id is None:
            self.say(_("This review has no recorded call to calibrate on."), error=True)
            return
        about = _("{operator}'s call of {at}: {status} review #{id}").format(
            operator=row.operator_name, at=at(row.call_at, self.zone), status=status_text(row.status), id=row.id
        )
        picker = ReviewerPicker(people, about, organiser=self.actor.login)
        self.app.push_screen(picker, lambda chosen: self._start_calibration(interaction_id, chosen))

    def _start_calibration(self, interaction_id: int, chosen: list[str] | None) -> None:
        if not chosen:
            return
        now = self.clock()
        self.calls.add(
            lambda: qa_calibration.start(self.db, self.actor, interaction_id, chosen, now=now),
            lambda calibration_id: self.notify(
                _(
                    "Calibration #{id} started for {reviewers}: each scores the call blind under Calibrations ({key})."
                ).format(
                    id=calibration_id, reviewers=", ".join(chosen), key=self.key_for("supervisor.calibrations", "k")
                ),
                title=_("Calibration"),
            ),
        )

    # --- the other screens ----------------------------------------------------------------------------------

    def action_calibrations(self) -> None:
        from operator_tui.tui.screens.calibrations import CalibrationsScreen

        self.app.push_screen(CalibrationsScreen(self.db, self.actor))

    def action_disputes(self) -> None:
        from operator_tui.tui.screens.disputes import DisputesScreen

        self.app.push_screen(DisputesScreen(self.db, self.actor), self._reload)

    def action_test_call(self) -> None:
        from operator_tui.tui.screens.test_call import TestCallScreen

        self.app.push_screen(TestCallScreen(self.db, self.actor), self._reload)

    def action_find(self) -> None:
        """A customer's numbers: found as an operator finds an inbound caller, then changed in a dialog."""
        self.app.push_screen(SearchScreen(self.db, self.actor), self._found)

    def _found(self, customer_id: int | None) -> None:
        if customer_id is not None:
            self.calls.add(lambda: customer_phones.phones_of(self.db, self.actor, customer_id), self._edit_phones)

    def _edit_phones(self, shown: CustomerPhones) -> None:
        def saved(done: PhonesChanged | None) -> None:
            if done is not None:
                self.notify(saved_text(done), title=_("Phone numbers"))

        self.app.push_screen(PhonesDialog(self.db, self.actor, shown), saved)

    def action_reports(self) -> None:
        self._push_lazily("reports", "ReportsScreen", _("Reports"))

    def action_board(self) -> None:
        self._push_lazily("board", "BoardScreen", _("Live board"))

    def _push_lazily(self, module: str, name: str, what: str) -> None:
        """Push a screen from another part of the app, imported only now; until it exists, say so."""
        try:
            screen = getattr(importlib.import_module(f"operator_tui.tui.screens.{module}"), name)
        except (ImportError, AttributeError):
            self.notify(_("{what}: coming soon.").format(what=what), title=what)
            return
        self.app.push_screen(screen(self.db, self.actor))
