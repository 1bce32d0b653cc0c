"""Demo data: deterministic, playbook-true, and the committed sample.db matches the current schema."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from operator_tui.core.playbook import parse_playbook
from operator_tui.playbooks import DEFAULT_PLAYBOOK
from operator_tui.services import auth, demo_data
from operator_tui.services.database import open_database
from operator_tui.services.errors import InvalidInput
from operator_tui.store import schema
from operator_tui.store.engine import make_engine, sqlite_url
from operator_tui.store.tables import Answer, Customer, Interaction, Review, StageChange, Task, User

SAMPLE = Path(__file__).resolve().parents[2] / "sample.db"


def build(path: Path, seed: int = 7):
    db = open_database(sqlite_url(path), create=True)
    summary = demo_data.build(db, customers=300, seed=seed, today=date(2026, 11, 23), pin_cost=2**10)
    return db, summary


def snapshot(db) -> list[tuple]:
    with db.read() as s:
        customers = s.exec(
            select(
                Customer.first_name,
                Customer.phone,
                Customer.stage,
                Customer.value_tier,
                Customer.revenue_total,
            ).order_by(col(Customer.id))
        ).all()
        calls = s.exec(
            select(Interaction.customer_id, Interaction.outcome_code, Interaction.started_at, Interaction.nps).order_by(
                col(Interaction.id)
            )
        ).all()
        return [*customers, *calls]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db, summary = build(path)
    yield db, summary
    db.close()


def test_same_seed_same_data_other_seed_other_data(demo, tmp_path):
    db, _ = demo
    again, _ = build(tmp_path / "again.db")
    other, _ = build(tmp_path / "other.db", seed=8)
    assert snapshot(again) == snapshot(db)
    assert snapshot(other) != snapshot(db)


def test_demo_users_log_in_with_their_pins(demo):
    db, summary = demo
    assert summary.users == 24
    assert auth.login(db, "op20", "1111").role.value == "operator"
    assert auth.login(db, "sup03", "2222").role.value == "supervisor"
    assert auth.login(db, "admin", "0000").role.value == "admin"


def test_history_follows_the_playbook(demo):
    db, _summary = demo
    pb = parse_playbook(DEFAULT_PLAYBOOK.read_text(encoding="utf-8"))
    with db.read() as s:
        stages = dict(s.exec(select(Customer.stage, func.count()).group_by(Customer.stage)).all())
        assert set(stages) <= set(pb.stage_ids()) and len(stages) >= 6
        zones = set(s.exec(select(Customer.time_zone)).all())
        assert {"Europe/Kaliningrad", "Europe/Moscow", "Asia/Vladivostok"} <= zones
        calls = s.exec(select(Interaction)).all()
        assert calls and all(c.outcome_code in {o.code for o in pb.outcomes} for c in calls)
        assert all(c.started_at < c.ended_at <= c.wrapup_ended_at for c in calls)
        assert max(c.started_at for c in calls).date() <= date(2026, 11, 23)
        assert {c.nps for c in calls if c.nps is not None} <= set(range(11))
        for change in s.exec(select(StageChange).where(StageChange.from_stage.is_not(None))).all():
            assert pb.allowed(change.from_stage, change.to_stage), change
        # The customer's stage is the last stage change's target.
        last = {}
        for change in s.exec(select(StageChange).order_by(col(StageChange.at))).all():
            last[change.customer_id] = change.to_stage
        assert all(last[c.id] == c.stage for c in s.exec(select(Customer)).all())
        assert s.exec(select(func.count()).select_from(Answer)).one() > 0
        assert s.exec(select(func.count()).select_from(Task)).one() > 0
        reviews = s.exec(select(Review)).all()
        done = [r for r in reviews if r.status == "submitted"]
        assert done and all(r.score is not None and 0 <= r.score <= 100 for r in done)
        assert any(r.status == "draft" for r in reviews)  # this month's sample is still being worked
        assert any(r.kind == "calibration" for r in reviews)


def test_value_follows_80_20(demo):
    db, _ = demo
    with db.read() as s:
        rows = s.exec(select(Customer.value_tier, Customer.revenue_total)).all()
    total = sum(r for _, r in rows)
    a_share = sum(r for t, r in rows if t == "A") / total
    a_count = sum(1 for t, _ in rows if t == "A") / len(rows)
    assert a_share >= 0.79 and a_count <= 0.35


def test_risk_and_propensity_are_scored(demo):
    """As a call or `rescore` scores them: churned customers are the risky ones, and the base is not all zeros."""
    db, _ = demo
    with db.read() as s:
        rows = s.exec(select(Customer.stage, Customer.churn_risk, Customer.upsell_propensity)).all()
    churned = [risk for stage, risk, _ in rows if stage == "churned"]
    loyal = [risk for stage, risk, _ in rows if stage == "loyalty"]
    assert churned and loyal and sum(churned) / len(churned) > sum(loyal) / len(loyal) + 0.2
    assert sum(1 for _, _, upsell in rows if upsell > 0) > len(rows) / 2


def test_refuses_a_database_that_has_data(demo):
    db, _ = demo
    with pytest.raises(InvalidInput, match="new, empty database"):
        demo_data.build(db, customers=1)


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample.db not built yet")
def test_committed_sample_db_matches_the_current_schema():
    engine = make_engine(sqlite_url(SAMPLE), pool=False)
    try:
        assert schema.current_revision(engine) == schema.head_revision(), (
            "sample.db is behind the schema: rebuild it with "
            "`operator-tui demo-data --db sample.db --customers 5000 --seed 42 --force`"
        )
        with engine.connect() as conn:
            assert conn.exec_driver_sql("select count(*) from customer").scalar() >= 5000
            assert conn.exec_driver_sql("pragma integrity_check").scalar() == "ok"
    finally:
        engine.dispose()
    assert SAMPLE.stat().st_size < 20 * 1024 * 1024
    assert User  # the users table is part of the checked schema


def test_russian_surnames_agree_with_the_person(demo):
    """A man is Иванов and a woman Иванова: the sample once had 989 men with women's surnames."""
    db, _ = demo
    with db.read() as s:
        people = s.exec(select(Customer.last_name, Customer.middle_name).where(col(Customer.middle_name).is_not(None)))
        named = [(last, middle) for last, middle in people.all() if middle]
    men = [last for last, middle in named if middle.endswith("ич")]
    women = [last for last, middle in named if middle.endswith("на")]
    assert len(men) > 50 and len(women) > 50
    assert not [last for last in men if last.endswith(("ова", "ева", "ина", "ая"))]
    assert not [last for last in women if last.endswith(("ов", "ев", "ин", "ий"))]


def test_consent_is_the_last_answer_to_the_offers_question(demo):
    """A demo customer who last said no to offers has consent false, and no offer strategy has them in its queue."""
    from operator_tui.store.tables import QueueEntry

    db, _ = demo
    with db.read() as s:
        answers = s.exec(
            select(Answer.customer_id, Answer.value_text)
            .where(col(Answer.node_id).in_(["contact-ok", "offer-consent"]), col(Answer.final))
            .order_by(col(Answer.answered_at), col(Answer.id))
        ).all()
        last = dict(answers)
        consent = dict(s.exec(select(Customer.id, Customer.consent)).all())
        offered = s.exec(
            select(QueueEntry.customer_id).where(
                col(QueueEntry.strategy_id).in_(["acquisition-offer", "win-back"]), QueueEntry.phase != "hold"
            )
        ).all()
    assert last and {cid: consent[cid] for cid in last} == {cid: said == "yes" for cid, said in last.items()}
    assert not [cid for cid in offered if consent[cid] is False]


def test_calls_are_spread_in_time_and_their_answers_fit_the_outcome(demo):
    """No pile of calls at the data's last second; a callback asked for holds one answer at most ("convenient?"
    no); a date named on a call comes after it."""
    from collections import Counter
    from datetime import datetime

    db, _ = demo
    with db.read() as s:
        started = s.exec(select(Interaction.started_at)).all()
        answers = s.exec(
            select(
                Interaction.id,
                Interaction.outcome_code,
                Interaction.started_at,
                Answer.question_type,
                Answer.value_text,
            ).join(Answer, col(Answer.interaction_id) == col(Interaction.id))
        ).all()
    assert max(Counter(started).values()) <= 2
    callbacks = Counter(call for call, outcome, _, _, value in answers if outcome == "CALLBACK" and value == "no")
    assert callbacks and max(callbacks.values()) == 1
    assert all(value == "no" for _, outcome, _, _, value in answers if outcome == "CALLBACK")
    dates = [(at, value) for _, _, at, qtype, value in answers if qtype == "date"]
    assert dates and all(datetime.fromisoformat(value).date() > at.date() for at, value in dates)


def test_later_calls_keep_to_the_strategies_conditions(demo):
    """No offer after a customer said no to offers; no loyalty call after a detractor's score (the strategies'
    ``when``, as the queue reads it)."""
    db, _ = demo
    pb = parse_playbook(DEFAULT_PLAYBOOK.read_text(encoding="utf-8"))
    offers = [s.id for s in pb.strategies if s.when is not None and "consent != false" in s.when.source]
    assert offers
    with db.read() as s:
        calls = s.exec(
            select(Interaction.id, Interaction.customer_id, Interaction.strategy_id, Interaction.nps).order_by(
                col(Interaction.customer_id), col(Interaction.started_at), col(Interaction.id)
            )
        ).all()
        consent_nodes = [n.id for script in pb.scripts for n in script.nodes if n.records_consent]
        consent = {
            a.interaction_id: a.value_text == "yes"
            for a in s.exec(select(Answer).where(col(Answer.node_id).in_(consent_nodes)))
        }
    said_no: set[int] = set()
    last_nps: dict[int, int] = {}
    checked = 0
    for call_id, customer, strategy, nps in calls:
        if strategy in offers:
            assert customer not in said_no, f"call {call_id}: an offer after a no to offers"
            checked += 1
        if strategy == "loyalty-referral" and customer in last_nps:
            assert last_nps[customer] >= 9, f"call {call_id}: a loyalty call after an NPS of {last_nps[customer]}"
        if call_id in consent:
            (said_no.discard if consent[call_id] else said_no.add)(customer)
        if nps is not None:
            last_nps[customer] = nps
    assert checked > 10
