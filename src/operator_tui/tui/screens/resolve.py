"""Resolve a dispute: a decision, a note to the operator and, when the dispute is accepted fully or in part, the
new marks of the items in question (the other marks stay; the service makes a new review that supersedes the old).

The disputed review's marks are read when the dialog opens and shown in the same checklist panel as a review;
a changed item says what it was, Backspace puts its old mark back. Ctrl+S resolves through the service; a refusal
(no note, accepting without a new mark) is shown and the dialog stays, with everything typed still in it.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, RadioButton, RadioSet, Static

from operator_tui.core.qa_score import NA, ItemMark
from operator_tui.services import qa_disputes, qa_reviews
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.qa_disputes import DisputeRow
from operator_tui.tui.clock import utcnow
from operator_tui.tui.i18n import N_, _
from operator_tui.tui.messages import ReviewOpened
from operator_tui.tui.qa_marks import mark_text, score_text, status_text
from operator_tui.tui.screens.dialog import Dialog
from operator_tui.tui.widgets.checklist import ChecklistPanel
from operator_tui.tui.widgets.field import Field
from operator_tui.tui.workers import ReportsWorkerErrors, SerialCalls

DECISIONS = (("accepted", N_("Accept")), ("partly_accepted", N_("Partly accept")), ("rejected", N_("Reject")))


class ResolveDialog(ReportsWorkerErrors, Dialog[bool]):
    CSS_PATH = ["dialogs.tcss", "qa.tcss"]
    BINDINGS = [
        Binding("ctrl+s", "resolve", N_("Resolve"), id="resolve.confirm"),
        Binding("escape", "cancel", N_("Back"), id="resolve.cancel"),
    ]
    AUTO_FOCUS = "#resolve-decision"

    def __init__(self, db: Database, actor: Actor, dispute: DisputeRow) -> None:
        super().__init__()
        self.db = db
        self.actor = actor
        self.dispute = dispute
        self.was: dict[str, ItemMark] = {}
        self.writes = SerialCalls(self, "resolve")
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="resolve-box", classes="dialog") as box:
            box.border_title = _("Resolve dispute #{id} · {operator}").format(
                id=self.dispute.id, operator=self.dispute.operator
            )
            box.border_subtitle = _("Tab moves · ctrl+s resolves · Esc back")
            yield Static(
                Content.from_markup(_("[b]Reason[/b] $reason"), reason=" ".join(self.dispute.reason.split())),
                id="resolve-reason",
            )
            with RadioSet(id="resolve-decision"):
                for _decision, label in DECISIONS:
                    yield RadioButton(_(label))
            yield Field(placeholder=_("note to the operator: why (required)"), max_length=1000, id="resolve-note")
            yield Static("", id="resolve-score")
            yield ChecklistPanel(editable=True, id="resolve-items")
            yield Static("", id="note-message")

    @property
    def items(self) -> ChecklistPanel:
        return self.query_one(ChecklistPanel)

    def on_mount(self) -> None:
        self.items.border_title = _("Review #{id}: new marks for the items in question").format(
            id=self.dispute.review_id
        )
        self.items.display = False
        self.load()

    @work(thread=True, exclusive=True, group="resolve-load", exit_on_error=False)
    def load(self) -> None:
        view = qa_reviews.open_review(self.db, self.actor, self.dispute.review_id)
        self.post_message(ReviewOpened(view, [], None))

    def on_review_opened(self, message: ReviewOpened) -> None:
        message.stop()
        view = message.view
        self.was = {i.item_id: (NA if i.na else i.value) for i in view.items}
        self.items.show(view.items, editable=True, was=self.was)
        self.query_one("#resolve-score", Static).update(
            Content.from_markup(
                _("Review #$id by $who scored [b]$score[/b]"),
                id=str(view.row.id),
                who=view.row.reviewer,
                score=score_text(view.row.score, view.row.critical_failed),
            )
        )
        self._show_items()

    @property
    def decision(self) -> str | None:
        index = self.query_one(RadioSet).pressed_index
        return DECISIONS[index][0] if index >= 0 else None

    @on(RadioSet.Changed)
    def _decided(self, event: RadioSet.Changed) -> None:
        event.stop()
        self._say("")  # a "choose a decision first" is answered
        self._show_items()

    def _show_items(self) -> None:
        self.items.display = self.decision in ("accepted", "partly_accepted") and bool(self.was)

    @on(Input.Submitted, "#resolve-note")
    def _noted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.items.display:
            self.items.focus()
        else:
            self.action_resolve()

    def on_checklist_panel_marked(self, message: ChecklistPanel.Marked) -> None:
        message.stop()
        if message.mark is None:  # Backspace: the item keeps the mark it had
            self.items.set_mark(message.item_id, self.was.get(message.item_id))

    def on_checklist_panel_said(self, message: ChecklistPanel.Said) -> None:
        message.stop()
        self._say(message.text, error=message.error)

    @property
    def rescore(self) -> dict[str, ItemMark]:
        return {item: mark for item, mark in self.items.marks.items() if mark != self.was.get(item)}

    def action_resolve(self) -> None:
        decision = self.decision
        if decision is None:
            self._say(_("Choose a decision first: accept, partly accept or reject."), error=True)
            self.query_one(RadioSet).focus()
            return
        if self.saving:
            return
        note = self.query_one("#resolve-note", Input).value
        rescore = self.rescore if decision != "rejected" else None
        changed = ", ".join(f"{item} → {mark_text(mark)}" for item, mark in (rescore or {}).items())
        self._say(f"{_('Resolving…')} {changed}".strip())
        self.saving = True
        now = getattr(self.app, "clock", utcnow)()
        self.writes.add(
            lambda: qa_disputes.resolve(self.db, self.actor, self.dispute.id, decision, note, rescore, now=now),
            lambda new_id: self._done(decision, new_id),
        )

    def _done(self, decision: str, new_id: int | None) -> None:
        if new_id:
            text = _("Dispute #{id}: {decision}; the new review is #{new_id}.")
        else:
            text = _("Dispute #{id}: {decision}.")
        said = text.format(id=self.dispute.id, decision=status_text(decision), new_id=new_id)
        self.notify(said, title=_("Resolved"))
        self.dismiss(True)

    def on_worker_failed(self, _message: object) -> None:
        # Not stopped: the app shows the service's refusal; the dialog stays as it was, ready for another try.
        self.saving = False
        self._say("")

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#note-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    def action_cancel(self) -> None:
        self.dismiss(False)
