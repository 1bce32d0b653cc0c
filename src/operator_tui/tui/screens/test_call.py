"""A test (mystery) call: the supervisor called an operator as a customer would, and scores it here at once
against a checklist, with an overall description of the call. It counts in the operator's results.

Nothing is saved until ctrl+S: the marks are kept on screen (the preview is computed from the playbook's
checklist as they are typed) and the service records the test call in one go, or refuses it with what is missing
(an unscored item, no description). Only the operators the supervisor oversees are offered.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Input, Select, Static

from operator_tui.core.qa_score import ItemMark, ScoreError, score_review
from operator_tui.services import qa_reviews
from operator_tui.tui.i18n import N_, _, ngettext
from operator_tui.tui.messages import PeopleLoaded
from operator_tui.tui.qa_data import ChecklistChoice, blank_items, checklists, operators
from operator_tui.tui.qa_marks import score_text
from operator_tui.tui.screens.qa_screen import QaScreen
from operator_tui.tui.widgets.checklist import ChecklistPanel
from operator_tui.tui.widgets.field import Field
from operator_tui.tui.workers import SerialCalls


class TestCallScreen(QaScreen):
    __test__ = False  # a screen, not a pytest class
    SUB_TITLE = N_("Test call")
    AUTO_FOCUS = "#test-operator"
    BINDINGS = [
        Binding("ctrl+s", "record", N_("Record"), id="test_call.record"),
        Binding("escape", "back", N_("Back"), id="test_call.back"),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.choices: list[ChecklistChoice] = []
        self.writes = SerialCalls(self, "test-call")
        self.saving = False

    def compose_body(self) -> ComposeResult:
        yield Static(id="qa-message")
        with Horizontal(id="test-pick"):
            yield Select[str]([], prompt=_("Operator called"), id="test-operator")
            yield Select[str]([], prompt=_("Checklist"), id="test-checklist")
        yield ChecklistPanel(editable=True)
        yield Static(id="test-score")
        yield Field(
            placeholder=_("describe the call: who called, when, what was asked (required)"),
            max_length=1000,
            id="test-overall",
        )

    @property
    def checklist(self) -> ChecklistPanel:
        return self.query_one(ChecklistPanel)

    def on_mount(self) -> None:
        self.say(_("Reading the operators and checklists…"))
        self.load()

    @work(thread=True, exclusive=True, group="test-call-load", exit_on_error=False)
    def load(self) -> None:
        people = operators(self.db, self.actor)
        self.post_message(PeopleLoaded(people, checklists(self.db, self.actor.language)))

    def on_people_loaded(self, message: PeopleLoaded) -> None:
        message.stop()
        self.choices = message.checklists
        self.query_one("#test-operator", Select).set_options((p.label(role=False), p.login) for p in message.people)
        picker = self.query_one("#test-checklist", Select)
        picker.set_options((c.title, c.id) for c in self.choices)
        if self.choices:
            picker.value = self.choices[0].id
            self._show_checklist(self.choices[0])
        self.say(
            Content.from_markup(
                _(
                    "Pick the operator and the checklist, score every item, describe the call, then "
                    "[b $accent]$key[/] records it. Tab moves between the parts."
                ),
                key=self.key_for("test_call.record", "ctrl+s"),
            )
        )

    @on(Select.Changed, "#test-checklist")
    def _checklist_changed(self, event: Select.Changed) -> None:
        event.stop()
        choice = next((c for c in self.choices if c.id == event.value), None)
        if choice is not None and choice is not self.current_choice:
            self._show_checklist(choice)

    def _show_checklist(self, choice: ChecklistChoice) -> None:
        self.current_choice = choice
        self.checklist.border_title = choice.title
        self.checklist.show(blank_items(choice.checklist, self.actor.language), editable=True)
        self.show_score()

    current_choice: ChecklistChoice | None = None

    def on_checklist_panel_marked(self, message: ChecklistPanel.Marked) -> None:
        message.stop()
        self.show_score()

    def on_checklist_panel_said(self, message: ChecklistPanel.Said) -> None:
        message.stop()
        self.say(message.text, error=message.error)

    @property
    def marks(self) -> dict[str, ItemMark]:
        return {item: mark for item, mark in self.checklist.marks.items() if mark is not None}

    def show_score(self) -> None:
        choice = self.current_choice
        if choice is None:
            return
        try:
            preview = score_review(choice.checklist, self.marks)
        except ScoreError as exc:  # cannot happen with marks the panel let through; say so rather than crash
            self.query_one("#test-score", Static).update(str(exc))
            return
        if preview.critical_failed:
            line = Content.from_markup(_("[b $text-error]✗ Critical failure: the call scores 0[/]"))
        else:
            left = len(preview.unanswered)
            line = Content.from_markup(
                _("Preview [b]$score[/b] · $left · [dim]digits mark, n N/A[/dim]"),
                score=score_text(preview.score),
                left=ngettext("{n} left", "{n} left", left).format(n=left) if left else _("all scored"),
            )
        self.query_one("#test-score", Static).update(line)

    def action_record(self) -> None:
        operator = self.query_one("#test-operator", Select).value
        choice = self.current_choice
        if not isinstance(operator, str):
            self.say(_("Pick the operator the test call was made to."), error=True)
            self.query_one("#test-operator", Select).focus()
            return
        if choice is None or self.saving:
            return
        overall = self.query_one("#test-overall", Input).value
        marks, now = self.marks, self.clock()
        self.saving = True
        self.say(_("Recording…"))
        self.writes.add(
            lambda: qa_reviews.test_call(self.db, self.actor, operator, choice.id, marks, overall, now=now),
            lambda _id: self._recorded(operator, score_review(choice.checklist, marks).score),
        )

    def _recorded(self, operator: str, score: float | None) -> None:
        self.notify(
            _("Test call of {operator} recorded: {score}.").format(operator=operator, score=score_text(score)),
            title=_("Test call"),
        )
        self.dismiss()

    def on_worker_failed(self, _message: object) -> None:
        # Not stopped: the app shows the service's refusal; what was typed stays for another try.
        self.saving = False
        self.say("")

    def action_back(self) -> None:
        self.dismiss()
