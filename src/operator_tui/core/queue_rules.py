"""The queue's rules, as pure functions: which strategy a customer is in and from when, how urgent, what an
outcome does to the customer's place in the queue, and why a customer is or is not callable.

The store keeps the result (one current queue entry per customer: phase, ready time, priority); the claim only
walks indexes. Everything that needs judgement happens here, when something about the customer changes (an
import, an outcome, a purchase, a rescore), never in a periodic refill.

Time-dependent conditions (``days_since_last_purchase >= 120``) are solved for the moment they become true: the
only names that change with time are the ``days_since_*`` ones, so the condition can only flip on the days where
one of them crosses a number written in it, and those days are tried in order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from operator_tui.core import nps as nps_math
from operator_tui.core.lifecycle import stage_after
from operator_tui.core.phones import zone as zone_of
from operator_tui.core.playbook.models import Outcome, OutcomeFlag, Playbook, Strategy
from operator_tui.core.windows import CallingWindow, is_open, next_open

WAITING_ORIGIN = datetime(2020, 1, 1, tzinfo=UTC)
VALUE_SCORE = {"A": 1.0, "B": 0.5, "C": 0.1}
WAITING_UNIT_DAYS = 30.0  # a month of waiting adds the strategy's waiting weight once
HORIZON = timedelta(days=400)
DAY = timedelta(days=1)


class Tier(StrEnum):
    """Where a claimed customer came from, in the order "next" looks (DESIGN.md)."""

    OWN_CALLBACK = "own-callback"
    CALLBACK = "callback"  # an "anyone" callback, or someone's personal one gone overdue
    TASK = "task"  # a complaint or detractor follow-up near its SLA
    DUE = "due"  # retry time reached (and other waits that ended: cadence, daily cap, a condition now true)
    FRESH = "fresh"  # never tried, by priority
    INBOUND = "inbound"  # opened by the operator (an inbound call, a search), not handed out by "next"


QUEUE_TIERS = (Tier.OWN_CALLBACK, Tier.CALLBACK, Tier.TASK, Tier.DUE, Tier.FRESH)
"""The order in which "next" looks."""

TIER_LABELS = {
    Tier.OWN_CALLBACK: "your callback",
    Tier.CALLBACK: "callback",
    Tier.TASK: "task",
    Tier.DUE: "due retry",
    Tier.FRESH: "fresh",
    Tier.INBOUND: "opened by you",
}


@dataclass(frozen=True)
class Facts:
    """What the rules read about a customer."""

    stage: str
    time_zone: str
    segment: str | None = None
    dnc: bool = False
    value_tier: str = "C"
    rfm_r: int = 0
    rfm_f: int = 0
    rfm_m: int = 0
    churn_risk: float = 0.0
    upsell_propensity: float = 0.0
    purchases_count: int = 0
    revenue_total: float = 0.0
    last_purchase_at: datetime | None = None
    last_contact_at: datetime | None = None
    stage_since: datetime | None = None
    last_nps: int | None = None
    consent: bool | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    source: str | None = None
    phones_left: int = 1  # numbers not found wrong (core.phones): with none, no strategy calls the customer

    def variables(self, at: datetime, attempts_total: int = 0) -> dict[str, Any]:
        """The names strategy conditions read (core.playbook.variables), as of ``at``."""
        return {
            "stage": self.stage,
            "segment": self.segment,
            "value_tier": self.value_tier,
            "rfm_r": self.rfm_r,
            "rfm_f": self.rfm_f,
            "rfm_m": self.rfm_m,
            "churn_risk": self.churn_risk,
            "upsell_propensity": self.upsell_propensity,
            "purchases_count": self.purchases_count,
            "revenue_total": self.revenue_total,
            "days_since_last_purchase": days_since(self.last_purchase_at, at),
            "days_since_last_contact": days_since(self.last_contact_at, at),
            "days_in_stage": days_since(self.stage_since, at),
            "last_nps": self.last_nps,
            "attempts_total": attempts_total,
            "consent": self.consent,
            "city": self.city,
            "region": self.region,
            "country": self.country,
            "source": self.source,
        }

    def base_times(self) -> dict[str, datetime | None]:
        """The moment each time-dependent name counts from."""
        return {
            "days_since_last_purchase": self.last_purchase_at,
            "days_since_last_contact": self.last_contact_at,
            "days_in_stage": self.stage_since,
        }


def days_since(moment: datetime | None, at: datetime) -> int | None:
    return None if moment is None else math.floor((at - moment) / DAY)


@dataclass(frozen=True)
class EntryState:
    """A customer's history in one strategy (one queue_entry row)."""

    strategy_id: str
    attempts_total: int = 0
    attempts_today: int = 0
    attempts_on: date | None = None
    retries: int = 0
    not_before: datetime | None = None
    last_attempt_at: datetime | None = None
    last_reached_at: datetime | None = None
    last_outcome: str | None = None
    done_reason: str | None = None

    @property
    def done(self) -> bool:
        return self.done_reason is not None


@dataclass(frozen=True)
class Placement:
    """Where a customer stands in the queue: the current strategy, the phase and when it becomes callable."""

    strategy_id: str
    phase: str  # fresh | wait | hold
    ready_at: datetime
    reason: str  # why it waits, for explanations ("" when callable now)


# -- priority ---------------------------------------------------------------------------------------------------


def static_priority(strategy: Strategy, facts: Facts) -> float:
    """The strategy's weights applied to value tier, churn risk and upsell propensity (each in [0, 1])."""
    weights = strategy.priority
    return (
        weights.value_tier * VALUE_SCORE.get(facts.value_tier, 0.0)
        + weights.churn_risk * facts.churn_risk
        + weights.upsell * facts.upsell_propensity
    )


def _waiting_units(at: datetime) -> float:
    return (at - WAITING_ORIGIN) / DAY / WAITING_UNIT_DAYS


def stored_priority(strategy: Strategy, facts: Facts, entered_at: datetime) -> float:
    """The priority kept in the index. Waiting adds ``weight x months waited``; since every entry of a strategy
    gains it at the same pace, ``static - weight x (entry time in months)`` orders them the same at any moment and
    never needs rewriting. :func:`effective_priority` adds the moment back to compare across strategies."""
    return round(static_priority(strategy, facts) - strategy.priority.waiting * _waiting_units(entered_at), 6)


def effective_priority(strategy: Strategy, stored: float, now: datetime) -> float:
    return stored + strategy.priority.waiting * _waiting_units(now)


# -- placement --------------------------------------------------------------------------------------------------


def condition_time(strategy: Strategy, facts: Facts, attempts_total: int, now: datetime) -> datetime | None:
    """The first moment from ``now`` at which the strategy's condition holds, within a horizon; None if never."""
    condition = strategy.when
    if condition is None or condition.test(facts.variables(now, attempts_total)):
        return now
    numbers = [float(c) for c in condition.constants if isinstance(c, int | float) and not isinstance(c, bool)]
    candidates: set[datetime] = set()
    for name, base in facts.base_times().items():
        if base is None or name not in condition.names:
            continue
        for number in numbers:
            for offset in (math.ceil(number), math.floor(number) + 1):
                moment = base + offset * DAY
                if now < moment <= now + HORIZON:
                    candidates.add(moment)
    for moment in sorted(candidates):
        if condition.test(facts.variables(moment, attempts_total)):
            return moment
    return None


def local_day(at: datetime, zone: str) -> date:
    return at.astimezone(zone_of(zone)).date()


def next_local_midnight(at: datetime, zone: str) -> datetime:
    tz = zone_of(zone)
    day = at.astimezone(tz).date() + DAY
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def daily_cap_time(strategy: Strategy, entry: EntryState, zone: str, now: datetime) -> datetime | None:
    """When the daily cap lets the customer be called again (None: not capped today)."""
    if entry.attempts_on == local_day(now, zone) and entry.attempts_today >= strategy.caps.per_day:
        return next_local_midnight(now, zone)
    return None


def strategy_ready_at(
    strategy: Strategy, facts: Facts, entry: EntryState, now: datetime
) -> tuple[datetime, str] | None:
    """When the customer becomes callable in ``strategy`` and the reason of the wait; None if never."""
    if facts.stage not in strategy.stage or (strategy.segment and facts.segment not in strategy.segment):
        return None
    if entry.done or (strategy.caps.lifetime is not None and entry.attempts_total >= strategy.caps.lifetime):
        return None
    at = condition_time(strategy, facts, entry.attempts_total, now)
    if at is None:
        return None
    reason = "" if at <= now else f"condition {strategy.when} becomes true"
    waits: list[tuple[datetime | None, str]] = [
        (entry.not_before, "retry delay"),
        (
            entry.last_reached_at + strategy.cadence.every if strategy.cadence and entry.last_reached_at else None,
            "cadence",
        ),
        (daily_cap_time(strategy, entry, facts.time_zone, now), "daily attempt cap"),
    ]
    for moment, why in waits:
        if moment is not None and moment > at:
            at, reason = moment, why
    return at, reason


def takes(strategy: Strategy, facts: Facts, entry: EntryState, now: datetime) -> bool:
    """Whether ``strategy`` is one for this customer now: their stage and segment, and its condition, hold (its
    caps and waits aside)."""
    if facts.stage not in strategy.stage or (strategy.segment and facts.segment not in strategy.segment):
        return False
    return strategy.when is None or strategy.when.test(facts.variables(now, entry.attempts_total))


def callback_strategy(
    playbook: Playbook, wanted: str, facts: Facts, entries: Mapping[str, EntryState], now: datetime
) -> str:
    """The strategy a callback is rung on: ``wanted`` (that of the call it was asked for on) while it is still one
    for the customer (:func:`takes`), else the first of the playbook's that is, else ``wanted``. So a customer who
    said no to offers on an offer call and asked to be called back is not called back with the offer. ``facts``
    are those the call was taken on with what it changed that matters (the consent): a condition on the days
    since the last contact, which the call itself resets, still holds as it did."""
    for strategy in (playbook.strategy(wanted), *playbook.strategies):
        if takes(strategy, facts, entries.get(strategy.id) or EntryState(strategy.id), now):
            return strategy.id
    return wanted


def retry_floor(entries: Mapping[str, EntryState]) -> datetime | None:
    """The customer-wide "not before": a retry delay set in one strategy holds in every strategy, so an unanswered
    call is never followed at once by a call from another strategy."""
    return max((e.not_before for e in entries.values() if e.not_before is not None), default=None)


def customer_floor(playbook: Playbook, facts: Facts, entries: Mapping[str, EntryState]) -> tuple[datetime | None, str]:
    """The moment before which no strategy calls the customer, and why: the retry delay of the last unanswered call
    (``retry_floor``) or, after a conversation, the playbook's ``rest_after_contact``, whichever is later."""
    floor, reason = retry_floor(entries), "retry delay"
    if facts.last_contact_at is not None:
        rested = facts.last_contact_at + playbook.queue.rest_after_contact
        if floor is None or rested > floor:
            floor, reason = rested, "rest after the last conversation"
    return floor, reason


def place(
    playbook: Playbook,
    facts: Facts,
    entries: Mapping[str, EntryState],
    now: datetime,
    *,
    callback_at: datetime | None = None,
    callback_strategy: str | None = None,
    prefer: str | None = None,
    sticky: bool = False,
) -> Placement | None:
    """The strategy the customer should be in now: the one callable soonest (``prefer``, then playbook order,
    breaks ties). With ``sticky`` the preferred strategy keeps the customer as long as it will take them at all:
    an unanswered call is retried where it was made, not handed to another strategy the same day.

    No strategy calls sooner than the retry delay of the last unanswered call (in any strategy) nor, after a
    conversation, sooner than the playbook's ``rest_after_contact``.

    None when the customer is on the do-not-call list or no strategy will ever take them. An open callback holds
    the customer in the callback's strategy (the callback tier, not the queue, brings them back).
    """
    if facts.dnc or facts.phones_left == 0:
        return None
    if callback_at is not None:
        strategy_id = callback_strategy or next((s.id for s in playbook.strategies if facts.stage in s.stage), None)
        if strategy_id is not None:
            return Placement(strategy_id, "hold", callback_at, "callback scheduled")
    floor, floor_reason = customer_floor(playbook, facts, entries)
    best: tuple[datetime, int, Strategy, str] | None = None
    for order, strategy in enumerate(playbook.strategies):
        entry = entries.get(strategy.id) or EntryState(strategy.id)
        ready = strategy_ready_at(strategy, facts, entry, now)
        if ready is None:
            continue
        at, reason = ready
        if floor is not None and floor > at:
            at, reason = floor, floor_reason
        if sticky and strategy.id == prefer:
            best = (at, -1, strategy, reason)
            break
        rank = 0 if strategy.id == prefer else order + 1  # stay in the strategy last worked when it is as soon
        if best is None or (at, rank) < (best[0], best[1]):
            best = (at, rank, strategy, reason)
    if best is None:
        return None
    at, _, strategy, reason = best
    entry = entries.get(strategy.id) or EntryState(strategy.id)
    phase = "fresh" if entry.attempts_total == 0 and at <= now else "wait"
    return Placement(strategy.id, phase, max(at, now) if phase == "wait" else now, reason)


# -- outcomes ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeEffect:
    entry: EntryState  # the strategy's entry after the call
    reached: bool
    success: bool
    stage_to: str | None
    dnc: bool
    callback: bool
    tasks: list[tuple[str, datetime]] = field(default_factory=list)
    redial: bool = False  # a wrong number with another left: the next number is called at once


class OutcomeNotAllowed(ValueError):
    """The outcome is not one this strategy offers."""


def outcomes_for(playbook: Playbook, strategy: Strategy) -> list[Outcome]:
    codes = strategy.outcomes
    return [o for o in playbook.outcomes if codes is None or o.code in codes]


def offers(strategy: Strategy, code: str) -> bool:
    """Whether calls of ``strategy`` may end with outcome ``code``."""
    return strategy.outcomes is None or code in strategy.outcomes


def apply_outcome(
    playbook: Playbook,
    strategy: Strategy,
    outcome: Outcome,
    entry: EntryState,
    facts: Facts,
    now: datetime,
    *,
    nps: int | None = None,
    phones_left: int = 0,
) -> OutcomeEffect:
    """What recording ``outcome`` on a call of ``strategy`` does: attempts and retries, done or not, stage
    change, do-not-call, callback, tasks (a complaint's, a detractor's follow-up).

    A wrong number with ``phones_left`` (other numbers not found wrong) is a redial, not a verdict on the
    customer: the strategy keeps them, ready for the next number at once (not counted against the daily cap),
    and the stage stays."""
    if not offers(strategy, outcome.code):
        raise OutcomeNotAllowed(f"outcome {outcome.code} is not offered on {strategy.id} calls")
    flags = set(outcome.flags)
    reached = OutcomeFlag.REACHED in flags
    today = local_day(now, facts.time_zone)
    redial = OutcomeFlag.WRONG_NUMBER in flags and phones_left > 0
    # The daily cap spares the customer; a call that reached a stranger asked nothing of them.
    attempts_today = (entry.attempts_today if entry.attempts_on == today else 0) + (0 if redial else 1)
    retry = outcome.retry or (playbook.queue.default_retry if not reached and not flags & _STOPPING else None)
    retries = entry.retries + 1 if retry else 0
    done_reason: str | None = None
    if not redial and (OutcomeFlag.FINAL in flags or OutcomeFlag.DNC in flags):
        done_reason = "final"
    elif retry and retries >= retry.max:
        done_reason = "exhausted"
    elif reached and not retry and OutcomeFlag.CALLBACK not in flags and strategy.cadence is None:
        done_reason = "completed"
    updated = replace(
        entry,
        attempts_total=entry.attempts_total + 1,
        attempts_today=attempts_today,
        attempts_on=today,
        retries=retries,
        not_before=now + retry.after if retry else None,
        last_attempt_at=now,
        last_reached_at=now if reached else entry.last_reached_at,
        last_outcome=outcome.code,
        done_reason=done_reason,
    )
    tasks: list[tuple[str, datetime]] = []
    if outcome.task is not None:
        kind = playbook.tasks[outcome.task.kind]
        tasks.append((outcome.task.kind, now + (outcome.task.due or kind.sla)))
    detractor_kind = playbook.queue.detractor_task
    if detractor_kind and nps_math.is_detractor(nps) and all(k != detractor_kind for k, _ in tasks):
        tasks.append((detractor_kind, now + playbook.tasks[detractor_kind].sla))
    return OutcomeEffect(
        entry=updated,
        reached=reached,
        success=OutcomeFlag.SUCCESS in flags,
        stage_to=None if redial else stage_after(playbook, facts.stage, outcome),
        dnc=OutcomeFlag.DNC in flags,
        callback=OutcomeFlag.CALLBACK in flags,
        tasks=tasks,
        redial=redial,
    )


_STOPPING = {OutcomeFlag.FINAL, OutcomeFlag.DNC, OutcomeFlag.WRONG_NUMBER, OutcomeFlag.CALLBACK}


# -- windows ----------------------------------------------------------------------------------------------------


def open_zones(
    window: CallingWindow, zones: Iterable[str], now: datetime, holidays: frozenset[date] = frozenset()
) -> list[str]:
    """The zones, among ``zones``, where the window is open at ``now``."""
    return [zone for zone in zones if is_open(window, now, zone_of(zone), holidays)]


def window_opens(
    window: CallingWindow, zone: str, now: datetime, holidays: frozenset[date] = frozenset()
) -> datetime | None:
    return next_open(window, now, zone_of(zone), holidays)


# -- explanations -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    callable_now: bool
    lines: list[str]
    next_at: datetime | None


def explain(
    playbook: Playbook,
    facts: Facts,
    entries: Mapping[str, EntryState],
    now: datetime,
    *,
    current: Placement | None,
    leased_until: datetime | None = None,
    leased_by: str | None = None,
    callback_at: datetime | None = None,
) -> Explanation:
    """Why the customer is or is not callable now, strategy by strategy, and when they will be."""
    lines: list[str] = []
    holidays = frozenset(playbook.holidays)
    if facts.dnc:
        return Explanation(False, ["on the do-not-call list: never called"], None)
    if facts.phones_left == 0:
        return Explanation(False, ["every phone number is marked wrong: not called until a new one is entered"], None)
    floor = customer_floor(playbook, facts, entries)
    zone = zone_of(facts.time_zone)
    for strategy in playbook.strategies:
        entry = entries.get(strategy.id) or EntryState(strategy.id)
        calling = (playbook.calling_window(strategy.window), holidays)
        lines.append(f"{strategy.id}: {_strategy_state(strategy, facts, entry, now, floor, zone, calling)}")
    if current is None:
        return Explanation(False, [*lines, "no strategy takes this customer now or later"], None)
    strategy = playbook.strategy(current.strategy_id)
    window = playbook.calling_window(strategy.window)
    local = now.astimezone(zone)
    lines.append(f"current strategy: {strategy.id} ({current.phase}); local time {local:%a %H:%M} {facts.time_zone}")
    if leased_until is not None and leased_until > now:
        lines.append(f"held by {leased_by} until {leased_until:%H:%M} UTC")
        return Explanation(False, lines, leased_until)
    if current.phase == "hold":
        due = callback_at or current.ready_at
        if due > now:
            lines.append(f"waits for its callback at {_local(due, zone)}")
            return Explanation(False, lines, due)
        # Due (or overdue): the callback tier hands the customer out whenever the window is open.
        lines.append(f"its callback was due {_local(due, zone)}")
        opens = next_open(window, now, zone, holidays)
        if opens is None:
            lines.append(f"the {strategy.window} window does not open in the next two weeks")
            return Explanation(False, lines, None)
        if opens > now:
            lines.append(f"the {strategy.window} window is closed now; it opens {_local(opens, zone)}")
            return Explanation(False, lines, opens)
        lines.append("callable now (callback tier)")
        return Explanation(True, lines, now)
    ready = max(current.ready_at, now)
    if ready > now:
        lines.append(f"waits ({current.reason or 'ready time'}) until {_local(ready, zone)}")
    opens = next_open(window, ready, zone, holidays)
    if opens is None:
        lines.append(f"the {strategy.window} window does not open in the next two weeks")
        return Explanation(False, lines, None)
    if opens > ready:  # closed when the wait ends (or now, if there is none): say which
        when = "now" if ready <= now else "then"
        lines.append(f"the {strategy.window} window is closed {when}; it opens {_local(opens, zone)}")
    if opens <= now:
        lines.append("callable now")
        return Explanation(True, lines, now)
    return Explanation(False, lines, opens)


def _strategy_state(
    strategy: Strategy,
    facts: Facts,
    entry: EntryState,
    now: datetime,
    floor: tuple[datetime | None, str],
    zone: ZoneInfo,
    window: tuple[CallingWindow, frozenset[date]],
) -> str:
    """One strategy's view of the customer; the customer-wide floor (``customer_floor``) holds here too, as in
    ``place``, so a strategy is not called "eligible now" while every strategy must wait, and so does the
    strategy's calling window in the customer's zone: "now" means a call could be made now."""
    if facts.stage not in strategy.stage:
        return f"not for stage {facts.stage} (works {', '.join(strategy.stage)})"
    if strategy.segment and facts.segment not in strategy.segment:
        return f"not for segment {facts.segment} (works {', '.join(strategy.segment)})"
    if entry.done:
        return f"done ({entry.done_reason}) after {entry.attempts_total} attempt(s)"
    if strategy.caps.lifetime is not None and entry.attempts_total >= strategy.caps.lifetime:
        return f"lifetime cap of {strategy.caps.lifetime} attempts reached"
    ready = strategy_ready_at(strategy, facts, entry, now)
    if ready is None:
        return f"condition {strategy.when} is false, and waiting does not make it true"
    at, why = ready
    floor_at, floor_why = floor
    if floor_at is not None and floor_at > at:
        at, why = floor_at, floor_why
    at = max(at, now)
    opens = next_open(window[0], at, zone, window[1])
    if opens is None:
        return f"its {strategy.window} window does not open in the next two weeks"
    if opens > at:
        at, why = opens, f"{strategy.window} window"
    return "eligible now" if at <= now else f"eligible from {_local(at, zone)} ({why})"


def _local(at: datetime, zone: ZoneInfo) -> str:
    return f"{at.astimezone(zone):%a %d %b %H:%M} local"
