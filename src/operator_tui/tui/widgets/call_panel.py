"""The reviewed call beside its checklist: who was called and why, every question of the script path with its
answer, the outcome, NPS, note, timings and the recording reference.

It renders a ``qa_reviews.ReviewView`` read by the review screen's worker; nothing here reads the database. Names,
answers and notes are data, never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from operator_tui.services.qa_disputes import DisputeRow
from operator_tui.services.qa_reviews import CallView, ReviewView
from operator_tui.tui.clock import elapsed
from operator_tui.tui.fit import hang, hang_after
from operator_tui.tui.i18n import N_, _
from operator_tui.tui.qa_marks import at, score_text, status_text
from operator_tui.tui.stored import said_answer
from operator_tui.tui.widgets.customer_card import pretty_phone

KINDS = {
    "sample": N_("monthly sample"),
    "supervisor": N_("supervisor's review"),
    "calibration": N_("calibration (blind)"),
}


def _line(label: str, value: str, width: int = 10, columns: int | None = None) -> Content:
    """The label, then the value wrapped under its own start (a recording's path wrapped to the frame)."""
    return Content("\n").join(hang_after(Content.styled(f"{label:<{width}}", "dim"), value, width, columns))


def call_content(
    view: ReviewView, zone: tzinfo, strategy_label: str | None = None, columns: int | None = None
) -> Content:
    """The call as lines; ``strategy_label`` is the strategy's name in the reader's language. Questions and answers
    are wrapped to ``columns`` under their own indent."""
    call = view.call
    if call is None:
        return Content("\n").join(
            [
                Content.from_markup(_("[b]Test call[/b]: a mystery or test call made to the operator.")),
                Content(""),
                Content.from_markup(_("[dim]Description[/dim] $text"), text=view.comment or "–"),
            ]
        )
    labels = [_("Strategy"), _("Outcome"), _("NPS"), _("Called"), _("Timings"), _("Recording"), _("Note")]
    width = max(10, *(len(label) + 1 for label in labels))
    lines = [
        Content.from_markup("[b]$name[/b]  $phone", name=call.customer, phone=pretty_phone(call.phone)),
        _line(labels[0], strategy_label or call.strategy or "–", width, columns),
        _line(labels[1], call.outcome_label, width, columns),
        _line(labels[2], "–" if call.nps is None else str(call.nps), width, columns),
        _line(labels[3], at(call.started_at, zone), width, columns),
        _line(labels[4], _timings(call), width, columns),
        _line(labels[5], call.recording_ref or _("none kept"), width, columns),
    ]
    if call.note:
        lines.append(_line(labels[6], call.note, width, columns))
    lines += [Content(""), Content.styled(_("Script"), "bold")]
    if not call.answers:
        lines.append(Content.styled("  " + _("no answers recorded"), "dim"))
    for question, answer in call.answers:
        lines += [Content.styled(line, "dim") for line in hang(question, 2, columns)]
        lines += [Content.styled(line, "bold") for line in hang(said_answer(answer) or "–", 4, columns)]
    return Content("\n").join(lines)


def _timings(call: CallView) -> str:
    parts = []
    if call.answered_at is not None:
        parts.append(_("rang {time}").format(time=elapsed(call.started_at, call.answered_at)))
    if call.ended_at is not None:
        parts.append(_("talk {time}").format(time=elapsed(call.answered_at or call.started_at, call.ended_at)))
    if call.ended_at is not None and call.wrapup_ended_at is not None:
        parts.append(_("wrap-up {time}").format(time=elapsed(call.ended_at, call.wrapup_ended_at)))
    return " · ".join(parts) or "–"


def review_heading(view: ReviewView) -> Content:
    """Whose review of what: ``Review #12 · Operator 1 (op01) · monthly sample 2026-11 · by sup01``."""
    row = view.row
    kind = _(KINDS[row.kind]) if row.kind in KINDS else _("{kind} call").format(kind=row.kind)
    month = f" {row.month}" if row.month and row.kind == "sample" else ""
    return Content.from_markup(
        _("[b]Review #$id[/b] · $name ($login) · $kind$month · by $reviewer"),
        id=str(row.id),
        name=row.operator_name,
        login=row.operator,
        kind=kind,
        month=month,
        reviewer=row.reviewer,
    )


def dispute_content(dispute: DisputeRow, zone: tzinfo) -> Content:
    """A dispute of the review and what happened to it, oldest step first."""
    lines = [Content.from_markup(_("[b $text-warning]Disputed[/] · $status"), status=status_text(dispute.status))]
    for moment, who, action, note in dispute.history:
        lines.append(
            Content.assemble(
                (f"  {at(moment, zone)} ", "dim"), (who, "bold"), f" {status_text(action)}", f": {note}" if note else ""
            )
        )
    return Content("\n").join(lines)


def result_line(view: ReviewView) -> str:
    return score_text(view.row.score, view.row.critical_failed)


class CallPanel(VerticalScroll):
    """The call's text in a scrolling frame; filled when the review is read. Tab focuses it to scroll it."""

    def __init__(self, *, id: str | None = "call-panel") -> None:
        super().__init__(id=id)
        self.border_title = _("Call")
        self._content: Content | Callable[[int | None], Content] | None = None
        self._laid_out_for = -1  # the width the content was made for

    def compose(self) -> ComposeResult:
        yield Static(Content.styled(_("Reading the review…"), "italic $text-muted"), id="call-text")

    def show(self, content: Content | Callable[[int | None], Content], title: str = "") -> None:
        """Show ``content``, or what ``content(width)`` makes for the panel's width (again whenever it changes;
        before the panel is laid out, its first resize brings the width)."""
        self.border_title = title or _("Call")
        self._content = content
        self._render_for(self.scrollable_content_region.width)

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._laid_out_for:
            self._render_for(width)

    def _render_for(self, width: int) -> None:
        self._laid_out_for = width
        content = self._content
        if content is not None:
            made = content if isinstance(content, Content) else content(width or None)
            self.query_one("#call-text", Static).update(made)
