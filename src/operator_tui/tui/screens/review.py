"""One review: the call beside its checklist, scored item by item with the keyboard, saved as it is scored.

Every mark, comment and the submit are service calls made in order by one :class:`SerialCalls`, so the draft on
disk is always what the screen shows, a later mark is never overwritten by an earlier one, and the score preview
comes back from the service with each mark. Submitting a review with items left is refused by the service; the
screen then shows the first item left. A submitted review, someone else's, and any review an operator opens are
read only: the keys that score are not offered. An operator may dispute their own review from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from operator_tui.core.qa_score import ReviewScore
from operator_tui.core.roles import Role
from operator_tui.services import qa_disputes, qa_reviews
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import InvalidInput
from operator_tui.services.qa_disputes import DisputeRow
from operator_tui.services.qa_reviews import ReviewView
from operator_tui.tui.fit import cut
from operator_tui.tui.i18n import N_, _, ngettext
from operator_tui.tui.messages import ReviewOpened, WorkerFailed
from operator_tui.tui.qa_data import labels, with_questions_filled
from operator_tui.tui.qa_marks import score_text, status_text
from operator_tui.tui.refusals import worded
from operator_tui.tui.screens.note import NotePrompt
from operator_tui.tui.screens.qa_screen import QaScreen
from operator_tui.tui.widgets.call_panel import CallPanel, call_content, dispute_content, review_heading
from operator_tui.tui.widgets.checklist import ChecklistPanel
from operator_tui.tui.workers import SerialCalls

NARROW = 100  # columns: below this the call goes above the checklist
WRITES = "review-writes"


class ReviewScreen(QaScreen):
    SUB_TITLE = N_("Review")
    AUTO_FOCUS = "#checklist"
    BINDINGS = [
        Binding("c", "comment", N_("Comment"), id="review.comment"),
        Binding("o", "overall", N_("Overall comment"), id="review.overall"),
        Binding("ctrl+s", "submit", N_("Submit"), id="review.submit"),
        Binding("d", "dispute", N_("Dispute"), id="review.dispute"),
        Binding("g", "successor", N_("The review that counts"), id="review.successor"),
        Binding("escape", "back", N_("Back"), id="review.back"),
    ]

    def __init__(self, db: Database, actor: Actor, review_id: int) -> None:
        super().__init__(db, actor)
        self.review_id = review_id
        self.view: ReviewView | None = None
        self.preview: ReviewScore | None = None
        self.disputes: list[DisputeRow] = []
        self.pending = 0  # writes not answered yet: "saving…" until it is 0
        self.submit_asked = False  # the submit key pressed once: again (nothing changed between) submits
        self.writes_queued = 0  # service calls queued so far (to tell whether one came after the submit check)
        self.submit_said = False  # the message line holds the submit key's question or refusal
        self.writes = SerialCalls(self, WRITES)

    def compose_body(self) -> ComposeResult:
        yield Static(id="review-heading")
        with Horizontal(id="review-body"):
            yield CallPanel()
            with Vertical(id="review-side"):
                yield ChecklistPanel(editable=False)
                yield Static(id="qa-message")
                yield Static(id="review-score")

    @property
    def checklist(self) -> ChecklistPanel:
        return self.query_one(ChecklistPanel)

    @property
    def editable(self) -> bool:
        return self.view is not None and self.view.editable and self.actor.role is not Role.OPERATOR

    def on_mount(self) -> None:
        self.say("")
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    # --- reading --------------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="review-load", exit_on_error=False)
    def load(self) -> None:
        self.post_message(self._read())

    def _read(self) -> ReviewOpened:
        """In a worker: the review, its disputes (if it was disputed) and the strategy's name."""
        view = with_questions_filled(self.db, qa_reviews.open_review(self.db, self.actor, self.review_id))
        disputes = []
        if view.row.dispute is not None:
            disputes = [d for d in qa_disputes.disputes(self.db, self.actor) if d.review_id == self.review_id]
        strategy = labels(self.db, self.actor.language).strategy(view.call.strategy) if view.call else None
        return ReviewOpened(view, disputes, strategy)

    def on_review_opened(self, message: ReviewOpened) -> None:
        message.stop()
        view = self.view = message.view
        self.preview = view.preview
        self.disputes = message.disputes
        self.sub_title = _("Calibration (blind)") if view.row.kind == "calibration" else _("Review")
        self.query_one("#review-heading", Static).update(review_heading(view))
        title = _("Call") if view.call is None else _("Call · {customer}").format(customer=view.call.customer)
        self.query_one(CallPanel).show(
            lambda width: call_content(view, self.zone, message.strategy_label, width), title
        )
        self.checklist.border_title = view.checklist_title
        self.checklist.show(view.items, editable=self.editable)
        self.checklist.read_only = self._read_only(view)
        self.show_score()
        self.refresh_bindings()

    # --- scoring --------------------------------------------------------------------------------------------

    def _write(self, call: Callable[[], Any], done: Callable[[Any], object] | None = None) -> None:
        """Queue a service call behind the earlier ones; the score line says "saving…" until all are answered."""
        self.pending += 1
        self.writes_queued += 1
        self.submit_asked = False  # a change after the submit key: it is asked again
        if self.submit_said:  # its question or refusal no longer holds: the next submit key says the new one
            self.submit_said = False
            self.say("")

        def answered(result: Any) -> None:
            self.pending = max(self.pending - 1, 0)
            if done is not None:
                done(result)
            self.show_score()

        self.writes.add(call, answered)
        self.show_score()

    def on_checklist_panel_marked(self, message: ChecklistPanel.Marked) -> None:
        message.stop()
        if not self.editable:
            return
        item_id, mark = message.item_id, message.mark
        self._write(lambda: qa_reviews.mark(self.db, self.actor, self.review_id, item_id, mark), self._previewed)

    def _previewed(self, preview: ReviewScore) -> None:
        self.preview = preview

    def on_checklist_panel_said(self, message: ChecklistPanel.Said) -> None:
        message.stop()
        self.say(message.text, error=message.error)

    def _read_only(self, view: ReviewView) -> str:
        """Why digits set nothing here."""
        if self.actor.role is Role.OPERATOR:
            key = self.key_for("review.dispute", "d")
            return _("Your review is read only. If you think a mark is wrong, dispute it with {key}.").format(key=key)
        if view.row.status != "draft":
            return _("This review is {status}: read only.").format(status=status_text(view.row.status))
        return _("This review is {reviewer}'s to score: read only.").format(reviewer=view.row.reviewer)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("comment", "overall", "submit"):
            return self.editable
        if action == "dispute":  # an operator's own review, not yet disputed (one dispute per review)
            return self.actor.role is Role.OPERATOR and self.view is not None and self.view.row.dispute is None
        if action == "successor":  # re-scored after a dispute: the new review is a key away
            return self.view is not None and self.view.superseded_by is not None
        return True

    def action_successor(self) -> None:
        if self.view is not None and self.view.superseded_by is not None:
            self.app.push_screen(ReviewScreen(self.db, self.actor, self.view.superseded_by))

    def action_comment(self) -> None:
        item = self.checklist.current
        if not self.editable or item is None:
            return
        prompt = NotePrompt(
            _("Comment · {item}").format(item=cut(item.text, 40)),
            _("What the operator should know about this item. An empty comment clears it."),
            value=self.checklist.comments.get(item.item_id) or "",
            placeholder=_("the comment"),
        )

        def written(text: str | None) -> None:
            if text is None:
                return
            item_id, mark = item.item_id, self.checklist.marks.get(item.item_id)
            self.checklist.set_comment(item_id, text or None)
            self._write(
                lambda: qa_reviews.mark(self.db, self.actor, self.review_id, item_id, mark, comment=text),
                self._previewed,
            )

        self.app.push_screen(prompt, written)

    def action_overall(self) -> None:
        if not self.editable or self.view is None:
            return
        prompt = NotePrompt(
            _("Overall comment"),
            _("What went well and what to work on, for the operator. An empty comment clears it."),
            value=self.view.comment or "",
            placeholder=_("the overall comment"),
        )
        self.app.push_screen(prompt, self._overall)

    def _overall(self, text: str | None) -> None:
        if text is None or self.view is None:
            return
        self.view = _with_comment(self.view, text or None)
        self._write(lambda: qa_reviews.comment(self.db, self.actor, self.review_id, text))

    def action_submit(self) -> None:
        """Submit, once asked twice: the operator sees a submitted review at once, and it is no longer changed
        (a dispute rescores it in a new review). The first press asks the service what it would do: its refusal
        (an item left, a bottom mark without a comment) at once, else the score to confirm."""
        if not self.editable:
            return
        if not self.submit_asked:
            asked = self.writes_queued + 1  # the check below: a write queued after it means something changed
            self._write(
                lambda: qa_reviews.check_submit(self.db, self.actor, self.review_id),
                lambda result: self._ask_to_submit(result, asked),
            )
            return
        now = self.clock()
        self._write(lambda: qa_reviews.submit(self.db, self.actor, self.review_id, now=now), self._submitted)
        self.say(_("Submitting…"))

    def _ask_to_submit(self, result: ReviewScore, asked: int) -> None:
        if self.writes_queued != asked:
            return  # marked or commented again meanwhile: the submit key is asked again
        self.submit_asked = True
        self.submit_said = True
        self.say(
            _("Submit with {score}? The operator sees it at once and it is final. {key} again submits.").format(
                score=score_text(result.score, result.critical_failed), key=self.key_for("review.submit", "ctrl+s")
            )
        )

    def _submitted(self, result: ReviewScore) -> None:
        self.say("")
        self.notify(
            _("Review #{id} is submitted: {score}.").format(
                id=self.review_id, score=score_text(result.score, result.critical_failed)
            ),
            title=_("Submitted"),
        )
        self.load()

    def on_worker_failed(self, message: WorkerFailed) -> None:
        # Not stopped: the app shows the service's message. Here the screen shows where the problem is.
        if message.worker_name == "load":
            self.query_one(CallPanel).show(Content.styled(_("This review could not be opened."), "$text-error"))
            return
        if message.worker_name != WRITES:
            return
        self.pending = max(self.pending - 1, 0)
        error = message.error
        if isinstance(error, InvalidInput) and error.problems:
            self.checklist.go_to(error.problems[0])
            self.checklist.focus()
            self.say(worded(error), error=True)
            self.submit_said = True
            # The message may take more lines than the last one and shrink the checklist: keep the item in view.
            self.call_after_refresh(self.checklist.scroll_to_highlight)
        elif self.editable:
            # A mark was refused: read the draft again (after the writes before it), so the screen shows the truth.
            self._write(lambda: self._read(), lambda opened: self.on_review_opened(opened))
        self.show_score()

    # --- disputes (operators) -------------------------------------------------------------------------------

    def action_dispute(self) -> None:
        if self.actor.role is not Role.OPERATOR:
            return
        prompt = NotePrompt(
            _("Dispute review #{id}").format(id=self.review_id),
            _("Which mark do you think is wrong, and why? Your supervisor reads it and answers."),
            placeholder=_("what you dispute and why"),
            required=_("Say what you dispute and why."),
        )
        now = self.clock()
        self._write(  # refused at once (too late, say), before a reason is written for nothing
            lambda: qa_disputes.check_disputable(self.db, self.actor, self.review_id, now=now),
            lambda _: self.app.push_screen(prompt, self._dispute),
        )

    def _dispute(self, reason: str | None) -> None:
        if reason is None:
            return
        now = self.clock()
        self._write(
            lambda: qa_disputes.open_dispute(self.db, self.actor, self.review_id, reason, now=now),
            lambda _id: self._disputed(),
        )

    def _disputed(self) -> None:
        self.notify(
            _("Your dispute of review #{id} is sent to your supervisor.").format(id=self.review_id), title=_("Disputed")
        )
        self.load()

    # --- the score line -------------------------------------------------------------------------------------

    def show_score(self) -> None:
        view = self.view
        if view is None:
            return
        lines = [self._score_line(view)]
        lines.append(
            Content.from_markup(
                _("[dim]Overall[/dim] $text"), text=view.comment or (_("– (o writes it)") if self.editable else "–")
            )
        )
        for dispute in self.disputes:
            lines.append(dispute_content(dispute, self.zone))
        self.query_one("#review-score", Static).update(Content("\n").join(lines))

    def _score_line(self, view: ReviewView) -> Content:
        saving = " · " + _("saving…") if self.pending else " · " + _("saved") if self.editable else ""
        if not self.editable and view.row.status != "draft":
            when = f" · {status_text(view.row.status)}"
            if view.superseded_by is not None:
                when += " · " + _("the score that counts is review #{id} ({key} opens it)").format(
                    id=view.superseded_by, key=self.key_for("review.successor", "g")
                )
            return Content.from_markup(
                _("Score [b]$score[/b]$when$failed"),
                score=score_text(view.row.score, view.row.critical_failed),
                when=when,
                failed=" · " + _("a critical item failed") if view.row.critical_failed else "",
            )
        preview = self.preview or view.preview
        left = sum(1 for item in self.checklist.items if self.checklist.marks.get(item.item_id) is None)
        if preview.critical_failed:
            failed = [
                i.text for i in self.checklist.items if i.critical and self.checklist.marks.get(i.item_id) == i.scale[0]
            ]
            return Content.from_markup(
                _("[b $text-error]✗ Critical failure: the review scores 0[/] [dim]($items)[/dim]$saving"),
                items=cut(", ".join(failed), 60),
                saving=saving,
            )
        if left:
            keys = ngettext("{n} left", "{n} left", left).format(n=left)
        else:
            keys = _("{key} submits").format(key=self.key_for("review.submit", "ctrl+s"))
        return Content.from_markup(
            _("Preview [b]$score[/b] · $keys · [dim]digits mark, n N/A, c comments[/dim]$saving"),
            score=score_text(preview.score),
            keys=keys,
            saving=saving,
        )

    # --- leaving --------------------------------------------------------------------------------------------

    def action_back(self) -> None:
        if self.pending:
            # Leave once what was scored is saved, so the queue behind reads the review as it is now.
            self.say(_("Saving…"))
            self.writes.add(lambda: None, lambda _: self.dismiss())
        else:
            self.dismiss()


def _with_comment(view: ReviewView, comment: str | None) -> ReviewView:
    return replace(view, comment=comment)
