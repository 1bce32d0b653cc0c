"""Pick the reviewers of a calibration: supervisors and admins, at least two; the organiser is ticked already.

Space ticks or unticks the highlighted person; Enter starts the calibration with those ticked. The dialog only
chooses: the home screen starts the session through the service, which has the last word.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from operator_tui.tui.i18n import N_, _
from operator_tui.tui.qa_data import Person
from operator_tui.tui.screens.dialog import Dialog

MIN_REVIEWERS = 2


class ReviewerPicker(Dialog[list[str] | None]):
    CSS_PATH = ["dialogs.tcss", "qa.tcss"]
    BINDINGS = [
        Binding("enter", "start", N_("Start"), priority=True, id="reviewers.start"),
        Binding("escape", "cancel", N_("Back"), id="reviewers.cancel"),
    ]
    AUTO_FOCUS = "#reviewers-list"

    def __init__(self, people: list[Person], about: str, *, organiser: str) -> None:
        super().__init__()
        self.people = people
        self.about = about
        self.organiser = organiser

    def compose(self) -> ComposeResult:
        with Vertical(id="reviewers-box", classes="dialog") as box:
            box.border_title = _("Calibrate this call")
            box.border_subtitle = _("Space ticks · Enter starts · Esc back")
            yield Static(self.about, id="reviewers-about")
            yield Static(_("Who scores it, each blind to the others (at least two):"), id="reviewers-question")
            yield SelectionList[str](
                *(Selection(p.label(), p.login, p.login == self.organiser) for p in self.people),
                id="reviewers-list",
            )
            yield Static("", id="note-message")

    def on_mount(self) -> None:
        # The highlight starts on the first person not ticked yet: Space then ticks a second reviewer.
        listed = self.query_one(SelectionList)
        logins = [p.login for p in self.people]
        others = [n for n, login in enumerate(logins) if login != self.organiser]
        listed.highlighted = others[0] if others else 0

    @property
    def chosen(self) -> list[str]:
        return list(self.query_one(SelectionList).selected)

    def action_start(self) -> None:
        chosen = self.chosen
        if len(chosen) < MIN_REVIEWERS:
            message = self.query_one("#note-message", Static)
            message.update(
                _("Tick at least {least} reviewers with Space; {ticked} ticked.").format(
                    least=MIN_REVIEWERS, ticked=len(chosen)
                )
            )
            message.add_class("-error")
            return
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
