"""The operator's console between calls: status bar, the main panel (ready, an empty queue and why, wrap-up,
paused) and the queue panel; ``n`` leases the next customer and opens the call screen.

Every service call runs in a thread worker and comes back as a message. State changes (ready, preview, on call,
wrap-up, paused) are shown at once and written in order by one :class:`SerialCalls`; the queue panel is read again after
each call and every few seconds while this screen is in front.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from datetime import datetime

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static
from textual.worker import get_current_worker

from operator_tui.core.text import localize
from operator_tui.services import cards, drafts, operators, queue
from operator_tui.services.errors import AccountDeactivated
from operator_tui.services.queue_explain import preview
from operator_tui.services.runtime import runtime
from operator_tui.tui.clock import local_midnight
from operator_tui.tui.i18n import N_, _
from operator_tui.tui.messages import (
    CallOpened,
    ConsoleLoaded,
    PreviewLoaded,
    QueueWasEmpty,
    TodayLoaded,
    WorkerFailed,
)
from operator_tui.tui.operator_state import OFFLINE, ON_CALL, PAUSED, PREVIEW, READY, WRAP_UP, OperatorState
from operator_tui.tui.screens.call import CallContext, CallScreen
from operator_tui.tui.screens.home import HomeScreen
from operator_tui.tui.screens.my_reviews import MyReviewsScreen
from operator_tui.tui.screens.pause import PauseDialog, Reason
from operator_tui.tui.screens.search import SearchScreen
from operator_tui.tui.settings import Settings
from operator_tui.tui.widgets.console_panel import (
    FINDING,
    CallSummary,
    Keys,
    empty_content,
    finding_content,
    paused_content,
    ready_content,
    wrapup_content,
)
from operator_tui.tui.widgets.queue_panel import QueuePanel
from operator_tui.tui.widgets.status_bar import StatusBar
from operator_tui.tui.workers import SerialCalls

log = logging.getLogger(__name__)
PREVIEW_EVERY_S = 15.0
NARROW = 100  # columns: below this the queue panel is narrower
UNOPENED = "the card could not be opened"


class OperatorHome(HomeScreen):
    SUB_TITLE = N_("Operator")
    BINDINGS = [
        Binding("n", "next_customer", N_("Next customer"), id="operator.next"),
        Binding("slash", "search", N_("Find a customer"), id="operator.search"),
        Binding("p", "pause", N_("Pause / resume"), id="operator.pause"),
        Binding("r", "refresh", N_("Refresh the queue"), show=False, id="operator.refresh"),
        Binding("m", "my_reviews", N_("My reviews"), id="operator.reviews"),
        Binding("f", "my_figures", N_("My figures"), id="operator.figures"),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.state = OperatorState()
        self.pause_reasons: list[Reason] = []
        self.busy = False  # a claim is under way: a second n must not claim a second customer
        self.last_call: CallSummary | None = None
        self.empty: QueueWasEmpty | None = None
        self.state_writes = SerialCalls(self, "state")
        self.deactivated = False  # the account was deactivated meanwhile: signed out once no call is on screen
        self.resuming = True  # the start has not yet looked for a call left open (``_resume``)

    # The app owns the settings (the clock and time zone too: HomeScreen); tests give the app frozen ones.
    @property
    def settings(self) -> Settings:
        return getattr(self.app, "settings", Settings())

    def compose_body(self) -> ComposeResult:
        yield StatusBar(self.state, self.clock)
        with Horizontal(id="console-body"):
            yield Static(id="console-main")
            yield QueuePanel()

    def on_resize(self, event: events.Resize) -> None:
        # No media queries in TCSS: under 100 columns the queue panel gives the main panel room; what the main
        # panel says is wrapped to its width again.
        self.set_class(event.size.width < NARROW, "-narrow")
        self.call_after_refresh(self.show_main)

    def on_mount(self) -> None:
        self.state.enter(READY, self.clock())
        self.show_main()
        self._start()
        self.set_interval(PREVIEW_EVERY_S, self._tick)
        self.set_interval(operators.HEARTBEAT.total_seconds(), self._beat)

    @property
    def keys(self) -> Keys:
        return Keys(
            next=self.key_for("operator.next", "n"),
            search=self.key_for("operator.search", "/"),
            pause=self.key_for("operator.pause", "p"),
        )

    def show_main(self) -> None:
        main = self.query_one("#console-main", Static)
        keys = self.keys
        if self.busy:
            main.update(finding_content())
        elif self.state.state == PAUSED:
            paused = paused_content(self.state.reason_label or "", keys)
            if self.last_call is not None:  # a pause after the call: what was saved stays in view under it
                width = main.content_region.width
                done = wrapup_content(self.last_call, keys, wrapping=False, width=width, trailer=False)
                paused = Content("\n").join([paused, Content(""), done])
            main.update(paused)
        elif self.empty is not None:
            main.update(
                empty_content(self.empty.text, self.empty.next_at, self.clock(), self.zone, keys, self.empty.reasons)
            )
        elif self.last_call is not None:
            main.update(
                wrapup_content(
                    self.last_call, keys, wrapping=self.state.state == WRAP_UP, width=main.content_region.width
                )
            )
        else:
            main.update(ready_content(keys))

    # --- start, figures, queue ----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="console-start", exit_on_error=False)
    def _start(self) -> None:
        reasons = [(r.code, localize(r.label, self.actor.language)) for r in runtime(self.db).playbook.pause_reasons]
        self.post_message(ConsoleLoaded(reasons))
        operators.set_state(self.db, self.actor, READY, now=self.clock())
        self._resume()
        self._read_today()
        self._read_queue()

    def _resume(self) -> None:
        """In the start worker: a customer this operator still holds (the app was quit or crashed mid-call, the
        lease not yet run out) comes back on screen with the answers typed, instead of waiting out the lease
        held by nobody. "Next" waits until this is known, so it cannot lease a second customer meanwhile."""
        try:
            claim = queue.resume(self.db, self.actor, now=self.clock())
            if claim is not None:
                self.app.call_from_thread(self._claiming, N_("Taking up your call again…"))
                self._open(claim, resumed=True)
        finally:
            self.app.call_from_thread(self._resumed)

    def _resumed(self) -> None:
        self.resuming = False
        self.refresh_bindings()

    def on_console_loaded(self, message: ConsoleLoaded) -> None:
        self.pause_reasons = message.pause_reasons

    def _read_today(self) -> None:
        """In a worker: today's figures since the operator's local midnight."""
        now = self.clock()
        self.post_message(TodayLoaded(operators.today(self.db, self.actor, local_midnight(now, self.zone), now=now)))

    def _read_queue(self) -> None:
        """In a worker: the queue panel's depths and next names."""
        self.post_message(PreviewLoaded(preview(self.db, self.actor, now=self.clock())))

    @work(thread=True, exclusive=True, group="figures", exit_on_error=False)
    def refresh_figures(self) -> None:
        self._read_today()
        self._read_queue()

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def refresh_queue(self) -> None:
        if not get_current_worker().is_cancelled:
            self._read_queue()

    @work(thread=True, exclusive=True, group="heartbeat", exit_on_error=False)
    def _beat(self) -> None:
        """Tell the live board this console is still there (services.operators: a silent one turns offline)."""
        try:
            operators.heartbeat(self.db, self.actor, now=self.clock())
        except AccountDeactivated:
            self.app.call_from_thread(self._account_deactivated)
        except Exception:  # the next beat tries again; the calls' own saves report a database that is down
            log.debug("heartbeat not written", exc_info=True)

    def _account_deactivated(self) -> None:
        """Signed out now, or when the call on screen is saved: a call already made is never cut off."""
        self.deactivated = True
        on_call = any(isinstance(screen, CallScreen) for screen in self.app.screen_stack)
        if not self.busy and not on_call:
            self._sign_out_deactivated()

    def _sign_out_deactivated(self) -> None:
        self.app.log_out()  # type: ignore[attr-defined]
        self.app.notify(
            _("Your account was deactivated, so you are signed out. Ask an admin if this is a mistake."),
            title=_("Signed out"),
            severity="warning",
            timeout=20,
        )

    def _tick(self) -> None:
        if self.is_current and not self.busy:
            self.refresh_queue()

    def on_today_loaded(self, message: TodayLoaded) -> None:
        self.state.today = message.today
        self._show_status()

    def on_preview_loaded(self, message: PreviewLoaded) -> None:
        self.query_one(QueuePanel).show(message.preview)

    def action_refresh(self) -> None:
        self.refresh_figures()

    # --- state --------------------------------------------------------------------------------------------------

    def change_state(
        self,
        state: str,
        *,
        reason: Reason | None = None,
        customer_id: int | None = None,
        strategy_id: str | None = None,
        since: datetime | None = None,
    ) -> None:
        """Show the new state at once; write it in order behind any earlier change. ``since`` takes an earlier
        state up again from when it began (a call goes on after the outcome picker was closed)."""
        now = self.clock()
        self.state.enter(state, now, reason, since=since)
        code = reason[0] if reason else None

        def write() -> object:
            return operators.set_state(
                self.db,
                self.actor,
                state,
                reason=code,
                customer_id=customer_id,
                strategy_id=strategy_id,
                now=now,
                since=since,
            )

        self.state_writes.add(write)
        self._show_status()

    def _show_status(self) -> None:
        for bar in self.app.screen.query(StatusBar):
            bar.show()
        if self.is_attached:
            for bar in self.query(StatusBar):
                bar.show()

    def sign_off(self, *, wait_s: float = 1.0) -> None:
        """The operator logs out or quits: offline on the live board (best effort; the screen is going away). The
        write takes milliseconds; waiting up to ``wait_s`` for it keeps it from being cut off by a quitting app."""
        db, actor, now = self.db, self.actor, self.clock()

        def write() -> None:
            try:
                operators.set_state(db, actor, OFFLINE, now=now)
            except Exception:  # the board's silence rule shows them offline a few minutes later anyway
                log.debug("offline not written", exc_info=True)

        writer = threading.Thread(target=write, name="sign-off")
        writer.start()
        writer.join(wait_s)

    # --- next customer, search ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_customer", "search", "my_reviews") and (self.busy or self.resuming):
            return None
        return True

    def action_next_customer(self) -> None:
        if self.busy or self.resuming:
            return
        if self.state.state == PAUSED:
            self.change_state(READY)
        self._claiming()
        self._claim_next()

    def action_search(self) -> None:
        if self.busy or self.resuming:
            return
        self.app.push_screen(SearchScreen(self.db, self.actor), self._found)

    def _found(self, customer_id: int | None) -> None:
        if customer_id is None:
            return
        self._claiming(N_("Opening the customer…"))
        self._take(customer_id)

    def _claiming(self, what: str = FINDING) -> None:
        self.busy = True
        self.empty = None
        self.refresh_bindings()
        self.query_one("#console-main", Static).update(finding_content(what))

    @work(thread=True, exclusive=True, group="claim", exit_on_error=False)
    def _claim_next(self) -> None:
        try:
            claim = queue.next_customer(self.db, self.actor, now=self.clock())
        except queue.QueueEmpty as empty:
            self.post_message(QueueWasEmpty(str(empty), empty.next_at, empty.reasons))
            return
        self._open(claim)

    @work(thread=True, exclusive=True, group="claim", exit_on_error=False)
    def _take(self, customer_id: int) -> None:
        self._open(queue.take_customer(self.db, self.actor, customer_id, now=self.clock()))

    def _open(self, claim: queue.Claim, *, resumed: bool = False) -> None:
        """In the claim worker: read the card and any draft; give the customer back if that fails."""
        now = self.clock()
        try:
            card = cards.load_card(self.db, self.actor, claim.customer_id, claim.strategy_id, now=now)
            draft = drafts.find(self.db, self.actor, claim.customer_id)
            state = ON_CALL if draft else PREVIEW  # answers typed before: the call had begun
            since = operators.set_state(
                self.db,
                self.actor,
                state,
                customer_id=claim.customer_id,
                strategy_id=claim.strategy_id,
                now=now,
            )
        except Exception:
            # The first error is the one to report; if giving the customer back fails too, the lease expires.
            with contextlib.suppress(Exception):
                queue.release(self.db, self.actor, claim, UNOPENED, now=now)
            raise
        self.post_message(CallOpened(claim, card, draft, state, since, resumed=resumed))

    def on_queue_was_empty(self, message: QueueWasEmpty) -> None:
        self.busy = False
        self.empty = message
        self.last_call = None
        self.refresh_bindings()
        self.show_main()
        self.refresh_queue()

    def on_worker_failed(self, message: WorkerFailed) -> None:
        # Not stopped: the app tells the operator; the console gets ready for another try.
        if isinstance(message.error, AccountDeactivated):  # "next" refused: no call is on screen
            message.stop()
            self.busy = False
            self._sign_out_deactivated()
            return
        if message.worker_name in ("_claim_next", "_take", "_start"):
            self.busy = False
            self.refresh_bindings()
            self.show_main()

    def on_call_opened(self, message: CallOpened) -> None:
        self.busy = False
        self.refresh_bindings()
        self.state.enter(message.state, message.since)
        self.state.since = message.since
        context = CallContext(self.db, self.actor, self.clock, self.zone, self.settings)
        self.app.push_screen(CallScreen(context, self, message.claim, message.card, message.draft), self._call_closed)
        self.show_main()
        if message.resumed:
            self.notify(
                _("Your call with {customer} was still open: it is back on screen.").format(customer=message.card.name),
                title=_("Call taken up again"),
            )

    def _call_closed(self, summary: CallSummary | None) -> None:
        if self.deactivated:
            self._sign_out_deactivated()
            return
        self.last_call = summary
        pause = self.state.pause_after
        self.state.pause_after = None
        if pause is not None:
            self.change_state(PAUSED, reason=pause)
        elif summary is not None and summary.outcome is not None:
            self.change_state(WRAP_UP)
        else:
            self.change_state(READY)
        self.show_main()
        self.refresh_figures()

    def action_my_reviews(self) -> None:
        """The operator's own quality reviews: read them, dispute one (between calls only)."""
        if not self.busy:
            self.app.push_screen(MyReviewsScreen(self.db, self.actor))

    def action_my_figures(self) -> None:
        """The operator's own day and month (calls, reach, conversions, NPS, QA); the reports screen is imported
        only now, so signing in does not pay for it."""
        if not self.busy:
            from operator_tui.tui.screens.reports import ReportsScreen

            self.app.push_screen(ReportsScreen(self.db, self.actor))

    # --- pause --------------------------------------------------------------------------------------------------

    def action_pause(self) -> None:
        if self.busy:
            return
        if self.state.state == PAUSED:
            self.change_state(READY)
            self.show_main()
            return
        self.app.push_screen(PauseDialog(self.pause_reasons), self._paused)

    def _paused(self, reason: Reason | None) -> None:
        if reason is not None:
            self.change_state(PAUSED, reason=reason)
            self.show_main()
