"""Calibration sessions the supervisor takes part in or organised: whose call, who has scored, what is left.

Enter on a session whose blind review is still the reader's to score opens it in the review screen (the same keys
as any review); on any other session it opens the results, which the service shows only once every reviewer has
scored (until then the results screen says how many have). ``v`` opens the results directly.
"""

from __future__ import annotations

from datetime import tzinfo

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Static

from operator_tui.services import qa_sessions
from operator_tui.services.qa_sessions import CalibrationRow
from operator_tui.tui.fit import cut
from operator_tui.tui.i18n import N_, _
from operator_tui.tui.messages import CalibrationsLoaded
from operator_tui.tui.qa_marks import at
from operator_tui.tui.screens.calibration_result import CalibrationResultScreen
from operator_tui.tui.screens.qa_screen import QaScreen
from operator_tui.tui.screens.review import ReviewScreen
from operator_tui.tui.widgets.qa_tables import CalibrationTable

COLUMNS = (("#", 3), (N_("Call"), 28), (N_("Operator"), 8), (N_("Scored"), 6), (N_("Yours"), 9), (N_("Reviewers"), 40))
"""(header in English, also the column's key; width)."""


def reviewers_text(row: CalibrationRow) -> str:
    """``sup01 ✓ · qa01 …``: who has submitted (✓) and who has not yet (…)."""
    return " · ".join(f"{login} {'✓' if status == 'submitted' else '…'}" for login, status in row.reviewers)


def call_text(row: CalibrationRow, zone: tzinfo) -> str:
    return f"{row.customer} · {at(row.call_at, zone)}"


def yours(row: CalibrationRow) -> Content:
    if row.own_status is None:
        return Content.styled(_("organiser"), "dim")
    if row.own_status == "draft":
        return Content.styled(_("to score"), "bold $text-warning")
    return Content(_("scored"))


class CalibrationsScreen(QaScreen):
    SUB_TITLE = N_("Calibrations")
    AUTO_FOCUS = "#calibrations"
    BINDINGS = [
        Binding("v", "results", N_("Results"), id="calibrations.results"),
        Binding("escape", "back", N_("Back"), id="calibrations.back"),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.rows: list[CalibrationRow] = []

    def compose_body(self) -> ComposeResult:
        yield Static(id="qa-message")
        yield CalibrationTable(id="calibrations")

    @property
    def table(self) -> CalibrationTable:
        return self.query_one(CalibrationTable)

    def on_mount(self) -> None:
        for name, width in COLUMNS:
            self.table.add_column(_(name), width=width, key=name)
        self.table.border_title = _("Calibration sessions")
        self.say(_("Reading the calibrations…"))
        self.load()

    @work(thread=True, exclusive=True, group="calibrations", exit_on_error=False)
    def load(self) -> None:
        self.post_message(CalibrationsLoaded(qa_sessions.calibrations(self.db, self.actor)))

    def on_calibrations_loaded(self, message: CalibrationsLoaded) -> None:
        message.stop()
        table = self.table
        keep = table.current_id
        table.clear()
        self.rows = message.rows
        for row in message.rows:
            table.add_row(
                str(row.id),
                cut(call_text(row, self.zone), 28),
                row.operator,
                _("{scored} of {all}").format(scored=row.scored, all=len(row.reviewers)),
                yours(row),
                cut(reviewers_text(row), 40),
                key=str(row.id),
            )
        table.go_to(keep)
        if not self.rows:
            self.say(_("No calibrations yet. On the review queue, highlight a call and press c to calibrate it."))
        else:
            to_score = sum(row.own_status == "draft" for row in self.rows)
            self.say(
                Content.from_markup(
                    _(
                        "[b]$n[/b] to score blind. [b $accent]$open[/] scores yours or shows the results; "
                        "[b $accent]$results[/] the results."
                    ),
                    n=str(to_score),
                    open=self.key_for("calibrations.open", "enter"),
                    results=self.key_for("calibrations.results", "v"),
                )
            )

    @property
    def current(self) -> CalibrationRow | None:
        return next((row for row in self.rows if row.id == self.table.current_id), None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.current
        if row is None:
            return
        if row.own_review_id is not None and row.own_status == "draft":
            self.app.push_screen(ReviewScreen(self.db, self.actor, row.own_review_id), self._reload)
        else:
            self.action_results()

    def action_results(self) -> None:
        row = self.current
        if row is not None:
            about = f"{call_text(row, self.zone)} · {row.operator}"
            self.app.push_screen(CalibrationResultScreen(self.db, self.actor, row.id, about), self._reload)

    def _reload(self, _result: object = None) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss()
