"""An operator's own reviews: the submitted ones only (drafts and calibrations are the reviewers' business), with
the score, whether a critical item failed and what became of a dispute, and this month's QA average.

Enter opens a review read only, with its call and every mark and comment; ``d`` disputes the highlighted review
with a reason. The service allows one dispute per review: a second is refused with its message.
"""

from __future__ import annotations

from datetime import datetime

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Static

from operator_tui.services import qa_disputes, qa_reviews
from operator_tui.services.qa_reviews import ReviewRow, month_of
from operator_tui.tui.fit import cut
from operator_tui.tui.i18n import N_, _, strftime
from operator_tui.tui.messages import MyReviewsLoaded
from operator_tui.tui.qa_data import Labels, labels
from operator_tui.tui.qa_marks import at, score_text, status_text
from operator_tui.tui.screens.note import NotePrompt
from operator_tui.tui.screens.qa_screen import QaScreen
from operator_tui.tui.screens.review import ReviewScreen
from operator_tui.tui.widgets.qa_tables import ReviewTable
from operator_tui.tui.workers import SerialCalls

COLUMNS = ((N_("Call"), 12), (N_("Kind"), 8), (N_("Outcome"), 20), (N_("Score"), 5), (N_("By"), 8), (N_("Dispute"), 16))
"""(header in English, also the column's key; width)."""
KINDS = {"sample": N_("sample"), "supervisor": N_("review"), "test": N_("test call")}


def my_cells(row: ReviewRow, names: Labels, zone: object, now: datetime) -> tuple[object, ...]:
    score = Content.styled(
        score_text(row.score, row.critical_failed), "bold $text-error" if row.critical_failed else ""
    )
    return (
        at(row.call_at, zone),  # type: ignore[arg-type]
        _(KINDS[row.kind]) if row.kind in KINDS else row.kind,
        cut(names.outcome(row.outcome) or "–", 20),
        score,
        row.reviewer,
        status_text(row.dispute) or _dispute_window(row, zone, now),
    )


def _dispute_window(row: ReviewRow, zone: object, now: datetime) -> str:
    """Not disputed: until when it may be (the playbook's window from the review), or "–" once that has passed."""
    if row.dispute_until is None or row.dispute_until < now:
        return "–"
    return _("until {day}").format(day=strftime(row.dispute_until.astimezone(zone), "%d %b"))  # type: ignore[arg-type]


class MyReviewsScreen(QaScreen):
    SUB_TITLE = N_("My reviews")
    AUTO_FOCUS = "#my-reviews"
    BINDINGS = [
        Binding("d", "dispute", N_("Dispute"), id="my_reviews.dispute"),
        Binding("escape", "back", N_("Back"), id="my_reviews.back"),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.rows: list[ReviewRow] = []
        self.writes = SerialCalls(self, "my-reviews-writes")

    def compose_body(self) -> ComposeResult:
        yield Static(id="qa-message")
        yield ReviewTable(id="my-reviews")

    @property
    def table(self) -> ReviewTable:
        return self.query_one(ReviewTable)

    def on_mount(self) -> None:
        for name, width in COLUMNS:
            self.table.add_column(_(name), width=width, key=name)
        self.table.border_title = _("My reviews")
        self.say(_("Reading your reviews…"))
        self.load()

    @work(thread=True, exclusive=True, group="my-reviews", exit_on_error=False)
    def load(self) -> None:
        rows = qa_reviews.my_reviews(self.db, self.actor)
        month = month_of(self.clock())
        average = qa_reviews.operator_average(self.db, self.actor, self.actor.user_id or 0, month)
        self.post_message(MyReviewsLoaded(rows, labels(self.db, self.actor.language), average))

    def on_my_reviews_loaded(self, message: MyReviewsLoaded) -> None:
        message.stop()
        table = self.table
        keep = table.current_id
        table.clear()
        self.rows = message.rows
        for row in message.rows:
            table.add_row(*my_cells(row, message.labels, self.zone, self.clock()), key=str(row.id))
        table.go_to(keep)
        if not self.rows:
            self.say(_("No reviews of your calls yet. Your supervisor reviews a few of your calls every month."))
            return
        average = "–" if message.average is None else score_text(message.average)
        self.say(
            Content.from_markup(
                _(
                    "Your QA average this month: [b]$average[/b]. [b $accent]$enter[/] reads a review; "
                    "[b $accent]$d[/] disputes it."
                ),
                average=average,
                enter=self.key_for("reviews.open", "enter"),
                d=self.key_for("my_reviews.dispute", "d"),
            )
        )

    @property
    def current(self) -> ReviewRow | None:
        return next((row for row in self.rows if row.id == self.table.current_id), None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.app.push_screen(ReviewScreen(self.db, self.actor, int(event.row_key.value)), self._reload)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "dispute":  # on any review: one already disputed, or past the window, says so when pressed
            return self.current is not None
        return True

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()  # whether d disputes depends on the highlighted review

    def action_dispute(self) -> None:
        row = self.current
        if row is None:
            return
        if row.dispute is not None:
            self.notify(_("Review #{id} is already disputed.").format(id=row.id), severity="warning")
            return
        prompt = NotePrompt(
            _("Dispute review #{id}").format(id=row.id),
            _("Your call of {at} scored {score}.").format(
                at=at(row.call_at, self.zone), score=score_text(row.score, row.critical_failed)
            )
            + " "
            + _("Which mark do you think is wrong, and why? Your supervisor reads it and answers."),
            placeholder=_("what you dispute and why"),
            required=_("Say what you dispute and why."),
        )
        now = self.clock()
        self.writes.add(  # refused at once (too late, say), before a reason is written for nothing
            lambda: qa_disputes.check_disputable(self.db, self.actor, row.id, now=now),
            lambda _: self.app.push_screen(prompt, lambda reason: self._dispute(row.id, reason)),
        )

    def _dispute(self, review_id: int, reason: str | None) -> None:
        if reason is None:
            return
        now = self.clock()
        self.writes.add(
            lambda: qa_disputes.open_dispute(self.db, self.actor, review_id, reason, now=now),
            lambda _id: self._disputed(review_id),
        )

    def _disputed(self, review_id: int) -> None:
        self.notify(
            _("Your dispute of review #{id} is sent to your supervisor.").format(id=review_id), title=_("Disputed")
        )
        self.load()

    def _reload(self, _result: object = None) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss()
