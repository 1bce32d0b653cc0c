"""One call: the customer card beside the script runner, from "next" (or a search) to the saved outcome.

The screen holds the lease (renewed every third of its length), the attempt id (made when the card opens, reused
for the drafts and for every try to save, so a retry never records twice), and the answers as they are typed
(saved as drafts at once, in order). It closes only when the outcome is saved, the customer is skipped with a
reason, a customer opened by search is closed before anything was done (Esc), or, after the lease was lost, when
the operator closes it: until then the typed answers stay on screen.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Protocol

from textual import events, work
from textual._styles_cache import StylesCache
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.worker import get_current_worker

from operator_tui.core.phones import zone as zone_of
from operator_tui.core.playbook import Outcome, OutcomeFlag
from operator_tui.core.queue_rules import Tier
from operator_tui.services import calls, cards, customer_phones, drafts, queue
from operator_tui.services.cards import Card
from operator_tui.services.context import Actor
from operator_tui.services.customer_phones import CustomerPhones, PhonesChanged
from operator_tui.services.database import Database
from operator_tui.services.drafts import Draft
from operator_tui.services.errors import InvalidInput
from operator_tui.tui.clock import Clock
from operator_tui.tui.dialer import DialError, dial
from operator_tui.tui.i18n import N_, _, ngettext
from operator_tui.tui.keymap import key_shown
from operator_tui.tui.messages import LeaseRenewed, WorkerFailed
from operator_tui.tui.operator_state import ON_CALL, PREVIEW, WRAP_UP, OperatorState
from operator_tui.tui.screens.callback import CallbackChoice, CallbackDialog
from operator_tui.tui.screens.numbered_choice import Choice, NumberedChoice
from operator_tui.tui.screens.outcome import OutcomeChoice, OutcomePicker, needs_callback
from operator_tui.tui.screens.pause import PauseDialog, Reason
from operator_tui.tui.screens.phones import PhonesDialog
from operator_tui.tui.screens.prompt import TextPrompt
from operator_tui.tui.script_state import ScriptRun, customer_variables
from operator_tui.tui.settings import Settings, settings_path
from operator_tui.tui.widgets.console_panel import CallSummary
from operator_tui.tui.widgets.customer_card import CustomerCard, pretty_phone
from operator_tui.tui.widgets.key_bar import KeyBar
from operator_tui.tui.widgets.script_runner import ScriptRunner
from operator_tui.tui.widgets.status_bar import STATE_LABELS, StatusBar
from operator_tui.tui.widgets.title_bar import TitleBar
from operator_tui.tui.workers import ReportsWorkerErrors, SerialCalls

MIN_RENEW_S = 5.0
RENEW_TICK_S = 5.0
"""How often the screen looks whether its lease is due for renewal. A timer of the renewal's own period (a third of
the lease, minutes) leaves a cancelled asyncio handle behind when the call ends, and that handle's context holds
the closed screen until the period is over; a short tick lets it go within seconds."""
NARROW = 100  # columns: below this the card goes above the script
UNANSWERED = N_("This outcome needs the script's answers: answer the question on screen, then pick the outcome again.")
LOST = N_(
    "This customer is no longer yours: the lease expired or another operator has them now. Nothing was saved; "
    "your answers stay on screen and in the draft. Note what matters, then press x to close the card."
)


class Console(Protocol):
    """What the call screen needs from the operator's console: the shared state and a way to change it."""

    state: OperatorState
    pause_reasons: list[Reason]

    def change_state(
        self,
        state: str,
        *,
        reason: Reason | None = None,
        customer_id: int | None = None,
        strategy_id: str | None = None,
        since: datetime | None = None,
    ) -> None: ...


@dataclass(frozen=True)
class CallContext:
    db: Database
    actor: Actor
    clock: Clock
    zone: tzinfo
    settings: Settings


CLOSED = "opened by search and closed without a call"  # the audit log's reason (queue.close)


class CallScreen(ReportsWorkerErrors, Screen[CallSummary]):
    CSS_PATH = "call.tcss"
    AUTO_FOCUS = "#script"
    KEY_BAR_SIGN_OUT = False  # mid-call the call's own keys have the bar's room (widgets.key_bar)
    BINDINGS = [
        Binding("o", "outcome", N_("Outcome"), id="call.outcome"),
        Binding("d", "dial", N_("Dial"), id="call.dial"),
        Binding("D", "dial_other", N_("Dial the other phone"), show=False, id="call.dial_other"),
        Binding("x", "skip", N_("Skip"), id="call.skip"),
        Binding("escape", "close", N_("Close"), id="call.close"),
        Binding("p", "pause", N_("Pause after"), id="call.pause"),
        Binding("c", "phones", N_("Numbers"), tooltip=N_("Change the numbers"), id="call.phones"),
        Binding("pagedown", "card_down", N_("Scroll the card down"), show=False, id="call.card_down"),
        Binding("pageup", "card_up", N_("Scroll the card up"), show=False, id="call.card_up"),
    ]

    def __init__(
        self, context: CallContext, console: Console, claim: queue.Claim, card: Card, draft: Draft | None
    ) -> None:
        super().__init__()
        self.sub_title = _(STATE_LABELS[ON_CALL if draft else PREVIEW])  # as the status bar, in the console's state
        self.context = context
        self.console = console
        self.claim = claim
        self.card = card
        self.run = ScriptRun(card.script, customer_variables(card, context.clock()), card.local_time.date())
        self.restored = self.run.restore(draft.answers) if draft else 0
        self.attempt_id = draft.attempt_id if draft else str(uuid.uuid4())
        self.drafts_saved = draft is not None
        self.started_at = context.clock()
        self.ended_at: datetime | None = None
        self.on_call_since: datetime | None = None  # when the state before wrap-up began, for a return to it
        self.talking = draft is not None  # dialled, or the script went on: "on call" (until then "preview")
        self.note = ""
        self.dialed: str | None = None
        self.saving = False
        self.lease_lost = False
        self._dial_warned: int | None = None  # the number (0 main, 1 other) said to ring outside calling hours
        self.writes = SerialCalls(self, "call-writes")

    @property
    def db(self) -> Database:
        return self.context.db

    @property
    def actor(self) -> Actor:
        return self.context.actor

    def compose(self) -> ComposeResult:
        title = self.card.text(self.card.script.title) or self.card.script.id
        yield TitleBar()
        yield StatusBar(self.console.state, self.context.clock)
        with Horizontal(id="call-body"):
            yield CustomerCard(self.card, self.context.zone, clock=self.context.clock)
            yield ScriptRunner(self.run, self.card.text, title=_("Script · {title}").format(title=title))
        yield KeyBar()

    def on_mount(self) -> None:
        left = (self.claim.lease_expires_at - self.context.clock()).total_seconds()
        self.renew_every = max(left / 3, MIN_RENEW_S)
        self.renewed_at = time.monotonic()
        self.set_interval(RENEW_TICK_S, self._renew_if_due)
        if self.restored:
            self.notify(
                ngettext(
                    "{n} answer typed before for {name} is back.",
                    "{n} answers typed before for {name} are back.",
                    self.restored,
                ).format(n=self.restored, name=self.card.name),
                title=_("Draft restored"),
            )
        if self.run.at_end:
            self.call_after_refresh(self.action_outcome)

    def on_unmount(self) -> None:
        # Textual's StylesCache.get_inner_outer is an lru_cache on an instance method: its keys keep up to 1,024
        # widgets' style caches (with every line they drew) alive after their screen is gone. A call screen is
        # made for each customer, so without this the console grows by about a megabyte per call until that
        # bound (measured: 94 -> 138 MB over 64 calls). The cache holds two colours per entry: cheap to refill.
        StylesCache.get_inner_outer.cache_clear()

    def on_resize(self, event: events.Resize) -> None:
        # No media queries in TCSS: a narrow terminal stacks the card over the script instead of beside it.
        narrow = event.size.width < NARROW
        self.set_class(narrow, "-narrow")
        self.query_one(CustomerCard).set_compact(narrow)

    # --- the script ---------------------------------------------------------------------------------------------

    def on_script_runner_moved(self, message: ScriptRunner.Moved) -> None:
        message.stop()
        self._talking()

    def _talking(self) -> None:
        """The call has begun (a dial, a step of the script): from preview to on call, once."""
        if not self.talking:
            self.talking = True
            if self.ended_at is None:  # not while the outcome is being picked: back from it, the call is on
                self._state(ON_CALL)

    def on_script_runner_answered(self, message: ScriptRunner.Answered) -> None:
        message.stop()
        node, value, position = message.node, message.value, message.position
        qtype = node.type.value if node.type else "text"
        self.drafts_saved = True
        self.writes.add(
            lambda: drafts.save(
                self.db,
                self.actor,
                attempt_id=self.attempt_id,
                customer_id=self.card.customer_id,
                node_id=node.id,
                question_type=qtype,
                typed=value,
                position=position,
                script_version_id=self.card.script_version_id,
            )
        )

    def on_script_runner_ended(self, message: ScriptRunner.Ended) -> None:
        message.stop()
        self.action_outcome()

    # --- the outcome --------------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("outcome", "skip", "pause", "dial", "dial_other") and self.saving:
            return None
        if action == "dial_other":
            return len(self.card.phones) > 1
        if action == "close":
            return self.claim.tier is Tier.INBOUND  # opened by search; the queue's customers are skipped, with a why
        return True

    def action_outcome(self) -> None:
        if self.saving or not self.is_current:
            return
        if self.ended_at is None:
            self.ended_at = self.context.clock()
            self.on_call_since = self.console.state.since
            self._state(WRAP_UP)
        say = self.card.text(self.run.node.say) if self.run.at_end else ""
        picker = OutcomePicker(
            self.card.outcomes,
            language=self.card.language,
            title=self.card.name,
            say=say,
            note=self.note,
            answered=len(self.run.typed_answers()),
            last_number=pretty_phone(self.card.phones[0]) if len(self.card.phones) == 1 else None,
        )
        self.app.push_screen(picker, self._picked)

    def _picked(self, choice: OutcomeChoice | None) -> None:
        if choice is None:
            self._call_goes_on()
            return
        self.note = choice.note
        if OutcomeFlag.WRONG_NUMBER in choice.outcome.flags and self.dialed is None and len(self.card.phones) > 1:
            # Dialled by hand: only the operator knows which of the numbers reached the wrong person.
            numbers = [(phone, pretty_phone(phone)) for phone in self.card.phones]
            which = NumberedChoice(_("Which number was wrong?"), numbers, name="wrong")
            self.app.push_screen(which, lambda picked: self._wrong_picked(choice.outcome, picked))
        elif needs_callback(choice.outcome):
            now = self.context.clock()
            current = self.card.as_of(now)  # their window as it is now, not when the card opened
            dialog = CallbackDialog(
                self.card.name,
                zone_of(self.card.time_zone),
                now,
                self.card.callable_at,
                opens_at=None if current.window_open else current.window_change,
            )
            self.app.push_screen(dialog, lambda picked: self._callback_picked(choice.outcome, picked))
        else:
            self.save(choice.outcome, None)

    def _wrong_picked(self, outcome: Outcome, picked: Choice | None) -> None:
        if picked is None:
            self.action_outcome()  # back to the picker: the call is still to be saved
        else:
            self.dialed = picked[0]
            self.save(outcome, None)

    def _callback_picked(self, outcome: Outcome, picked: CallbackChoice | None) -> None:
        if picked is None:
            self.action_outcome()  # back to the picker: the call is still to be saved
        else:
            self.save(outcome, picked)

    def save(self, outcome: Outcome, callback: CallbackChoice | None) -> None:
        self.saving = True
        self.refresh_bindings()
        now = self.context.clock()
        data = calls.OutcomeInput.for_claim(
            self.claim,
            self.attempt_id,
            outcome.code,
            # A call nobody answered has no answers (the picker said they are dropped; so are their drafts).
            answers=self.run.typed_answers() if OutcomeFlag.REACHED in outcome.flags else {},
            note=self.note or None,
            callback_at=callback.at if callback else None,
            callback_personal=callback.personal if callback else True,
            started_at=self.started_at,
            ended_at=self.ended_at or now,
            wrapup_ended_at=now,
            drafts_saved=self.drafts_saved,
            phone_dialed=self.dialed,
        )
        self.runner.say(_("Saving…"))

        def write() -> tuple[calls.Recorded, datetime | None]:
            recorded = calls.record_outcome(self.db, self.actor, data, now=now)
            try:  # the call is saved: nothing after this may look like a failed save
                return recorded, calls.next_call_at(self.db, recorded, self.card.time_zone)
            except Exception:
                return recorded, None

        self.writes.add(
            write,
            lambda saved: self._finish(self._summary(outcome, callback, **self._consequences(*saved))),
        )

    def _summary(self, outcome: Outcome | None, callback: CallbackChoice | None = None, **extra: object) -> CallSummary:
        answers = []
        # The answers saved with the call; a skip saves none, nor does "nobody answered". After a lost lease they
        # are listed all the same: what was typed, to enter again.
        kept = bool(extra.get("lease_lost")) or (outcome is not None and OutcomeFlag.REACHED in outcome.flags)
        for node_id, value in (self.run.answers() if kept else {}).items():
            node = self.card.script.node(node_id)
            answers.append((self.card.text(node.ask), self.runner.label(node, value)))
        return CallSummary(
            customer=self.card.name,
            outcome=self.card.text(outcome.label) if outcome else None,
            answers=answers,
            note=self.note,
            callback_at=callback.at if callback else None,
            callback_personal=callback.personal if callback else True,
            **extra,  # type: ignore[arg-type]
        )

    def _consequences(self, recorded: calls.Recorded, next_call: datetime | None) -> dict[str, object]:
        """What else the save did, in the operator's words: a new stage, tasks opened, the do-not-call list."""
        card = self.card
        moved = None
        if recorded.stage_before is not None and recorded.stage_after is not None:
            moved = tuple(card.stage_labels.get(s, s) for s in (recorded.stage_before, recorded.stage_after))
        # When the queue brings the customer back (a callback says so itself): their time, and the strategy if new.
        comes_back = None
        if next_call is not None:
            other = recorded.next_strategy if recorded.next_strategy != self.claim.strategy_id else None
            comes_back = (
                next_call.astimezone(zone_of(card.time_zone)),
                card.strategy_labels.get(other, other) if other else None,
            )
        return {
            "comes_back": comes_back,
            "leaves_queue": recorded.next_phase is None and not recorded.duplicate,
            "stage_change": moved,
            "tasks": [card.task_labels.get(kind, kind) for kind in recorded.tasks],
            "dnc": recorded.dnc,
            "wrong_phone": recorded.wrong_phone,
            "phones_left": recorded.phones_left,
            "callbacks_cancelled": recorded.callbacks_cancelled,
        }

    def _finish(self, summary: CallSummary) -> None:
        if self.is_attached:
            self.dismiss(summary)

    @property
    def runner(self) -> ScriptRunner:
        return self.query_one(ScriptRunner)

    # --- skip, pause, dial --------------------------------------------------------------------------------------

    def action_skip(self) -> None:
        if self.lease_lost:
            self._finish(self._summary(None, lease_lost=True))
            return
        prompt = TextPrompt(
            _("Skip"),
            _("Why is {name} skipped? They come back to the queue later; nothing is recorded as a call.").format(
                name=self.card.name
            ),
            placeholder=_("the reason"),
            refusal=_("Say why the customer is skipped; the reason is kept in the audit log."),
        )
        self.app.push_screen(prompt, self._skip)

    def action_close(self) -> None:
        """Close a customer opened by search: at once while nothing was done (no answer, no dial, no outcome
        picked); they keep their place in the queue. Once the call has begun, closing it means a skip, with a why."""
        if self.saving or self.claim.tier is not Tier.INBOUND:
            return
        if self.drafts_saved or self.dialed is not None or self.ended_at is not None:
            self.action_skip()
            return
        self.saving = True

        def give_back() -> None:
            queue.release(self.db, self.actor, self.claim, CLOSED, now=self.context.clock(), delay=False)

        self.writes.add(give_back, lambda _: self._finish(self._summary(None, closed=True)))

    def _skip(self, reason: str | None) -> None:
        if reason is None:
            return
        self.saving = True

        def give_back() -> None:
            queue.release(self.db, self.actor, self.claim, reason, now=self.context.clock())
            drafts.discard(self.db, self.actor, self.attempt_id)

        self.writes.add(give_back, lambda _: self._finish(self._summary(None, skipped=reason)))

    def action_pause(self) -> None:
        state = self.console.state
        if state.pause_after is not None:
            state.pause_after = None
            self.notify(_("No pause after this call."), title=_("Pause"))
            self.query_one(StatusBar).show()
            return

        def chosen(reason: Reason | None) -> None:
            if reason is not None:
                state.pause_after = reason
                self.query_one(StatusBar).show()

        self.app.push_screen(PauseDialog(self.console.pause_reasons, after_call=True), chosen)

    def action_card_down(self) -> None:
        self.query_one(CustomerCard).scroll_page_down()

    def action_card_up(self) -> None:
        self.query_one(CustomerCard).scroll_page_up()

    def action_phones(self) -> None:
        """The caller has a new number (or the one dialled was theirs after all): change them here, under this
        call's lease, and the card shows the numbers to call from then on."""
        if self.saving or self.lease_lost:
            return
        claim = self.claim
        self.writes.add(
            lambda: customer_phones.phones_of(
                self.db, self.actor, claim.customer_id, claim.lease_token, now=self.context.clock()
            ),
            self._edit_phones,
        )

    def _edit_phones(self, shown: CustomerPhones) -> None:
        def saved(done: PhonesChanged | None) -> None:
            if done is None:
                return
            numbers = ", ".join(pretty_phone(n) for n in done.phones) or _("none")
            self.notify(_("Saved. Numbers to call: {numbers}.").format(numbers=numbers), title=_("Phone numbers"))
            claim = self.claim
            self.writes.add(
                lambda: cards.load_card(
                    self.db, self.actor, claim.customer_id, claim.strategy_id, now=self.context.clock()
                ),
                self._show_card,
            )

        dialog = PhonesDialog(self.db, self.actor, shown, lease_token=self.claim.lease_token, clock=self.context.clock)
        self.app.push_screen(dialog, saved)

    def _show_card(self, card: Card) -> None:
        """Only the numbers are taken from the card read again: the call goes on with the script it began with."""
        self.card = replace(self.card, phones=card.phones, wrong_phones=card.wrong_phones)
        self.query_one(CustomerCard).show(self.card)

    def action_dial(self) -> None:
        self._dial(0)

    def action_dial_other(self) -> None:
        self._dial(1)

    def _dial(self, index: int) -> None:
        if self.card.dnc:
            self.notify(
                _("This customer is on the do-not-call list: they are not dialled."), title=_("Dial"), severity="error"
            )
            return
        if index >= len(self.card.phones):
            self.notify(_("This customer has no other phone."), title=_("Dial"), severity="warning")
            return
        now = self.context.clock()
        if not self.card.callable_at(now) and self._dial_warned != index:
            # A customer found by search is not held to their calling window as the queue's are; ringing them at
            # night is the operator's choice, made knowingly.
            self._dial_warned = index
            local = now.astimezone(zone_of(self.card.time_zone))
            key = key_shown(self, "call.dial_other", "D") if index else key_shown(self, "call.dial", "d")
            self.notify(
                _("It is {time} for them, outside their calling hours. Press {key} again to dial anyway.").format(
                    time=f"{local:%H:%M}", key=key
                ),
                title=_("Dial"),
                severity="warning",
            )
            return
        command = self.context.settings.dial_command
        phone = self.card.phones[index]
        self.dialed = phone
        self._talking()
        if not command:  # dialled by hand, on the desk phone: the number to dial, and the call has begun
            self.notify(
                _(
                    "Dial {number} on your phone: this computer has no dialler set up "
                    '(an admin can add  dial_command: "linphonecsh dial {phone}"  to {path}).'
                ).format(number=pretty_phone(phone), phone="{phone}", path=settings_path()),
                title=_("Dial"),
                timeout=10,
            )
            return
        self.notify(_("Dialling {phone}…").format(phone=phone), title=_("Dial"))
        self._run_dial(command, phone)

    @work(thread=True, exclusive=True, group="dial", exit_on_error=False)
    def _run_dial(self, command: str, phone: str) -> None:
        try:
            dial(command, phone)
        except DialError as exc:
            self.notify(str(exc), title=_("Dial failed"), severity="error", timeout=10)

    # --- the lease ----------------------------------------------------------------------------------------------

    def _renew_if_due(self) -> None:
        if time.monotonic() - self.renewed_at >= self.renew_every:
            self.renewed_at = time.monotonic()
            self.renew()

    def renew(self) -> None:
        if not (self.saving or self.lease_lost):
            self._renew(self.claim)

    @work(thread=True, exclusive=True, group="renew", exit_on_error=False)
    def _renew(self, claim: queue.Claim) -> None:
        renewed = queue.renew(self.db, self.actor, claim, now=self.context.clock())
        if not get_current_worker().is_cancelled:
            self.post_message(LeaseRenewed(renewed))

    def on_lease_renewed(self, message: LeaseRenewed) -> None:
        message.stop()
        self.claim = message.claim

    def on_worker_failed(self, message: WorkerFailed) -> None:
        # Not stopped: the app still tells the operator. Here the screen only gets ready for what comes next.
        if message.worker_name == "call-writes":
            self.saving = False
            self.refresh_bindings()
            self.runner.say("")
            if _unanswered(message.error):
                # A success outcome before the script's required answers: the service's refusal names questions
                # by id, in English; the operator needs to hear "answer the question", here, in their language.
                message.stop()
                self._call_goes_on()  # as when the picker is closed without an outcome
                self.runner.say(_(UNANSWERED), error=True)
                self.runner.focus()
        if isinstance(message.error, queue.LeaseLost) and not self.lease_lost:
            self.lease_lost = True
            self.query_one(CustomerCard).warn(_(LOST))

    def _call_goes_on(self) -> None:
        """Back from wrap-up to the call: in the state it left (preview or on call), begun when it was, so the
        timer carries on."""
        self.ended_at = None
        self._state(ON_CALL if self.talking else PREVIEW, since=self.on_call_since)

    def _state(self, state: str, since: datetime | None = None) -> None:
        self.console.change_state(
            state, customer_id=self.card.customer_id, strategy_id=self.claim.strategy_id, since=since
        )
        self.sub_title = _(STATE_LABELS[state])  # the title says what the status bar says
        self.query_one(StatusBar).show()


def _unanswered(error: BaseException) -> bool:
    return isinstance(error, InvalidInput) and bool(error.unanswered)
