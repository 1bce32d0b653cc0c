"""Record the outcome of a call: one transaction that writes all of it or none of it.

The interaction, its answers, the NPS, the stage change with its cause, the next attempt time and caps, a
callback, tasks (a complaint's, a detractor's follow-up), do-not-call, the customer's consent to offers (a
``records_consent`` question's answer, logged when it changes), and an audit entry. The client makes the
attempt id before saving, so a retry after a crash or a lost reply finds the first save and records nothing twice.
Everything that needs thought (validation, the rules of core.queue_rules) happens before the write lock; the lock
is held only for the statements. A lease that expired or was taken over is refused, and the draft answers stay.
On PostgreSQL, where each statement is a round trip, a save is two: one that reads (``QueueSql.save_reads``) and
one that writes all of it (``QueueSql.record``), its own transaction; SQLite runs the statements one by one.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, cast

from operator_tui.core import queue_rules as rules
from operator_tui.core.answers import AnswerError, AnswerValue, next_node, parse_answer, storage
from operator_tui.core.phones import callable_phones, mark_wrong
from operator_tui.core.phones import zone as phone_zone
from operator_tui.core.playbook import OutcomeFlag, QuestionType, Script, Strategy
from operator_tui.core.queue_rules import Tier
from operator_tui.core.roles import Role
from operator_tui.core.value import churn_risk, upsell_propensity
from operator_tui.core.windows import next_open
from operator_tui.services import rollups
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import InvalidInput
from operator_tui.services.queue import _LOST, Claim, LeaseLost
from operator_tui.services.runtime import Runtime, day_value, entry_of, facts_of, runtime
from operator_tui.store.coltypes import utcnow
from operator_tui.store.queue_sql import (
    ANSWER_ARRAYS,
    ANSWER_SHARED,
    KEPT_ENTRY_FIELDS,
    RECORD_PREFIX,
    TASK_ARRAYS,
    TASK_SHARED,
    RecordShape,
    rows_as_dicts,
    split_save_reads,
)

RECENT = timedelta(days=180)


@dataclass(frozen=True)
class OutcomeInput:
    """What the operator's screen sends when the call is done."""

    attempt_id: str  # made by the client before the first try to save
    entry_id: int
    customer_id: int
    lease_token: str
    outcome: str
    answers: dict[str, Any] = field(default_factory=dict)  # node id -> raw answer
    note: str | None = None
    started_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    wrapup_ended_at: datetime | None = None
    callback_at: datetime | None = None
    callback_personal: bool = True
    callback_id: int | None = None  # the callback this call worked, if it came from the callback tiers
    task_id: int | None = None  # the task this call worked
    recording_ref: str | None = None
    phone_dialed: str | None = None
    drafts_saved: bool = False  # the screen saved draft answers under this attempt id (they are replaced)
    direction: str = "outbound"  # inbound for a call the customer made (opened by search)

    @classmethod
    def for_claim(cls, claim: Claim, attempt_id: str, outcome: str, **details: Any) -> OutcomeInput:
        """The input for a call on ``claim``, carrying its lease and the callback or task it came for."""
        if claim.tier is Tier.INBOUND:
            details.setdefault("direction", "inbound")
        return cls(
            attempt_id=attempt_id,
            entry_id=claim.entry_id,
            customer_id=claim.customer_id,
            lease_token=claim.lease_token,
            outcome=outcome,
            callback_id=claim.callback_id,
            task_id=claim.task_id,
            **details,
        )


@dataclass(frozen=True)
class Recorded:
    interaction_id: int
    duplicate: bool  # the attempt id was saved before: nothing new was written
    stage_after: str | None
    next_strategy: str | None = None
    next_phase: str | None = None
    next_ready_at: datetime | None = None
    # What else the save did, for the operator to hear (none of it is known of a duplicate):
    stage_before: str | None = None  # set when the stage changed
    tasks: tuple[str, ...] = ()  # the kinds of task it opened (a complaint, a detractor follow-up)
    dnc: bool = False  # it put the customer on the do-not-call list
    callback_moved_to: datetime | None = None  # the worked callback, nobody answering, comes back then
    wrong_phone: str | None = None  # the number it marked wrong (a wrong-number outcome)
    phones_left: int = 1  # the customer's numbers not marked wrong, after it
    callbacks_cancelled: int = 0  # open callbacks it cancelled (do-not-call, or no number left)


def record_outcome(db: Database, actor: Actor, data: OutcomeInput, now: datetime | None = None) -> Recorded:
    """Save the call in one transaction; idempotent by ``attempt_id``; LeaseLost if the lease is gone."""
    actor.require(Role.OPERATOR, "Recording a call")
    assert actor.user_id is not None
    now = now or utcnow()
    rt = runtime(db)
    hot, sql = db.hot, rt.sql
    with hot.connection() as conn:
        # A retry of a save that went through finds its lease gone; only then is the attempt id looked up, so
        # the usual save pays for no look-up (the unique attempt id guards the rare race of two saves at once).
        try:
            with hot.reading(conn):
                plan = _plan(db, rt, conn, actor, data, now)
            if not hot.sqlite and plan.one_statement:
                query, names = sql.record(plan.shape)
                params = _one_statement_params(plan)
                with hot.gate.held(), _raw_cursor(conn) as cur:
                    saved = cur.execute(query, [params[name] for name in names]).fetchone()
                if saved is None:
                    raise LeaseLost(_LOST)
                plan.interaction_id = saved[0]
            else:
                with hot.write(conn) as cur:
                    cur.execute(sql.close_entry(plan.entry_kept), plan.entry_params)
                    if cur.rowcount != 1:
                        raise LeaseLost(_LOST)
                    _write(cur, sql, plan)
        except (LeaseLost, _integrity_error(conn)) as exc:
            done = conn.execute(sql.interaction_by_attempt, {"attempt_id": data.attempt_id}).fetchone()
            if done is not None:
                return Recorded(done[0], True, done[1])
            raise exc from None
    rollups.nudge(db)
    return Recorded(
        plan.interaction_id or 0,
        False,
        plan.stage_after,
        plan.placement.strategy_id if plan.placement else None,
        plan.placement.phase if plan.placement else None,
        plan.placement.ready_at if plan.placement else None,
        stage_before=plan.stage_change["from_stage"] if plan.stage_change else None,
        tasks=tuple(task["kind"] for task in plan.tasks),
        dnc=plan.permission is not None,
        callback_moved_to=None
        if plan.close_callback is None or plan.close_callback["reached"] or plan.cancel_callbacks
        else hot.from_db(plan.close_callback["retry_at"]),
        wrong_phone=plan.wrong_phone,
        phones_left=plan.phones_left,
        callbacks_cancelled=plan.callbacks_cancelled,
    )


def next_call_at(db: Database, recorded: Recorded, time_zone: str) -> datetime | None:
    """When the customer can next be called after this save: the queue's ready time (or the time a worked callback
    was put off to, nobody answering) moved into the calling window of the strategy that holds them, in
    ``time_zone`` (theirs); None when no call is planned (a new callback says its time itself, a task holds them,
    or they left the queue). Outside the save, so the hot path pays nothing for it."""
    if recorded.callback_moved_to is not None:
        at = recorded.callback_moved_to
    elif recorded.next_phase in ("wait", "fresh") and recorded.next_ready_at is not None:
        at = recorded.next_ready_at
    else:
        return None
    if not recorded.next_strategy:
        return None
    rt = runtime(db)
    try:
        window = rt.windows[rt.playbook.strategy(recorded.next_strategy).window]
    except (KeyError, StopIteration):
        return at
    zone = phone_zone(time_zone)
    return next_open(window, at, zone, rt.holidays) or at


def _integrity_error(conn: Any) -> type[Exception]:
    """The driver's IntegrityError: a second save of one attempt id breaks the unique index."""
    module = sys.modules[type(conn).__module__.split(".")[0]]
    return cast(type[Exception], getattr(module, "IntegrityError", Exception))


def _raw_cursor(conn: Any) -> Any:
    """psycopg's cursor for ``$n`` placeholders, which runs the query as it is (``QueueSql.record``)."""
    return sys.modules[type(conn).__module__.split(".")[0]].RawCursor(conn)


@dataclass
class _Plan:
    entry_params: dict[str, Any]
    target_params: dict[str, Any] | None
    interaction: dict[str, Any]
    answers: list[dict[str, Any]]
    customer: dict[str, Any]
    stage_change: dict[str, Any] | None
    callback: dict[str, Any] | None
    close_callback: dict[str, Any] | None
    tasks: list[dict[str, Any]]
    close_task: dict[str, Any] | None
    permission: dict[str, Any] | None
    consent: dict[str, Any] | None  # the log entry of a changed consent to offers
    audit: dict[str, Any]
    stage_after: str | None
    placement: rules.Placement | None
    drop_drafts: bool = False
    interaction_id: int | None = None
    entry_kept: tuple[str, ...] = ()  # indexed columns the save leaves as they are (QueueSql.close_entry)
    wrong_phone: str | None = None
    phones_left: int = 1
    cancel_callbacks: bool = False  # do-not-call, or the last number found wrong: no open callback stays
    callbacks_cancelled: int = 0  # how many that cancels (the worked one too, unless this call reached them)

    @property
    def one_statement(self) -> bool:
        """Whether PostgreSQL can save it in one statement (``QueueSql.record``): not when it drops draft answers
        before writing the final ones, nor when do-not-call cancels the open callbacks while a callback is closed,
        delayed or made (the parts would touch the same rows), nor when the callbacks go for want of a number
        (no do-not-call entry to hang them on; rare); those go step by step, as on SQLite."""
        cancelling = self.cancel_callbacks and (self.callback or self.close_callback or not self.permission)
        return not (self.drop_drafts or cancelling)

    @property
    def shape(self) -> RecordShape:
        worked = self.close_callback
        return RecordShape(
            target=self.target_params is not None,
            stage_change=self.stage_change is not None,
            close_callback="" if worked is None else ("done" if worked["reached"] else "delay"),
            callback=self.callback is not None,
            close_task=self.close_task is not None,
            tasks=bool(self.tasks),
            permission=self.permission is not None,
            consent=self.consent is not None,
        )


def _plan(db: Database, rt: Runtime, conn: Any, actor: Actor, data: OutcomeInput, now: datetime) -> _Plan:
    """Read what the lease protects, validate, and decide every row to write; no write lock is held yet."""
    hot, pb = db.hot, rt.playbook
    at = hot.to_db(now)  # the save's moment, as stored
    rows, customers, totals, callbacks = _reads(rt, hot, conn, data.customer_id, now)
    row = next((e for e in rows if e["id"] == data.entry_id), None)
    if row is None:
        raise InvalidInput(f"queue entry {data.entry_id} is not customer {data.customer_id}'s")
    if (
        row["lease_token"] != data.lease_token
        or row["leased_by"] != actor.user_id
        or ((hot.from_db(row["lease_expires_at"]) or now) < now)
    ):
        raise LeaseLost(_LOST)
    strategy = pb.strategy(row["strategy_id"])
    try:
        outcome = pb.outcome(data.outcome)
    except StopIteration:
        raise InvalidInput.said("unknown outcome '{outcome}'", outcome=data.outcome) from None
    if not rules.offers(strategy, outcome.code):
        raise InvalidInput.said(
            "outcome {outcome} is not offered on {strategy} calls", outcome=outcome.code, strategy=strategy.id
        )
    if data.answers and OutcomeFlag.REACHED not in outcome.flags:
        # Nobody answered, so nobody gave these answers (a key pressed by mistake after the survey): kept, they
        # would count an NPS and open a detractor follow-up for a voicemail.
        raise InvalidInput.said(
            "{outcome} means nobody was reached: a call nobody answered has no answers (leave them out)",
            outcome=outcome.code,
        )
    customer = customers[0]  # the entry's customer
    facts = facts_of(customer)
    script = pb.script(strategy.script)
    # A call that met its goal must have gone through the script; a callback or a refusal may stop half-way.
    complete = OutcomeFlag.SUCCESS in outcome.flags
    answers = _validated_answers(script, data.answers, facts, complete, now)
    nps = next((v for k, v in answers.items() if script.node(k).type is QuestionType.NPS), None)
    consent = next((v for k, v in answers.items() if script.node(k).records_consent), None)
    entries = {e["strategy_id"]: e for e in rows}
    wrong_phone = _wrong_phone(customer, data.phone_dialed) if OutcomeFlag.WRONG_NUMBER in outcome.flags else None
    wrong = None if wrong_phone is None else mark_wrong(_phones(customer), customer["wrong_phones"], wrong_phone)
    phones_left = facts.phones_left if wrong is None else len(callable_phones(_phones(customer), wrong))
    try:
        effect = rules.apply_outcome(
            pb,
            strategy,
            outcome,
            entry_of(row),
            facts,
            now,
            nps=nps if isinstance(nps, int) else None,
            phones_left=phones_left,
        )
    except rules.OutcomeNotAllowed as exc:
        raise InvalidInput(str(exc)) from None
    if effect.callback and data.callback_at is None:
        raise InvalidInput.said("{outcome} needs a callback time", outcome=outcome.code)
    if data.callback_at is not None and data.callback_at <= now:
        raise InvalidInput.said("the callback time must be in the future")
    stage = effect.stage_to or facts.stage
    new_facts = replace(
        facts,
        stage=stage,
        stage_since=now if effect.stage_to else facts.stage_since,
        dnc=facts.dnc or effect.dnc,
        last_contact_at=now if effect.reached else facts.last_contact_at,
        last_nps=nps if isinstance(nps, int) else facts.last_nps,
        consent=consent if isinstance(consent, bool) else facts.consent,
        phones_left=phones_left,
    )
    new_facts = _rescored(totals, hot, new_facts, now, effect)
    history = {sid: entry_of(e) for sid, e in entries.items()}
    history[strategy.id] = effect.entry
    # When a callback worked on this call comes back, nobody having answered: at once for the other number (a
    # wrong number with another left), else after the retry delay.
    retry_at = effect.entry.not_before or (now if effect.redial else now + pb.queue.default_retry.after)
    # Do-not-call, or no number left to ring (the last one just found wrong): every open callback is cancelled,
    # or a new number given later would bring back a promise made over a number that was not theirs.
    cancel_callbacks = effect.dnc or (wrong is not None and phones_left == 0)
    open_callbacks = (
        []
        if cancel_callbacks
        else [
            (cb_id, retry_at if cb_id == data.callback_id else hot.from_db(due), sid)
            for cb_id, due, sid in callbacks
            if cb_id != data.callback_id or not effect.reached
        ]
    )
    if effect.callback and data.callback_at:
        open_callbacks.append((None, data.callback_at, strategy.id))
    callback_at = min((due for _, due, _ in open_callbacks if due), default=None)
    # A callback is rung on the strategy it was asked for on, unless this very call said no to offers and that
    # strategy calls only those who have not: then on one that takes the customer all the same. Judged on the
    # facts the strategy took them on (this call resets days since the last contact, say), with the new consent.
    called_back_on = strategy.id
    if callback_at and new_facts.consent is False and facts.consent is not False:
        called_back_on = rules.callback_strategy(pb, strategy.id, replace(facts, consent=False), history, now)
    placement = rules.place(
        pb,
        new_facts,
        history,
        now,
        callback_at=callback_at,
        callback_strategy=called_back_on if callback_at else None,
        prefer=strategy.id,
        sticky=not effect.reached,
    )
    if placement is None and effect.tasks and not new_facts.dnc:
        placement = rules.Placement(strategy.id, "hold", now, "open task")  # keep the customer leasable for it
    entry_params = _entry_params(db, rt, data, actor, effect.entry, strategy, placement, new_facts, row, now)

    def permission(kind: str, granted: bool | None, note: str | None) -> dict[str, Any]:
        """A contact_permission row the call decided: do-not-call, or the consent to offers it changed."""
        return {
            "customer_id": data.customer_id,
            "phone": customer["phone"],
            "kind": kind,
            "granted": granted,
            "at": at,
            "source": "outcome",
            "user_id": actor.user_id,
            "interaction_id": None,
            "note": note,
        }

    target = None
    if placement is not None and placement.strategy_id != strategy.id:
        target_strategy = pb.strategy(placement.strategy_id)
        target = {
            "customer_id": data.customer_id,
            "strategy_id": target_strategy.id,
            "phase": placement.phase,
            "ready_at": hot.to_db(placement.ready_at),
            "time_zone": new_facts.time_zone,
            "priority": rules.stored_priority(target_strategy, new_facts, now),
            "entered_at": at,
            "not_before": hot.to_db(rules.retry_floor(history)),
            "done_at": None,
            "done_reason": None,
            "now": at,
        }
    return _Plan(
        entry_params=entry_params,
        target_params=target,
        interaction=_interaction(db, rt, actor, data, strategy, outcome.code, effect, nps, facts.stage, stage, now),
        answers=_answer_rows(db, rt, actor, data, strategy, script, answers, now),
        customer={
            "customer_id": data.customer_id,
            "stage": stage,
            "stage_since": hot.to_db(new_facts.stage_since),
            "dnc": new_facts.dnc,
            "consent": new_facts.consent,
            "last_contact_at": hot.to_db(new_facts.last_contact_at),
            "last_nps": new_facts.last_nps,
            "churn_risk": new_facts.churn_risk,
            "upsell_propensity": new_facts.upsell_propensity,
            "wrong_phones": customer["wrong_phones"] if wrong is None else wrong,
            "now": at,
        },
        stage_change=None
        if effect.stage_to is None
        else {
            "customer_id": data.customer_id,
            "from_stage": facts.stage,
            "to_stage": effect.stage_to,
            "at": at,
            "cause": "outcome",
            "interaction_id": None,
            "user_id": actor.user_id,
            "rule": f"{outcome.code} on {strategy.id}",
            "note": None,
        },
        callback=None
        if not (effect.callback and data.callback_at)
        else {
            "customer_id": data.customer_id,
            "strategy_id": called_back_on,
            "due_at": hot.to_db(data.callback_at),
            "owner_id": actor.user_id if data.callback_personal else None,
            "status": "open",
            "created_by": actor.user_id,
            "created_at": at,
            "interaction_id": None,
            "done_at": None,
            "done_interaction_id": None,
            "escalated_at": None,
            "note": data.note,
        },
        close_callback=None
        if data.callback_id is None
        else {
            "id": data.callback_id,
            "now": at,
            "reached": effect.reached,
            "retry_at": hot.to_db(retry_at),
        },
        tasks=[
            {
                "kind": kind,
                "customer_id": data.customer_id,
                "interaction_id": None,
                "created_at": at,
                "due_at": hot.to_db(due),
                "assignee_id": None,
                "status": "open",
                "closed_at": None,
                "closed_by": None,
                "note": data.note,
            }
            for kind, due in effect.tasks
        ],
        close_task=None
        if data.task_id is None or not effect.reached
        else {"id": data.task_id, "now": at, "op": actor.user_id},
        permission=permission("dnc", True, data.note) if effect.dnc else None,
        consent=None if new_facts.consent == facts.consent else permission("consent", new_facts.consent, None),
        audit={
            "at": at,
            "user_id": actor.user_id,
            "action": "call.record",
            "entity": "customer",
            "entity_id": str(data.customer_id),
            "detail": json.dumps({"outcome": outcome.code, "attempt": data.attempt_id, "strategy": strategy.id}),
        },
        stage_after=stage,
        placement=placement,
        drop_drafts=data.drafts_saved,
        entry_kept=tuple(name for name in KEPT_ENTRY_FIELDS if entry_params[name] == row[name]),
        wrong_phone=wrong_phone,
        phones_left=phones_left,
        cancel_callbacks=cancel_callbacks,
        callbacks_cancelled=sum(1 for cb_id, _, _ in callbacks if cb_id != data.callback_id or not effect.reached)
        if cancel_callbacks
        else 0,
    )


def _phones(customer: dict[str, Any]) -> list[str | None]:
    return [customer["phone"], customer["alt_phone"]]


def _wrong_phone(customer: dict[str, Any], dialed: str | None) -> str | None:
    """The number a wrong-number call reached: the number dialled, or, when the screen did not dial (a desk
    phone), the first number not marked yet, which is the one the card offers first; None if none is left."""
    left = callable_phones(_phones(customer), customer["wrong_phones"])
    return dialed if dialed in left else (left[0] if left else None)


def _validated_answers(
    script: Script, raw: dict[str, Any], facts: rules.Facts, complete: bool, now: datetime
) -> dict[str, AnswerValue]:
    """Parse every answer against its question; a completed call must answer the required questions on its path."""
    problems: list[str] = []
    unanswered: list[str] = []
    answers: dict[str, AnswerValue] = {}
    known = {n.id: n for n in script.nodes}
    today = rules.local_day(now, facts.time_zone)  # a date question's bounds count from the customer's day
    for node_id, value in raw.items():
        node = known.get(node_id)
        if node is None or not node.is_question:
            problems.append(f"{node_id}: not a question of script {script.id}")
            continue
        try:
            parsed = parse_answer(node, value, required=False, today=today)  # required: on the path below
        except AnswerError as exc:
            problems.append(f"{node_id}: {exc}")
            continue
        if parsed is not None:
            answers[node_id] = parsed
    if complete and not problems:
        node = script.start
        variables = facts.variables(now)
        for _ in range(len(script.nodes) + 1):
            if node.is_question and node.required and node.id not in answers:
                problems.append(f"{node.id}: an answer is required")
                unanswered.append(node.id)
                break
            following = next_node(script, node, answers, variables)
            if following is None:
                break
            node = following
    if problems:
        raise InvalidInput("the answers cannot be saved: " + "; ".join(problems), problems, unanswered)
    return answers


def _reads(rt: Runtime, hot: Any, conn: Any, customer_id: int, now: datetime) -> tuple[Any, ...]:
    """What a save reads: the customer's queue entries, the customer, its purchase totals (``_rescored``) and its
    open callbacks. On PostgreSQL in one statement (one round trip); SQLite, which has no round trips, runs four."""
    sql = rt.sql
    totals_params = {
        "customer_id": customer_id,
        "recent": hot.to_db(now - RECENT),
        "before": hot.to_db(now - 2 * RECENT),
        "kind": "complaint",
    }
    if not hot.sqlite:
        return split_save_reads(conn.execute(sql.save_reads(), totals_params).fetchall())
    by_customer = {"customer_id": customer_id}
    entries = rows_as_dicts(conn.execute(sql.entries_of_customer, by_customer))
    customer = rows_as_dicts(conn.execute(sql.customer_facts, by_customer))
    totals = conn.execute(sql.purchase_totals, totals_params).fetchone()
    return entries, customer, totals, conn.execute(sql.open_callbacks_of, by_customer).fetchall()


def _rescored(totals: Any, hot: Any, facts: rules.Facts, now: datetime, effect: rules.OutcomeEffect) -> rules.Facts:
    """Churn risk and upsell propensity again, now that this call is known (core.value's formulas)."""
    count, recent, before, first, last, categories, complaints = totals
    complaints += sum(1 for kind, _ in effect.tasks if kind == "complaint")
    failed = 0 if effect.reached else effect.entry.retries
    first_at, last_at = hot.from_db(first), hot.from_db(last)
    since = None if last_at is None else (now - last_at) / timedelta(days=1)
    return replace(
        facts,
        churn_risk=churn_risk(
            days_since_last_purchase=since,
            purchases_recent=recent or 0,
            purchases_before=before or 0,
            last_nps=facts.last_nps,
            open_complaints=complaints,
            failed_attempts=failed,
        ),
        upsell_propensity=upsell_propensity(
            purchases=count or 0,
            days_since_last_purchase=since,
            span_days=0.0 if first_at is None or last_at is None else (last_at - first_at) / timedelta(days=1),
            categories=categories or 0,
        ),
    )


def _entry_params(
    db: Database,
    rt: Runtime,
    data: OutcomeInput,
    actor: Actor,
    entry: rules.EntryState,
    strategy: Strategy,
    placement: rules.Placement | None,
    facts: rules.Facts,
    row: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """The worked entry after the call: its history, and its place if it stays current."""
    hot = db.hot
    at = hot.to_db(now)
    stays = placement is not None and placement.strategy_id == strategy.id
    return {
        "id": data.entry_id,
        "tok": data.lease_token,
        "op": actor.user_id,
        "now": at,
        "phase": placement.phase if stays and placement else "off",
        "ready_at": hot.to_db(placement.ready_at if stays and placement else now),
        "priority": rules.stored_priority(strategy, facts, hot.from_db(row["entered_at"]) or now),
        "attempts_total": entry.attempts_total,
        "attempts_today": entry.attempts_today,
        "attempts_on": day_value(hot, entry.attempts_on),
        "retries": entry.retries,
        "not_before": hot.to_db(entry.not_before),
        "last_attempt_at": hot.to_db(entry.last_attempt_at),
        "last_reached_at": hot.to_db(entry.last_reached_at),
        "last_outcome": entry.last_outcome,
        "done_at": at if entry.done else None,
        "done_reason": entry.done_reason,
    }


def _interaction(
    db: Database,
    rt: Runtime,
    actor: Actor,
    data: OutcomeInput,
    strategy: Strategy,
    code: str,
    effect: rules.OutcomeEffect,
    nps: AnswerValue,
    stage_before: str,
    stage_after: str,
    now: datetime,
) -> dict[str, Any]:
    hot = db.hot
    started = data.started_at or now
    return {
        "attempt_id": data.attempt_id,
        "customer_id": data.customer_id,
        "operator_id": actor.user_id,
        "strategy_id": strategy.id,
        "script_version_id": rt.script_versions.get(strategy.script),
        "direction": data.direction,
        "phone_dialed": data.phone_dialed,
        "started_at": hot.to_db(started),
        "answered_at": hot.to_db(data.answered_at),
        "ended_at": hot.to_db(data.ended_at or now),
        "wrapup_ended_at": hot.to_db(data.wrapup_ended_at or now),
        "outcome_code": code,
        "reached": effect.reached,
        "success": effect.success,
        "nps": nps if isinstance(nps, int) else None,
        "stage_before": stage_before,
        "stage_after": stage_after,
        "note": data.note,
        "recording_ref": data.recording_ref,
        "is_test": False,
    }


def _answer_rows(
    db: Database,
    rt: Runtime,
    actor: Actor,
    data: OutcomeInput,
    strategy: Strategy,
    script: Script,
    answers: dict[str, AnswerValue],
    now: datetime,
) -> list[dict[str, Any]]:
    at = db.hot.to_db(now)
    rows = []
    for position, (node_id, value) in enumerate(answers.items()):
        text, number = storage(value)
        node_type = script.node(node_id).type
        rows.append(
            {
                "attempt_id": data.attempt_id,
                "interaction_id": None,
                "customer_id": data.customer_id,
                "operator_id": actor.user_id,
                "script_version_id": rt.script_versions.get(strategy.script),
                "node_id": node_id,
                "question_type": node_type.value if node_type else "text",
                "value_text": text,
                "value_number": number,
                "position": position,
                "answered_at": at,
                "final": True,
            }
        )
    return rows


def _one_statement_params(plan: _Plan) -> dict[str, Any]:
    """The parameters of ``QueueSql.record``: each part's under its prefix; the answers and the new tasks as one
    array a column, with the columns they share once."""
    params: dict[str, Any] = {}
    parts: list[tuple[str, dict[str, Any] | None]] = [
        ("entry", plan.entry_params),
        ("target", plan.target_params),
        ("interaction", plan.interaction),
        ("customer", plan.customer),
        ("stage", plan.stage_change),
        ("close_callback", plan.close_callback),
        ("callback", plan.callback),
        ("close_task", plan.close_task),
        ("permission", plan.permission),
        ("consent", plan.consent),
        ("audit", plan.audit),
    ]
    for part, values in parts:
        if values:
            prefix = RECORD_PREFIX[part]
            params.update({prefix + name: value for name, value in values.items()})
    for part, rows, shared, arrays in (
        ("answer", plan.answers, ANSWER_SHARED, ANSWER_ARRAYS),
        ("task", plan.tasks, TASK_SHARED, TASK_ARRAYS),
    ):
        prefix = RECORD_PREFIX[part]
        first = rows[0] if rows else {}
        for name in shared:
            params[prefix + name] = first.get(name)
        for name in arrays:
            params[prefix + name] = [row[name] for row in rows]
    # One element type per array: an int among floats would make the driver send an integer array.
    number = RECORD_PREFIX["answer"] + "value_number"
    params[number] = [None if v is None else float(v) for v in params[number]]
    return params


def _write(cur: Any, sql: Any, plan: _Plan) -> None:
    """The statements, in the write transaction; nothing here may decide anything."""
    if plan.target_params is not None:
        cur.execute(sql.upsert_entry, plan.target_params)
    interaction_id = cur.execute(sql.insert_interaction, plan.interaction).fetchone()[0]
    plan.interaction_id = interaction_id
    if plan.drop_drafts:
        cur.execute(sql.drop_drafts, {"attempt_id": plan.interaction["attempt_id"]})
    if plan.answers:
        cur.executemany(sql.upsert_answer, [{**a, "interaction_id": interaction_id} for a in plan.answers])
    cur.execute(sql.update_customer(plan.stage_change is None), plan.customer)
    if plan.stage_change:
        cur.execute(sql.insert_stage_change, {**plan.stage_change, "interaction_id": interaction_id})
    if plan.close_callback:
        worked = plan.close_callback
        if worked["reached"]:
            cur.execute(
                sql.close_callback, {"id": worked["id"], "now": worked["now"], "interaction_id": interaction_id}
            )
        else:  # nobody answered: the callback stays open and comes back after the retry delay
            cur.execute(sql.delay_callback, {"id": worked["id"], "due_at": worked["retry_at"]})
    if plan.callback:
        cur.execute(sql.insert_callback, {**plan.callback, "interaction_id": interaction_id})
    if plan.close_task:
        cur.execute(sql.close_task, plan.close_task)
    for task in plan.tasks:
        cur.execute(sql.insert_task, {**task, "interaction_id": interaction_id})
    if plan.permission:
        cur.execute(sql.insert_permission, {**plan.permission, "interaction_id": interaction_id})
    if plan.cancel_callbacks:
        cur.execute(sql.cancel_callbacks, {"customer_id": plan.customer["customer_id"], "now": plan.customer["now"]})
    if plan.consent:
        cur.execute(sql.insert_permission, {**plan.consent, "interaction_id": interaction_id})
    cur.execute(sql.insert_audit, plan.audit)
