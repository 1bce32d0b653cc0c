"""Messages that workers post back to the UI thread; every result of a service call arrives as one of these.

The services appear here in annotations only, so that the sign-in screen, which needs ``LoggedIn``, can be shown
before they are imported (``tui.app``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:  # annotations only: the sign-in screen imports this module before the services load
    from operator_tui.services.accounts import UserRow
    from operator_tui.services.calls import Recorded
    from operator_tui.services.cards import Card
    from operator_tui.services.context import Actor
    from operator_tui.services.drafts import Draft
    from operator_tui.services.operators import Today
    from operator_tui.services.playbooks import ActiveSummary, PlaybookSource
    from operator_tui.services.qa_calibration import CalibrationResult
    from operator_tui.services.qa_disputes import DisputeRow
    from operator_tui.services.qa_reviews import ReviewRow, ReviewView
    from operator_tui.services.qa_sessions import CalibrationRow
    from operator_tui.services.queue import Claim
    from operator_tui.services.queue_explain import EmptyReasons, Preview
    from operator_tui.services.search import Found
    from operator_tui.tui.qa_data import ChecklistChoice, Labels, Person


class LoggedIn(Message):
    """The PIN was right: ``actor`` is who is now signed in. The app opens the home screen of their role."""

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor


class LoginFailed(Message):
    """Wrong user or PIN, or a locked account; ``text`` is the service's message, fit to show as it is."""

    def __init__(self, text: str, *, locked: bool = False) -> None:
        super().__init__()
        self.text = text
        self.locked = locked


class WorkerFailed(Message):
    """A worker raised: sent up from the screen or widget that ran it to the app, which tells the user.

    Textual's own ``Worker.StateChanged`` does not bubble, so :class:`ReportsWorkerErrors` turns its ERROR state
    into this message, which does.
    """

    def __init__(self, error: BaseException, worker_name: str) -> None:
        super().__init__()
        self.error = error
        self.worker_name = worker_name


class CallOpened(Message):
    """A customer is leased to this operator and their card is read: the call screen opens with it.

    ``draft`` is what this operator had typed for the customer before (a quit or a crash mid-call), or None;
    ``state`` is the operator's state it opens in (preview, or on call when a draft shows the call had begun) and
    ``since`` when it began; ``resumed``: the call was left open (a quit or a crash) and is taken up again.
    """

    def __init__(
        self, claim: Claim, card: Card, draft: Draft | None, state: str, since: datetime, *, resumed: bool = False
    ):
        super().__init__()
        self.claim = claim
        self.card = card
        self.draft = draft
        self.state = state
        self.since = since
        self.resumed = resumed


class QueueWasEmpty(Message):
    """ "Next" found nobody: ``text`` says why, ``next_at`` when someone will be callable (None: not known)."""

    def __init__(self, text: str, next_at: datetime | None, reasons: EmptyReasons | None = None) -> None:
        super().__init__()
        self.text = text
        self.next_at = next_at
        self.reasons = reasons  # the same, counted: said in the interface's language when known


class ConsoleLoaded(Message):
    """What the console needs once per sign-in: the playbook's pause reasons (code, label)."""

    def __init__(self, pause_reasons: list[tuple[str, str]]) -> None:
        super().__init__()
        self.pause_reasons = pause_reasons


class PreviewLoaded(Message):
    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview


class TodayLoaded(Message):
    def __init__(self, today: Today) -> None:
        super().__init__()
        self.today = today


class SearchDone(Message):
    def __init__(self, text: str, found: list[Found]) -> None:
        super().__init__()
        self.text = text
        self.found = found


class LeaseRenewed(Message):
    def __init__(self, claim: Claim) -> None:
        super().__init__()
        self.claim = claim


class OutcomeSaved(Message):
    """The call is recorded: ``recorded`` is the service's answer; the call screen closes with a summary."""

    def __init__(self, recorded: Recorded) -> None:
        super().__init__()
        self.recorded = recorded


class Skipped(Message):
    """The customer was given back (or the lease was already gone) and the draft forgotten."""


class SerialDone(Message):
    """One call of a :class:`~operator_tui.tui.workers.SerialCalls` finished: run ``callback`` with its result."""

    def __init__(self, callback: Callable[[Any], object], result: object) -> None:
        super().__init__()
        self.callback = callback
        self.result = result


# --- quality reviews ------------------------------------------------------------------------------------------


class ReviewQueueLoaded(Message):
    """The supervisor's review queue of ``month`` (only ``status`` when given), with names to show for codes."""

    def __init__(self, rows: list[ReviewRow], labels: Labels, month: str, status: str | None) -> None:
        super().__init__()
        self.rows = rows
        self.labels = labels
        self.month = month
        self.status = status


class ReviewOpened(Message):
    """A review with its call and checklist; ``disputes`` of it, if any; the strategy's name."""

    def __init__(self, view: ReviewView, disputes: list[DisputeRow], strategy_label: str | None) -> None:
        super().__init__()
        self.view = view
        self.disputes = disputes
        self.strategy_label = strategy_label


class CalibrationsLoaded(Message):
    def __init__(self, rows: list[CalibrationRow]) -> None:
        super().__init__()
        self.rows = rows


class CalibrationCompared(Message):
    """A calibration's comparison, or (``result`` None) the service's word on how many have scored so far."""

    def __init__(self, result: CalibrationResult | None, waiting: str = "") -> None:
        super().__init__()
        self.result = result
        self.waiting = waiting


class DisputesLoaded(Message):
    def __init__(self, rows: list[DisputeRow]) -> None:
        super().__init__()
        self.rows = rows


class MyReviewsLoaded(Message):
    """An operator's submitted reviews, names for codes, and their QA average this month (None: no score yet)."""

    def __init__(self, rows: list[ReviewRow], labels: Labels, average: float | None) -> None:
        super().__init__()
        self.rows = rows
        self.labels = labels
        self.average = average


class PeopleLoaded(Message):
    """People to pick from (calibration reviewers, test-call operators) and, for test calls, the checklists."""

    def __init__(self, people: list[Person], checklists: list[ChecklistChoice] | None = None) -> None:
        super().__init__()
        self.people = people
        self.checklists = checklists or []


class PlaybookRead(Message):
    """The text of the playbook in force, for the screen that shows it."""

    def __init__(self, source: PlaybookSource) -> None:
        super().__init__()
        self.source = source


class AdminLoaded(Message):
    """The accounts and the playbook in force, for the admin's home."""

    def __init__(self, users: list[UserRow], playbook: ActiveSummary) -> None:
        super().__init__()
        self.users = users
        self.playbook = playbook
