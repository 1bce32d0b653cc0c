"""The operator's main panel between calls: ready, finding, an empty queue and why, wrap-up, paused.

Pure functions from facts to text, so each state's wording is in one place and testable; the panel widget is a
plain Static that the console screen updates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from textual.content import Content

from operator_tui.services.queue_explain import EmptyReasons
from operator_tui.tui.clock import until
from operator_tui.tui.fit import beside, hang, hang_content
from operator_tui.tui.i18n import N_, _, ngettext, strftime
from operator_tui.tui.widgets.customer_card import pretty_phone

FINDING = N_("Finding the next customer…")


@dataclass(frozen=True)
class Keys:
    """How the main keys show now (after the user's keymap)."""

    next: str = "n"
    search: str = "/"
    pause: str = "p"


@dataclass(frozen=True)
class CallSummary:
    """What the last call ended with, for the wrap-up panel."""

    customer: str
    outcome: str | None = None  # the outcome's label; None when the customer was skipped or lost
    answers: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    callback_at: datetime | None = None  # in the customer's zone
    callback_personal: bool = True
    skipped: str | None = None  # the reason given
    closed: bool = False  # opened by search and closed untouched: no call
    lease_lost: bool = False
    stage_change: tuple[str, str] | None = None  # (from, to), the stages' names
    tasks: list[str] = field(default_factory=list)  # the names of the tasks the save opened
    dnc: bool = False  # the save put the customer on the do-not-call list
    comes_back: tuple[datetime, str | None] | None = None  # when the queue brings them back (their time), and in
    # which other strategy, if it is another
    leaves_queue: bool = False  # no strategy will call them again
    wrong_phone: str | None = None  # the number the save marked wrong
    phones_left: int = 1  # their numbers not marked wrong
    callbacks_cancelled: int = 0  # open callbacks the save cancelled (do-not-call, or no number left)


def _keys(keys: Keys) -> Content:
    width = max(len(keys.next), len(keys.search), len(keys.pause))
    lines = [(keys.next, _("next customer")), (keys.search, _("find a customer")), (keys.pause, _("pause"))]
    return Content("\n").join(
        Content.from_markup("[b $accent]$key[/]  $what", key=key.ljust(width), what=what) for key, what in lines
    )


def ready_content(keys: Keys) -> Content:
    return Content("\n").join(
        [
            Content.from_markup(_("[b]Ready.[/b] Press [b $accent]$key[/] for the next customer."), key=keys.next),
            Content(""),
            _keys(keys),
        ]
    )


def finding_content(what: str = FINDING) -> Content:
    """``what`` is being done (in English, marked with ``N_``): translated here."""
    return Content.styled(_(what), "italic $text-muted")


def empty_content(
    text: str, next_at: datetime | None, now: datetime, zone: tzinfo, keys: Keys, reasons: EmptyReasons | None = None
) -> Content:
    why = Content(text) if reasons is None else Content(reasons_text(reasons))
    lines = [Content.from_markup(_("[b $warning]Nobody to call right now.[/]")), Content(""), why]
    if next_at is not None:
        lines += [
            Content(""),
            Content.from_markup(
                _("The queue fills again at [b]$at[/b] your time ($wait)."),
                at=strftime(next_at.astimezone(zone), "%a %H:%M"),
                wait=until(next_at, now),
            ),
        ]
    lines += [Content(""), Content.from_markup(_("Press [b $accent]$key[/] to look again."), key=keys.next)]
    return Content("\n").join(lines)


def wrapup_content(
    summary: CallSummary, keys: Keys, *, wrapping: bool = True, width: int = 0, trailer: bool = True
) -> Content:
    """The call just ended; each question beside its answer cut to fit ``width`` (the panel's, 0 before it is
    laid out), so that none wraps a cut word onto a line of its own. Without ``trailer``, no closing line saying
    which key comes next (under the pause's own)."""
    if summary.lease_lost:
        head = Content.from_markup(_("[b $warning]Closed without saving:[/] $name"), name=summary.customer)
    elif summary.closed:
        head = Content.from_markup(_("[b]Closed[/b] $name [dim](no call)[/dim]"), name=summary.customer)
    elif summary.skipped is not None:
        head = Content.from_markup(
            _("[b]Skipped[/b] $name [dim]($why)[/dim]"), name=summary.customer, why=summary.skipped
        )
    else:
        head = Content.from_markup(
            _("[b $success]Saved:[/] [b]$outcome[/b] · $name"), outcome=summary.outcome or "", name=summary.customer
        )
    lines = [head]
    room = width or None
    for question, answer in summary.answers:
        lines.append(beside(answer, question, indent=2, width=width or 80))
    if summary.callback_at is not None:
        who = _("you") if summary.callback_personal else _("anyone")
        promised = Content.from_markup(
            _("Callback [b]$at[/b] their time ($zone), by $who"),
            at=strftime(summary.callback_at, "%a %d %b %H:%M"),
            zone=str(summary.callback_at.tzinfo),
            who=who,
        )
        lines += hang_content(promised, 2, room)
    if summary.wrong_phone is not None:
        said = (
            _("{phone} is marked wrong; the next call goes to their other number")
            if summary.phones_left
            else _("{phone} is marked wrong; no number of theirs is left to call")
        ).format(phone=pretty_phone(summary.wrong_phone))
        lines += [Content(line) for line in hang(said, 2, room)]
    if summary.comes_back is not None:
        at, strategy = summary.comes_back
        when = strftime(at, "%a %d %b %H:%M")
        said = (
            _("Next call {at} their time").format(at=when)
            if strategy is None
            else _("Next call {at} their time, {strategy}").format(at=when, strategy=strategy)
        )
        lines += [Content(line) for line in hang(said, 2, room)]  # wrapped under itself
    elif summary.leaves_queue and summary.callback_at is None and not summary.dnc and summary.phones_left:
        lines.append(Content.styled("  " + _("No further call planned"), "dim"))
    if summary.stage_change is not None:
        before, after = summary.stage_change
        moved = Content.from_markup(_("Stage: $before → [b]$after[/b]"), before=before, after=after)
        lines += hang_content(moved, 2, room)
    for task in summary.tasks:
        lines += hang_content(Content.from_markup(_("Task opened: [b]$task[/b]"), task=task), 2, room)
    if summary.dnc:
        lines += hang_content(Content.from_markup(_("[b $warning]On the do-not-call list now[/]")), 2, room)
    if summary.callbacks_cancelled:
        said = ngettext(
            "Their open callback is cancelled", "Their {n} open callbacks are cancelled", summary.callbacks_cancelled
        ).format(n=summary.callbacks_cancelled)
        lines += [Content(line) for line in hang(said, 2, room)]
    if summary.note:
        lines += hang_content(Content.from_markup(_("[dim]Note[/dim] $note"), note=summary.note), 2, room)
    if not trailer:
        return Content("\n").join(lines)
    lines += [
        Content(""),
        Content.from_markup(
            _("Wrap up, then press [b $accent]$key[/] for the next customer.")
            if wrapping
            else _("Press [b $accent]$key[/] for the next customer."),
            key=keys.next,
        ),
    ]
    return Content("\n").join(lines)


def paused_content(label: str, keys: Keys) -> Content:
    return Content("\n").join(
        [
            Content.from_markup(_("[b $error]Paused[/] · $label"), label=label),
            Content(""),
            Content.from_markup(
                _("Press [b $accent]$pause[/] to resume, or [b $accent]$next[/] to resume with the next customer."),
                pause=keys.pause,
                next=keys.next,
            ),
        ]
    )


def reasons_text(reasons: EmptyReasons) -> str:
    """Why the queue is empty, in the interface's language: each kind of wait with its count."""
    said = []
    if n := reasons.window_closed:
        said.append(
            ngettext(
                "{n} customer waits for their calling window", "{n} customers wait for their calling window", n
            ).format(n=n)
        )
    if n := reasons.waiting:
        said.append(
            ngettext(
                "{n} is in a retry delay, cadence or daily cap", "{n} are in a retry delay, cadence or daily cap", n
            ).format(n=n)
        )
    if n := reasons.held:
        said.append(ngettext("{n} waits for a scheduled callback", "{n} wait for a scheduled callback", n).format(n=n))
    if n := reasons.leased:
        said.append(
            ngettext("{n} is on another operator's screen", "{n} are on other operators' screens", n).format(n=n)
        )
    if not said:
        return _("The queue is empty.")
    text = "; ".join(said)
    return text[:1].upper() + text[1:] + "."
