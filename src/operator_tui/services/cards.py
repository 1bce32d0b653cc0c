"""The customer card: everything an operator needs on screen for one call, in one read.

Who the customer is, their phones and local time (and whether the calling window is open there), stage and value,
the strategy and its goal, the script and the outcomes it offers, the last calls with their answers, open tasks and
callbacks, notes. Texts come in the operator's language; script placeholders are filled in here.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from operator_tui.core import queue_rules as rules
from operator_tui.core.answers import answered
from operator_tui.core.greetings import greeting
from operator_tui.core.phones import callable_phones, marked_phones
from operator_tui.core.phones import zone as zone_of
from operator_tui.core.placeholders import fill
from operator_tui.core.playbook import Outcome, Playbook, Script
from operator_tui.core.roles import Role
from operator_tui.core.text import localize
from operator_tui.core.windows import CallingWindow, closes_at, is_open, next_open
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import NotFound
from operator_tui.services.runtime import Runtime, runtime
from operator_tui.store.coltypes import utcnow
from operator_tui.store.tables import Answer, Callback, Customer, Interaction, QueueEntry, Task, User

HISTORY = 8


@dataclass(frozen=True)
class PastCall:
    at: datetime
    outcome: str
    outcome_label: str
    operator: str
    strategy: str | None
    nps: int | None
    note: str | None
    answers: list[tuple[str, str]] = field(default_factory=list)  # (question, answer)


@dataclass(frozen=True)
class Card:
    customer_id: int
    name: str
    phones: list[str]  # those not found wrong, main first: the ones to dial
    email: str | None
    place: str  # city, region
    city: str  # or the region alone, for a line with little room
    time_zone: str
    time_zone_guessed: bool
    local_time: datetime
    window: str
    window_open: bool
    window_change: datetime | None  # when it closes (if open) or opens (if closed)
    stage: str
    stage_label: str
    stage_goal: str
    segment: str | None
    value_tier: str
    churn_risk: float
    last_nps: int | None
    purchases: int
    revenue: float
    last_purchase_at: datetime | None
    strategy_id: str
    strategy_label: str
    strategy_goal: str
    script: Script
    script_version_id: int | None
    outcomes: list[Outcome]
    placeholders: dict[str, str]
    history: list[PastCall]
    open_tasks: list[tuple[int, str, datetime]]
    open_callbacks: list[tuple[int, datetime, str | None]]
    notes: str | None
    dnc: bool
    language: str
    variables: dict[str, Any]  # what script branch conditions read about the customer (core.queue_rules.Facts)
    calling_window: CallingWindow | None = None  # this call's strategy's, with the playbook's holidays
    holidays: frozenset[date] = frozenset()
    # The playbook's names in the operator's language, for what a save reports (a stage change, tasks opened).
    stage_labels: dict[str, str] = field(default_factory=dict)
    task_labels: dict[str, str] = field(default_factory=dict)
    strategy_labels: dict[str, str] = field(default_factory=dict)
    wrong_phones: list[str] = field(default_factory=list)  # numbers a call found wrong: shown, never dialled
    reader: str = ""  # the login of the operator the card was read for: their own callbacks say "yours"

    def callable_at(self, moment: datetime) -> bool:
        """Whether the customer may be called at ``moment`` (their calling window, in their zone, is open)."""
        window = self.calling_window
        return window is None or is_open(window, moment, zone_of(self.time_zone), self.holidays)

    def as_of(self, moment: datetime) -> Card:
        """The card with its clock line at ``moment``: their local time, and whether the window is open and until
        when. A card stays on screen for the whole call, and calls can be long."""
        tz = zone_of(self.time_zone)
        local = moment.astimezone(tz)
        if self.calling_window is None:
            return replace(self, local_time=local)
        return replace(self, local_time=local, **_window_state(self.calling_window, moment, tz, self.holidays))

    def text(self, value: dict[str, str] | None) -> str:
        """A playbook text in the operator's language with the customer's details filled in."""
        return fill(localize(value, self.language), self.placeholders)


def _window_state(window: CallingWindow, moment: datetime, tz: ZoneInfo, holidays: frozenset[date]) -> dict[str, Any]:
    """``window_open`` and ``window_change`` of a card at ``moment``."""
    open_now = is_open(window, moment, tz, holidays)
    change = closes_at(window, moment, tz, holidays) if open_now else next_open(window, moment, tz, holidays)
    return {"window_open": open_now, "window_change": change}


def load_card(
    db: Database, actor: Actor, customer_id: int, strategy_id: str | None = None, now: datetime | None = None
) -> Card:
    """The card of ``customer_id``, for a call in ``strategy_id`` (default: the customer's current strategy)."""
    actor.require(Role.OPERATOR, "Opening a customer card")
    now = now or utcnow()
    rt = runtime(db)
    pb, lang = rt.playbook, actor.language
    with db.read() as s:
        customer = s.get(Customer, customer_id)
        if customer is None:
            raise NotFound.said("no customer #{customer}", customer=customer_id)
        if strategy_id is None:
            current = s.exec(
                select(QueueEntry.strategy_id).where(QueueEntry.customer_id == customer_id, QueueEntry.phase != "off")
            ).first()
            strategy_id = current or _fallback_strategy(rt, customer.stage)
        calls = s.exec(
            select(Interaction)
            .where(Interaction.customer_id == customer_id)
            .order_by(col(Interaction.started_at).desc())
            .limit(HISTORY)
        ).all()
        answers = (
            s.exec(
                select(Answer).where(col(Answer.attempt_id).in_([c.attempt_id for c in calls]), col(Answer.final))
            ).all()
            if calls
            else []
        )
        tasks = s.exec(
            select(Task).where(Task.customer_id == customer_id, Task.status == "open").order_by(col(Task.due_at))
        ).all()
        callbacks = s.exec(
            select(Callback)
            .where(Callback.customer_id == customer_id, Callback.status == "open")
            .order_by(col(Callback.due_at))
        ).all()
        logins = dict(s.exec(select(User.id, User.login)).all())
    strategy = pb.strategy(strategy_id)
    script = pb.script(strategy.script)
    stage = next((st for st in pb.stages if st.id == customer.stage), None)
    tz = zone_of(customer.time_zone)
    window = rt.windows[strategy.window]
    by_attempt: dict[str, list[Answer]] = {}
    for answer in answers:
        by_attempt.setdefault(answer.attempt_id, []).append(answer)
    name = customer.spoken_name or f"customer #{customer_id}"
    operator_first = (actor.full_name or actor.login).split()[0]
    placeholders = {
        "customer.first_name": customer.first_name,
        "customer.last_name": customer.last_name,
        "customer.middle_name": customer.middle_name or "",
        "customer.full_name": name,
        "customer.title": customer.title or "",
        "customer.email": customer.email or "",
        "customer.phone": customer.phone,
        "customer.city": customer.city or "",
        "customer.stage": customer.stage,
        "operator.name": actor.full_name or actor.login,
        "operator.first_name": operator_first,
        "company.name": pb.company or pb.name,
        "greeting": greeting(now.astimezone(tz), lang),
    }
    history = [_past_call(pb, lang, call, by_attempt.get(call.attempt_id, []), logins, placeholders) for call in calls]
    facts = rules.Facts(
        stage=customer.stage,
        time_zone=customer.time_zone,
        segment=customer.segment,
        dnc=customer.dnc,
        value_tier=customer.value_tier,
        rfm_r=customer.rfm_r,
        rfm_f=customer.rfm_f,
        rfm_m=customer.rfm_m,
        churn_risk=customer.churn_risk,
        upsell_propensity=customer.upsell_propensity,
        purchases_count=customer.purchases_count,
        revenue_total=float(customer.revenue_total or 0),
        last_purchase_at=customer.last_purchase_at,
        last_contact_at=customer.last_contact_at,
        stage_since=customer.stage_since,
        last_nps=customer.last_nps,
        consent=customer.consent,
        city=customer.city,
        region=customer.region,
        country=customer.country,
        source=customer.source,
    )
    return Card(
        customer_id=customer_id,
        name=name,
        phones=callable_phones(customer.numbers, customer.wrong_phones),
        wrong_phones=marked_phones(customer.numbers, customer.wrong_phones),
        email=customer.email,
        place=", ".join(p for p in (customer.city, customer.region) if p),
        city=customer.city or customer.region or "",
        time_zone=customer.time_zone,
        time_zone_guessed=customer.time_zone_guessed,
        local_time=now.astimezone(tz),
        window=strategy.window,
        calling_window=window,
        holidays=rt.holidays,
        stage_labels={s.id: localize(s.label, lang) or s.id for s in pb.stages},
        task_labels={kind: localize(task.label, lang) or kind for kind, task in pb.tasks.items()},
        strategy_labels={s.id: localize(s.label, lang) or s.id for s in pb.strategies},
        **_window_state(window, now, tz, rt.holidays),
        stage=customer.stage,
        stage_label=localize(stage.label, lang) if stage and stage.label else customer.stage,
        stage_goal=localize(stage.goal, lang) if stage else "",
        segment=customer.segment,
        value_tier=customer.value_tier,
        churn_risk=customer.churn_risk,
        last_nps=customer.last_nps,
        purchases=customer.purchases_count,
        revenue=float(customer.revenue_total or 0),
        last_purchase_at=customer.last_purchase_at,
        strategy_id=strategy.id,
        strategy_label=localize(strategy.label, lang) or strategy.id,
        strategy_goal=localize(strategy.goal, lang),
        script=script,
        script_version_id=rt.script_versions.get(script.id),
        outcomes=rules.outcomes_for(pb, strategy),
        placeholders=placeholders,
        history=history,
        open_tasks=[
            (t.id or 0, localize(pb.tasks[t.kind].label, lang) if t.kind in pb.tasks else t.kind, t.due_at)
            for t in tasks
        ],
        open_callbacks=[(c.id or 0, c.due_at, logins.get(c.owner_id) if c.owner_id else None) for c in callbacks],
        reader=actor.login,
        notes=customer.notes,
        dnc=customer.dnc,
        language=lang,
        variables=facts.variables(now),
    )


def _fallback_strategy(rt: Runtime, stage: str) -> str:
    """For a customer no strategy holds now (an inbound caller, say): the first strategy of their stage."""
    strategies = rt.playbook.strategies
    return next((s.id for s in strategies if stage in s.stage), strategies[0].id)


def _past_call(
    pb: Playbook,
    lang: str,
    call: Interaction,
    answers: list[Answer],
    logins: dict[int | None, str],
    placeholders: dict[str, str],
) -> PastCall:
    try:
        outcome_label = localize(pb.outcome(call.outcome_code).label, lang)
    except StopIteration:
        outcome_label = call.outcome_code
    script = None
    if call.strategy_id:
        with contextlib.suppress(StopIteration):  # a strategy the playbook no longer has: the ids and codes
            script = pb.script(pb.strategy(call.strategy_id).script)
    ordered = sorted(answers, key=lambda a: a.position)
    return PastCall(
        at=call.started_at,
        outcome=call.outcome_code,
        outcome_label=outcome_label,
        operator=logins.get(call.operator_id, "?"),
        strategy=call.strategy_id,
        nps=call.nps,
        note=call.note,
        answers=[
            (fill(question, placeholders), answer)
            for question, answer in answered(script, [(a.node_id, a.value_text) for a in ordered], lang)
        ],
    )
