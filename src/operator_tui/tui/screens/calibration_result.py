"""A calibration's results: each item's mark from every reviewer, the spread and whether all agreed, the share
of items agreed on and each reviewer's score. Until every reviewer has scored, the service refuses the comparison
(it stays blind) and this screen shows its word on how many have, instead of a table.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Static

from operator_tui.services import qa_calibration
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import InvalidInput
from operator_tui.services.qa_calibration import CalibrationResult
from operator_tui.tui.fit import cut
from operator_tui.tui.i18n import N_, _
from operator_tui.tui.messages import CalibrationCompared
from operator_tui.tui.qa_marks import score_text
from operator_tui.tui.screens.qa_screen import QaScreen

ITEM_WIDTH = 30  # the least the item's text gets


def agreement_line(result: CalibrationResult) -> Content:
    scores = " · ".join(f"{login} {score_text(score)}" for login, score in result.scores.items())
    colour = "$text-success" if result.agreement >= 80 else "$text-warning"
    return Content.from_markup(
        _("Agreement [b {colour}]$agreement %[/] of items · scores: $scores").format(colour=colour),
        agreement=score_text(result.agreement),
        scores=scores,
    )


class CalibrationResultScreen(QaScreen):
    SUB_TITLE = N_("Calibration results")
    AUTO_FOCUS = "#calibration-items"
    BINDINGS = [Binding("escape", "back", N_("Back"), id="calibration.back")]

    def __init__(self, db: Database, actor: Actor, calibration_id: int, about: str = "") -> None:
        """``about``: the call calibrated (customer, time, operator), for the table's title."""
        super().__init__(db, actor)
        self.calibration_id = calibration_id
        self.about = about

    def compose_body(self) -> ComposeResult:
        yield Static(id="qa-message")
        yield DataTable(id="calibration-items", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        title = _("Calibration #{id}").format(id=self.calibration_id)
        table.border_title = " · ".join(p for p in (title, self.about) if p)
        table.display = False
        self.say(_("Comparing the reviewers' marks…"))
        self.load()

    @work(thread=True, exclusive=True, group="calibration-result", exit_on_error=False)
    def load(self) -> None:
        try:
            result = qa_calibration.result(self.db, self.actor, self.calibration_id)
        except InvalidInput as waiting:  # "k of n reviewers have scored": not an error, the state of things
            self.post_message(CalibrationCompared(None, str(waiting)))
            return
        self.post_message(CalibrationCompared(result))

    def on_calibration_compared(self, message: CalibrationCompared) -> None:
        message.stop()
        result = message.result
        if result is None:
            self.say(Content.from_markup(_("[b]Still blind:[/b] $text."), text=message.waiting))
            return
        self.say(agreement_line(result))
        table = self.query_one(DataTable)
        table.clear(columns=True)
        # The item's text gets what the marks leave of the width (each column has a cell's padding of 2).
        width = max(ITEM_WIDTH, min(60, self.size.width - 6 - sum(max(len(r), 3) + 2 for r in result.reviewers) - 20))
        table.add_column(_("Item"), width=width)
        for login in result.reviewers:
            table.add_column(login, width=max(len(login), 3))
        table.add_column(_("Spread"), width=6)
        table.add_column(_("Agreed"), width=6)
        for item in result.items:
            marks = [
                Content.styled(item.marks.get(login, "–"), "" if item.agreed else "bold") for login in result.reviewers
            ]
            table.add_row(
                cut(item.text, width),
                *marks,
                f"{item.spread * 100:.0f} %",
                Content.styled(_("yes"), "$text-success")
                if item.agreed
                else Content.styled(_("no"), "bold $text-warning"),
                key=item.item_id,
            )
        table.display = True

    def action_back(self) -> None:
        self.dismiss()
