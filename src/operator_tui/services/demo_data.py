"""Deterministic demo data: users, customers across Russia's time zones, purchases with 80/20 value, and about
90 days of call history (interactions, answers, NPS, stage changes, callbacks, tasks, QA reviews).

The same ``seed`` and ``today`` give the same data. Every call follows the playbook: outcomes come from the
strategy's list, answers walk the script's branches and pass the same answer validation as a live call, stage
changes follow the outcome's advance rules, and review scores come from the same scoring function.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from faker import Faker
from sqlalchemy import insert, text, update
from sqlmodel import col, select

from operator_tui.core import nps as nps_math
from operator_tui.core.answers import AnswerValue, next_node, parse_answer, storage
from operator_tui.core.phones import normalize_phone
from operator_tui.core.phones import zone as zone_of
from operator_tui.core.pins import COST_N, hash_pin
from operator_tui.core.playbook import Outcome, OutcomeFlag, Playbook, QuestionType, Script, Strategy
from operator_tui.core.qa_score import NA, ItemMark, score_review
from operator_tui.core.queue_rules import Facts
from operator_tui.core.roles import Role
from operator_tui.core.value import abc_tiers, quintiles
from operator_tui.services import enqueue, playbooks, rescore
from operator_tui.services.context import SYSTEM, Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import InvalidInput
from operator_tui.store.tables import (
    Answer,
    Callback,
    ContactPermission,
    Customer,
    Interaction,
    ItemScore,
    Purchase,
    Review,
    StageChange,
    Task,
    Team,
    User,
)

DEMO_OPERATORS = [f"op{i:02d}" for i in range(1, 21)]
DEMO_SUPERVISORS = ["sup01", "sup02", "sup03"]
DEMO_PINS = {Role.OPERATOR: "1111", Role.SUPERVISOR: "2222", Role.ADMIN: "0000"}
DEMO_LANGUAGES = dict.fromkeys(["sup03", *DEMO_OPERATORS[10:]], "ru")
"""Whose demo account is in Russian (their screens are, unless ``--lang`` says otherwise); the others have no
language of their own (``auto``: the terminal's)."""
HISTORY_DAYS = 90

# (city, region, area code for a landline, IANA zone, weight): Kaliningrad (UTC+2) to Vladivostok (UTC+10).
CITIES = [
    ("Калининград", "Калининградская область", "4012", "Europe/Kaliningrad", 3),
    ("Москва", "Москва", "495", "Europe/Moscow", 30),
    ("Санкт-Петербург", "Санкт-Петербург", "812", "Europe/Moscow", 14),
    ("Казань", "Республика Татарстан", "843", "Europe/Moscow", 5),
    ("Нижний Новгород", "Нижегородская область", "831", "Europe/Moscow", 4),
    ("Самара", "Самарская область", "846", "Europe/Samara", 4),
    ("Екатеринбург", "Свердловская область", "343", "Asia/Yekaterinburg", 7),
    ("Челябинск", "Челябинская область", "351", "Asia/Yekaterinburg", 4),
    ("Омск", "Омская область", "3812", "Asia/Omsk", 3),
    ("Новосибирск", "Новосибирская область", "383", "Asia/Novosibirsk", 6),
    ("Красноярск", "Красноярский край", "391", "Asia/Krasnoyarsk", 4),
    ("Иркутск", "Иркутская область", "3952", "Asia/Irkutsk", 3),
    ("Якутск", "Республика Саха (Якутия)", "4112", "Asia/Yakutsk", 2),
    ("Хабаровск", "Хабаровский край", "4212", "Asia/Vladivostok", 3),
    ("Владивосток", "Приморский край", "423", "Asia/Vladivostok", 4),
]
STAGE_WEIGHTS = {
    "contact": 30,
    "acquisition": 14,
    "conversion": 10,
    "retention": 25,
    "loyalty": 11,
    "churned": 7,
    "disqualified": 3,
}
SEGMENTS = (("b2c", 70), ("b2b", 20), ("vip", 10))
PRODUCTS = [
    ("Бумага А4, 5 пачек", "office", 1400),
    ("Картриджи", "office", 5200),
    ("Кресло офисное", "furniture", 14900),
    ("Стол письменный", "furniture", 21000),
    ("МФУ лазерное", "equipment", 38000),
    ("Канцелярский набор", "office", 2300),
    ("Кофемашина", "equipment", 56000),
    ("Шкаф для документов", "furniture", 17500),
]
UNREACHED = ("NOANSWER", "BUSY", "VOICEMAIL")
DISPUTE_REASONS = [
    "Я уточнил(а) потребность, это слышно на записи после 2-й минуты",
    "The customer interrupted me before I could summarise",
    "Согласие спрашивал(а) в начале разговора",
    "Tone was fine: the line was noisy",
]
RESOLUTIONS = {
    "rejected": ["Прослушал(а) запись: оценка верна", "Listened again: the score stands"],
    "partly_accepted": ["Частично согласен: пункт про потребность пересчитан", "Partly right: two items re-scored"],
    "accepted": ["Вы правы, оценка исправлена", "You are right: re-scored"],
}


@dataclass
class DemoSummary:
    customers: int = 0
    purchases: int = 0
    interactions: int = 0
    answers: int = 0
    stage_changes: int = 0
    callbacks: int = 0
    tasks: int = 0
    reviews: int = 0
    users: int = 0
    queued: int = 0

    def __str__(self) -> str:
        return ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in vars(self).items())


@dataclass
class _Customer:
    id: int
    stage: str
    segment: str
    zone: str
    first_name: str
    created: datetime
    clock: datetime  # the time of the customer's latest event: every new event comes after it
    consent: bool | None = None
    purchases: list[dict[str, Any]] = field(default_factory=list)
    # What strategy conditions read, kept up to date as the calls are made (``_Builder._takes``):
    stage_since: datetime | None = None
    last_contact: datetime | None = None
    last_nps: int | None = None
    dnc: bool = False


OPINIONS = (
    "Быстрее доставка",
    "Больше ассортимент",
    "Всё устраивает",
    "Звонить реже",
    "Faster delivery",
    "Better prices",
    "Не дозвониться в поддержку",
)
"""What customers say to an open question (what to improve, what went wrong), in both languages of the base."""


class _Builder:
    def __init__(self, db: Database, playbook: Playbook, seed: int, today: date, pin_cost: int):
        self.db, self.pb, self.rng = db, playbook, random.Random(seed)
        self.fake_ru, self.fake_en = Faker("ru_RU"), Faker("en_US")
        self.fake_ru.seed_instance(seed)
        self.fake_en.seed_instance(seed + 1)
        self.now = datetime.combine(today, time(6, 0), tzinfo=UTC)  # early morning UTC: the day's calls ahead
        self.start = self.now - timedelta(days=HISTORY_DAYS)
        self.latest = self.now - timedelta(hours=1)  # no call in the last hour, none in the future
        self.pin_cost = pin_cost
        self.summary = DemoSummary()
        self.operators: list[int] = []
        self.supervisors: list[int] = []
        self.team_of: dict[int, int] = {}
        self.versions = playbooks.current_versions(db)

    # -- users -------------------------------------------------------------------------------------------------
    def users(self) -> None:
        hashes = {role: hash_pin(pin, n=self.pin_cost) for role, pin in DEMO_PINS.items()}
        with self.db.write() as s:
            teams = []
            for n in range(1, len(DEMO_SUPERVISORS) + 1):
                team = Team(name=f"Team {n}")
                s.add(team)
                teams.append(team)
            s.flush()
            people: list[tuple[str, str, Role, int | None]] = [("admin", "Администратор Системы", Role.ADMIN, None)]
            for n, login in enumerate(DEMO_SUPERVISORS):
                people.append((login, self._person(), Role.SUPERVISOR, teams[n].id))
            for n, login in enumerate(DEMO_OPERATORS):
                people.append((login, self._person(), Role.OPERATOR, teams[n % len(teams)].id))
            for login, name, role, team_id in people:
                user = User(
                    login=login,
                    full_name=name,
                    role=role.value,
                    team_id=team_id,
                    pin_hash=hashes[role],
                    language=DEMO_LANGUAGES.get(login, "auto"),
                )
                s.add(user)
                s.flush()
                assert user.id is not None
                if role is Role.OPERATOR:
                    self.operators.append(user.id)
                    self.team_of[user.id] = team_id or 0
                elif role is Role.SUPERVISOR:
                    self.supervisors.append(user.id)
                    self.team_of[user.id] = team_id or 0
        self.summary.users = len(people)

    def _person(self) -> str:
        """A staff name written first name first, as scripts say it ("My name is {operator.first_name}")."""
        if self.rng.random() < 0.5:
            return f"{self.fake_ru.first_name_female()} {self.fake_ru.last_name_female()}"
        return f"{self.fake_ru.first_name_male()} {self.fake_ru.last_name_male()}"

    # -- customers ---------------------------------------------------------------------------------------------
    def customers(self, count: int) -> list[_Customer]:
        stages = [s for s in STAGE_WEIGHTS if s in self.pb.stage_ids()]
        weights = [STAGE_WEIGHTS[s] for s in stages]
        rows: list[dict[str, Any]] = []
        made: list[_Customer] = []
        seen_phones: set[str] = set()
        for _ in range(count):
            city, region, area, zone_name, _w = self.rng.choices(CITIES, weights=[c[4] for c in CITIES])[0]
            phone, mobile = self._phone(area, seen_phones)
            russian = self.rng.random() < 0.88
            fake = self.fake_ru if russian else self.fake_en
            female = self.rng.random() < 0.55
            first = fake.first_name_female() if female else fake.first_name_male()
            # Russian surnames agree with the person (Иванов, Иванова); Faker's plain last_name mixes them.
            last = (fake.last_name_female() if female else fake.last_name_male()) if russian else fake.last_name()
            middle = (fake.middle_name_female() if female else fake.middle_name_male()) if russian else None
            stage = self.rng.choices(stages, weights=weights)[0]
            segment = self.rng.choices([s for s, _ in SEGMENTS], weights=[w for _, w in SEGMENTS])[0]
            created = self.now - timedelta(
                days=self.rng.uniform(5, 720) if stage != "contact" else self.rng.uniform(1, 200)
            )
            rows.append(
                {
                    "first_name": first,
                    "last_name": last,
                    "middle_name": middle,
                    "phone": phone,
                    "email": f"{self.fake_en.user_name()}{self.rng.randint(1, 999)}@{self.fake_en.free_email_domain()}"
                    if self.rng.random() < 0.6
                    else None,
                    "title": None,
                    "city": city,
                    "region": region,
                    "country": "RU",
                    "time_zone": zone_name,
                    "time_zone_guessed": False,
                    "language": "ru" if russian else "en",
                    "stage": stage,
                    "stage_since": created,
                    "segment": segment,
                    "source": self.rng.choice(["web", "partner", "event", "cold-list", "referral"]),
                    "external_ref": f"L{100000 + len(rows)}",
                    "consent": self.rng.random() < 0.7 or None,
                    "gender": "F" if female else "M",
                    "created_at": created,
                    "updated_at": created,
                    "notes": None if not mobile or self.rng.random() < 0.7 else "Предпочитает звонки после обеда",
                    "dnc": False,
                    "value_tier": "C",
                    "rfm_r": 0,
                    "rfm_f": 0,
                    "rfm_m": 0,
                    "churn_risk": 0.0,
                    "upsell_propensity": 0.0,
                    "purchases_count": 0,
                    "revenue_total": 0.0,
                }
            )
        with self.db.write() as s:
            ids = (
                s.execute(insert(Customer).returning(col(Customer.id), sort_by_parameter_order=True), rows)
                .scalars()
                .all()
            )
        for cid, row in zip(ids, rows, strict=True):
            made.append(
                _Customer(
                    cid,
                    row["stage"],
                    row["segment"],
                    row["time_zone"],
                    row["first_name"],
                    row["created_at"],
                    row["created_at"],
                    consent=row["consent"],
                    stage_since=row["created_at"],
                )
            )
        self.summary.customers = len(made)
        return made

    def _phone(self, area: str, seen: set[str]) -> tuple[str, bool]:
        """A valid, unique number: a landline in the city's area code (its zone is unambiguous), or a mobile."""
        while True:
            mobile = self.rng.random() < 0.25
            if mobile:
                raw = f"+79{self.rng.randint(0, 99):02d}{self.rng.randint(0, 9999999):07d}"
            else:
                digits = 10 - len(area)
                raw = f"+7{area}{self.rng.randint(2 * 10 ** (digits - 1), 10**digits - 1)}"
            try:
                e164 = normalize_phone(raw).e164
            except ValueError:
                continue
            if e164 not in seen:
                seen.add(e164)
                return e164, mobile

    # -- journeys ----------------------------------------------------------------------------------------------
    def journeys(self, customers: list[_Customer]) -> None:
        """Purchases, stage history and the calls of the last 90 days, then the derived customer fields."""
        strategies_for = {stage: [s for s in self.pb.strategies if stage in s.stage] for stage in self.pb.stage_ids()}
        out = _Rows()
        for customer in customers:
            self._purchases(customer, out)
            path = self._path_to(customer.stage)
            # Steps before the window came from the previous system; steps inside it were made by calls.
            step_times = sorted(self.rng.uniform(0, 1) for _ in path)
            span = (self.now - customer.created).total_seconds()
            current = path[0] if path else customer.stage
            out.stage_changes.append(
                {
                    "customer_id": customer.id,
                    "from_stage": None,
                    "to_stage": current,
                    "at": customer.created,
                    "cause": "import",
                }
            )
            for (source, target), share in zip(itertools.pairwise(path), step_times, strict=False):
                at = max(customer.created + timedelta(seconds=span * share), customer.clock + timedelta(minutes=1))
                if at >= self.start:
                    strategy = self._strategy(
                        [s for s in strategies_for.get(source, []) if self._takes(s, customer, at)]
                    )
                    outcome = self._advancing_outcome(strategy, source, target) if strategy else None
                    if strategy and outcome:
                        self._call(customer, strategy, source, outcome, at, out, target=target)
                        continue
                at = min(at, self.latest)
                out.stage_changes.append(
                    {
                        "customer_id": customer.id,
                        "from_stage": source,
                        "to_stage": target,
                        "at": at,
                        "cause": "import" if at < self.start else "rule",
                        "rule": None if at < self.start else "demo history",
                    }
                )
                customer.stage, customer.clock, customer.stage_since = target, at, at
            # Later calls that did not move the stage: surveys, retries, callbacks, refusals.
            for strategy in strategies_for.get(customer.stage, []):
                earliest = max(customer.clock, self.start)
                if self.rng.random() < 0.55 and earliest < self.latest - timedelta(hours=1):
                    at = earliest + (self.latest - earliest) * self.rng.uniform(0.05, 1)
                    if self._takes(strategy, customer, at):
                        self._call(customer, strategy, customer.stage, None, at, out)
        out.write(self)
        self._derive(customers)

    def _path_to(self, stage: str) -> list[str]:
        """A plausible stage path that ends in ``stage``."""
        working = [s.id for s in self.pb.stages if not s.terminal]
        if stage in working:
            return working[: working.index(stage) + 1]
        # Terminal: left from some working stage.
        left_from = self.rng.choice(working[:3] if stage == "disqualified" else working[1:])
        return [*working[: working.index(left_from) + 1], stage]

    def _takes(self, strategy: Strategy, customer: _Customer, at: datetime) -> bool:
        """Whether the strategy would call the customer at ``at``, as the queue decides (its condition, the
        do-not-call list): no win-back offer for a customer who said no to offers, no loyalty call after a
        detractor's score."""
        if customer.dnc:
            return False
        if strategy.when is None:
            return True
        bought = [p for p in customer.purchases if p["at"] <= at]
        facts = Facts(
            stage=customer.stage,
            time_zone=customer.zone,
            segment=customer.segment,
            purchases_count=len(bought),
            revenue_total=sum(p["amount"] for p in bought),
            last_purchase_at=max((p["at"] for p in bought), default=None),
            last_contact_at=customer.last_contact,
            stage_since=customer.stage_since,
            last_nps=customer.last_nps,
            consent=customer.consent,
        )
        return strategy.when.test(facts.variables(at))

    def _strategy(self, options: list[Strategy]) -> Strategy | None:
        return self.rng.choice(options) if options else None

    def _advancing_outcome(self, strategy: Strategy, source: str, target: str) -> str | None:
        codes = strategy.outcomes or [o.code for o in self.pb.outcomes]
        for code in codes:
            advance = self.pb.outcome(code).advance
            if advance.get(source) == target or advance.get("*") == target:
                return code
        return None

    def _purchases(self, customer: _Customer, out: _Rows) -> None:
        buyers = {"conversion": (1, 2), "retention": (2, 9), "loyalty": (4, 16), "churned": (1, 5)}
        if customer.stage not in buyers:
            return
        low, high = buyers[customer.stage]
        count = self.rng.randint(low, high)
        # Pareto-distributed basket sizes give the 80/20 shape of revenue; VIP and B2B buy bigger.
        scale = {"vip": 4.0, "b2b": 2.5}.get(customer.segment, 1.0)
        last_allowed = self.now - timedelta(days=200 if customer.stage == "churned" else 1)
        if customer.stage == "retention" and self.rng.random() < 0.25:
            last_allowed = self.now - timedelta(days=130)  # a "sleeping" customer, for the win-back strategy
        first_allowed = customer.created + timedelta(days=1)
        if last_allowed <= first_allowed:
            first_allowed = last_allowed - timedelta(days=30)
        span = (last_allowed - first_allowed).total_seconds()
        for _ in range(count):
            product, category, price = self.rng.choice(PRODUCTS)
            amount = round(price * scale * min(self.rng.paretovariate(1.3), 40), 2)
            at = first_allowed + timedelta(seconds=self.rng.uniform(0, span))
            row = {
                "customer_id": customer.id,
                "at": at,
                "amount": amount,
                "currency": "RUB",
                "product": product,
                "category": category,
            }
            customer.purchases.append(row)
            out.purchases.append(row)

    def _call(
        self,
        customer: _Customer,
        strategy: Strategy,
        stage: str,
        outcome_code: str | None,
        at: datetime,
        out: _Rows,
        target: str | None = None,
    ) -> None:
        """A reached call, preceded by 0-2 unanswered attempts; picks an outcome when none is given."""
        zone = zone_of(customer.zone)
        at = self._in_hours(at, zone, customer.clock + timedelta(minutes=30))
        operator = self.rng.choice(self.operators)
        unreached = [c for c in UNREACHED if strategy.outcomes is None or c in strategy.outcomes]
        for _ in range(self.rng.choice((0, 0, 1, 2)) if unreached else 0):
            earlier = self._in_hours(at - timedelta(hours=self.rng.uniform(3, 40)), zone, customer.clock)
            if customer.clock < earlier < at:
                out.interaction(
                    self,
                    customer,
                    strategy,
                    self.rng.choice(self.operators),
                    earlier,
                    self.rng.choice(unreached),
                    stage,
                    stage,
                    {},
                )
        if outcome_code is None:
            outcome_code = self._plain_outcome(strategy, stage)
        outcome = self.pb.outcome(outcome_code)
        reached = OutcomeFlag.REACHED in outcome.flags
        script = self.pb.script(strategy.script)
        answers = self._answers(script, customer, outcome, at) if reached else {}
        after = target or outcome.advance.get(stage) or outcome.advance.get("*") or stage
        if after != stage and not self.pb.allowed(stage, after):
            after = stage
        interaction = out.interaction(self, customer, strategy, operator, at, outcome_code, stage, after, answers)
        if after != stage:
            out.stage_changes.append(
                {
                    "customer_id": customer.id,
                    "from_stage": stage,
                    "to_stage": after,
                    "at": at,
                    "cause": "outcome",
                    "interaction_id": interaction,
                    "user_id": operator,
                }
            )
            customer.stage, customer.stage_since = after, at
        customer.clock = at
        if reached:
            customer.last_contact = at
        for node_id, value in answers.items():
            node = script.node(node_id)
            if node.type is QuestionType.NPS and isinstance(value, int):
                customer.last_nps = value
            elif node.records_consent and isinstance(value, bool):
                customer.consent = value
        customer.dnc = customer.dnc or OutcomeFlag.DNC in outcome.flags
        self._follow_ups(customer, strategy, outcome_code, operator, at, interaction, answers, out)

    def _plain_outcome(self, strategy: Strategy, stage: str) -> str:
        codes = [
            c
            for c in (strategy.outcomes or [o.code for o in self.pb.outcomes])
            if not self.pb.outcome(c).advance
            or (stage not in self.pb.outcome(c).advance and "*" not in self.pb.outcome(c).advance)
        ]
        weights = {
            "SURVEYED": 30,
            "CALLBACK": 8,
            "NOTNOW": 8,
            "REFUSED": 4,
            "COMPLAINT": 2,
            "DNC": 1,
            "REFERRAL": 6,
            "INTERESTED": 5,
            "SALE": 3,
            "WRONGNUMBER": 0,  # the number would be marked wrong and the customer called on another (none here)
        }
        return self.rng.choices(codes, weights=[weights.get(c, 2) for c in codes])[0]

    def _in_hours(self, at: datetime, zone: ZoneInfo, not_before: datetime) -> datetime:
        """Move ``at`` into 09:30-19:30 local time on a weekday, as a real center would have called, but never
        before ``not_before`` (the customer's previous event) nor after ``latest``."""
        local = at.astimezone(zone)
        if not time(9, 30) <= local.time() <= time(19, 30):
            local = local.replace(hour=self.rng.randint(10, 18), minute=self.rng.randint(0, 59))
        while local.weekday() >= 5:
            local += timedelta(days=1)
        # Past the data's end: the same hour on an earlier weekday (clamped to the end itself, dozens of calls
        # would share one second, in most zones outside calling hours).
        while local.astimezone(UTC) > self.latest:
            local -= timedelta(days=1)
            while local.weekday() >= 5:
                local -= timedelta(days=1)
        moment = local.astimezone(UTC)
        if moment < not_before:  # no earlier day is free: just after the customer's previous event
            moment = min(not_before + timedelta(minutes=self.rng.randint(5, 90)), self.latest)
        return moment

    def _answers(self, script: Script, customer: _Customer, outcome: Outcome, at: datetime) -> dict[str, AnswerValue]:
        """Walk the script as a call would, answering each question with a plausible, valid value. A customer who
        asked to be called back answered the first question at most ("is it convenient?" no), not the survey."""
        answers: dict[str, AnswerValue] = {}
        node = script.start
        promoter_bias = {"REFERRAL": 0.9, "CHURNED": 0.05, "COMPLAINT": 0.02}.get(outcome.code, 0.55)
        callback = OutcomeFlag.CALLBACK in outcome.flags
        for _ in range(len(script.nodes) + 1):
            if node.is_question:
                if callback:
                    if node.type is QuestionType.YESNO:
                        answers[node.id] = parse_answer(node, False)
                    break
                raw = self._raw_answer(node, promoter_bias, at)
                answers[node.id] = parse_answer(node, raw)
            following = next_node(script, node, answers, {"stage": customer.stage})
            if following is None:
                break
            node = following
        return answers

    def _raw_answer(self, node: Any, promoter_bias: float, at: datetime) -> Any:
        rng, qtype = self.rng, node.type
        if qtype is QuestionType.NPS:
            roll = rng.random()
            return (
                rng.randint(9, 10)
                if roll < promoter_bias
                else rng.randint(7, 8)
                if roll < promoter_bias + 0.25
                else rng.randint(0, 6)
            )
        if qtype is QuestionType.SCALE:
            low, high = node.scale
            return rng.randint(max(low, high - 2), high) if rng.random() < 0.7 else rng.randint(low, high)
        if qtype is QuestionType.YESNO:
            return rng.random() < 0.7
        if qtype is QuestionType.SINGLE:
            return rng.choice(node.options).value
        if qtype is QuestionType.MULTI:
            return [o.value for o in rng.sample(node.options, rng.randint(1, 2))]
        if qtype is QuestionType.NUMBER:
            return rng.choice([5000, 12000, 30000, 75000, 150000])
        if qtype is QuestionType.DATE:
            return (at + timedelta(days=rng.randint(2, 20))).date()  # a date the customer named on that call
        if "contact" in node.id:  # a person recommended: a name and a phone, not an opinion
            fake = self.fake_ru if rng.random() < 0.7 else self.fake_en
            phone = f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
            return f"{fake.first_name()}, {phone}"
        return rng.choice(OPINIONS)

    def _follow_ups(
        self,
        customer: _Customer,
        strategy: Strategy,
        code: str,
        operator: int,
        at: datetime,
        interaction: int,
        answers: dict[str, AnswerValue],
        out: _Rows,
    ) -> None:
        outcome = self.pb.outcome(code)
        if OutcomeFlag.CALLBACK in outcome.flags:
            due = at + timedelta(hours=self.rng.choice((2, 4, 24, 48, 72)))
            # Callbacks from before today were worked; the ones due from now on are still open.
            done = due < self.now - timedelta(hours=1)
            personal = self.rng.random() < 0.6
            out.callbacks.append(
                {
                    "customer_id": customer.id,
                    "strategy_id": strategy.id,
                    "due_at": due,
                    "owner_id": operator if personal else None,
                    "status": "done" if done else "open",
                    "created_by": operator,
                    "created_at": at,
                    "interaction_id": interaction,
                    "done_at": due + timedelta(minutes=self.rng.randint(0, 90)) if done else None,
                }
            )
        kinds = []
        if outcome.task:
            kinds.append((outcome.task.kind, outcome.task.due or self.pb.tasks[outcome.task.kind].sla))
        nps = next((v for k, v in answers.items() if self._is_nps(strategy, k)), None)
        if isinstance(nps, int) and nps_math.is_detractor(nps) and self.pb.queue.detractor_task:
            kind = self.pb.queue.detractor_task
            kinds.append((kind, self.pb.tasks[kind].sla))
        for kind, sla in kinds:
            due = at + sla
            closed = due < self.now and self.rng.random() < 0.8
            out.tasks.append(
                {
                    "kind": kind,
                    "customer_id": customer.id,
                    "interaction_id": interaction,
                    "created_at": at,
                    "due_at": due,
                    "status": "done" if closed else "open",
                    "closed_at": at + sla * self.rng.uniform(0.2, 1.3) if closed else None,
                    "closed_by": self.rng.choice(self.supervisors) if closed else None,
                }
            )
        if OutcomeFlag.DNC in outcome.flags:
            out.dnc.append((customer.id, at, operator, interaction))

    def _is_nps(self, strategy: Strategy, node_id: str) -> bool:
        script = self.pb.script(strategy.script)
        return any(n.id == node_id and n.type is QuestionType.NPS for n in script.nodes)

    # -- derived fields ----------------------------------------------------------------------------------------
    def _derive(self, customers: list[_Customer]) -> None:
        """Purchase totals, value tier (ABC), RFM quintiles, last contact and last NPS, from the rows written."""
        revenue = [sum(p["amount"] for p in c.purchases) for c in customers]
        counts = [len(c.purchases) for c in customers]
        last = [max((p["at"] for p in c.purchases), default=None) for c in customers]
        recency = [None if t is None else (self.now - t).days for t in last]
        tiers = abc_tiers(revenue)
        r_q = quintiles(recency, higher_is_better=False)
        f_q = quintiles([n if n else None for n in counts])
        m_q = quintiles([r if r else None for r in revenue])
        with self.db.write() as s:
            contact = dict(
                s.execute(
                    select(Interaction.customer_id, Interaction.started_at)
                    .where(col(Interaction.reached))
                    .order_by(col(Interaction.started_at))
                ).all()
            )
            last_nps = dict(
                s.execute(
                    select(Interaction.customer_id, Interaction.nps)
                    .where(col(Interaction.nps).is_not(None))
                    .order_by(col(Interaction.started_at))
                ).all()
            )
            dnc = set(s.execute(select(ContactPermission.customer_id)).scalars().all())
            for i, c in enumerate(customers):
                s.execute(
                    update(Customer)
                    .where(col(Customer.id) == c.id)
                    .values(
                        stage=c.stage,
                        purchases_count=counts[i],
                        revenue_total=round(revenue[i], 2),
                        first_purchase_at=min((p["at"] for p in c.purchases), default=None),
                        last_purchase_at=last[i],
                        value_tier=tiers[i],
                        rfm_r=r_q[i],
                        rfm_f=f_q[i],
                        rfm_m=m_q[i],
                        last_contact_at=contact.get(c.id),
                        last_nps=last_nps.get(c.id),
                        dnc=c.id in dnc,
                        stage_since=self._stage_since(s, c.id),
                    )
                )

    def _stage_since(self, session: Any, customer_id: int) -> datetime:
        moment: datetime = session.execute(
            select(StageChange.at)
            .where(StageChange.customer_id == customer_id)
            .order_by(col(StageChange.at).desc())
            .limit(1)
        ).scalar_one()
        return moment

    # -- QA ----------------------------------------------------------------------------------------------------
    def reviews(self) -> None:
        """Three months of submitted reviews: a few reached calls per operator per month, scored by the
        supervisor of the operator's team against the strategy's checklist."""
        with self.db.read() as s:
            calls = s.execute(
                select(Interaction.id, Interaction.operator_id, Interaction.strategy_id, Interaction.started_at)
                .where(col(Interaction.reached))
                .order_by(col(Interaction.id))
            ).all()
        by_operator_month: dict[tuple[int, str], list[Any]] = {}
        for call in calls:
            by_operator_month.setdefault((call.operator_id, f"{call.started_at:%Y-%m}"), []).append(call)
        supervisor_of = {team: sup for sup, team in ((s, self.team_of[s]) for s in self.supervisors)}
        reviews: list[dict[str, Any]] = []
        scores: list[dict[str, ItemMark]] = []
        for (operator, month), month_calls in sorted(by_operator_month.items()):
            picked = self.rng.sample(month_calls, min(3, len(month_calls)))
            for call in picked:
                strategy = self.pb.strategy(call.strategy_id)
                if not strategy.checklist:
                    continue
                checklist = self.pb.checklist(strategy.checklist)
                marks = self._marks(checklist)
                result = score_review(checklist, marks)
                submitted = call.started_at + timedelta(days=self.rng.uniform(1, 6))
                if submitted > self.now:
                    continue
                # This month's sample is still being worked: the newest review of each operator is a draft.
                draft = month == f"{self.now:%Y-%m}" and call is picked[-1]
                if draft:
                    reviews.append(
                        {
                            "interaction_id": call.id,
                            "checklist_version_id": self.versions["checklist"][checklist.id],
                            "operator_id": operator,
                            "reviewer_id": supervisor_of.get(self.team_of[operator], self.supervisors[0]),
                            "kind": "sample",
                            "sample_month": month,
                            "status": "draft",
                            "score": None,
                            "critical_failed": False,
                            "created_at": self.now - timedelta(days=1),
                            "submitted_at": None,
                            "comment": None,
                        }
                    )
                    scores.append({})
                    continue
                reviews.append(
                    {
                        "interaction_id": call.id,
                        "checklist_version_id": self.versions["checklist"][checklist.id],
                        "operator_id": operator,
                        "reviewer_id": supervisor_of.get(self.team_of[operator], self.supervisors[0]),
                        "kind": "sample",
                        "sample_month": month,
                        "status": "submitted",
                        "score": result.score,
                        "critical_failed": result.critical_failed,
                        "created_at": submitted - timedelta(minutes=20),
                        "submitted_at": submitted,
                        "comment": "Критичное нарушение: см. пункты" if result.critical_failed else None,
                    }
                )
                scores.append(marks)
        with self.db.write() as s:
            ids = (
                s.execute(insert(Review).returning(col(Review.id), sort_by_parameter_order=True), reviews)
                .scalars()
                .all()
            )
            bottoms = {item.id: item.scale[0] for checklist in self.pb.checklists for item in checklist.items()}
            rows = [
                {
                    "review_id": rid,
                    "item_id": item,
                    "value": None if mark == NA else mark,
                    "na": mark == NA,
                    "comment": self._why(mark, bottoms.get(item)),
                }
                for rid, marks in zip(ids, scores, strict=True)
                for item, mark in marks.items()
            ]
            if rows:
                s.execute(insert(ItemScore), rows)
        self.summary.reviews = len(reviews)
        self._calibrations_and_disputes()

    def _calibrations_and_disputes(self) -> None:
        """Two calibration sessions of all supervisors, and disputes in every state, through the QA services."""
        from operator_tui.services import qa_calibration, qa_disputes, qa_reviews  # they import this module's deps

        with self.db.read() as s:
            people = {u.id: u for u in s.exec(select(User))}
            submitted = s.exec(
                select(Review).where(Review.status == "submitted", Review.kind == "sample").order_by(col(Review.id))
            ).all()

        def who(user_id: int) -> Actor:
            user = people[user_id]
            return Actor(
                user_id=user_id, login=user.login, role=Role(user.role), team_id=user.team_id, full_name=user.full_name
            )

        month_ago = self.now - timedelta(days=30)
        calls = [r for r in submitted if r.created_at < month_ago and r.interaction_id][:2]
        for n, review in enumerate(calls):
            at = month_ago + timedelta(days=n)
            cid = qa_calibration.start(
                self.db,
                who(self.supervisors[0]),
                review.interaction_id or 0,
                [people[s].login for s in self.supervisors],
                note="Monthly calibration",
                now=at,
            )
            with self.db.read() as s:
                drafts = s.exec(select(Review).where(Review.calibration_id == cid)).all()
            for draft in drafts:
                checklist = qa_reviews.checklist_of_db(self.db, draft.checklist_version_id)
                bottoms = {item.id: item.scale[0] for item in checklist.items()}
                for item_id, value in self._marks(checklist).items():
                    why = self._why(value, bottoms[item_id])
                    qa_reviews.mark(self.db, who(draft.reviewer_id), draft.id or 0, item_id, value, comment=why)
                qa_reviews.submit(self.db, who(draft.reviewer_id), draft.id or 0, now=at + timedelta(hours=2))
            qa_calibration.result(self.db, who(self.supervisors[0]), cid)
        plan = ["open", "open", "rejected", "rejected", "partly_accepted", "accepted"]
        candidates = [r for r in submitted if r.score is not None and r.score < 90][: len(plan)]
        for review, state in zip(candidates, plan, strict=False):
            at = (review.submitted_at or self.now) + timedelta(days=1)
            dispute = qa_disputes.open_dispute(
                self.db, who(review.operator_id), review.id or 0, self.rng.choice(DISPUTE_REASONS), now=at
            )
            if state == "open":
                continue
            checklist = qa_reviews.checklist_of_db(self.db, review.checklist_version_id)
            better: dict[str, ItemMark] = {item.id: item.scale[1] for item in checklist.items()}
            rescore = (
                None if state == "rejected" else (better if state == "accepted" else dict(list(better.items())[:2]))
            )
            qa_disputes.resolve(
                self.db,
                who(review.reviewer_id),
                dispute,
                state,
                self.rng.choice(RESOLUTIONS[state]),
                rescore,
                now=at + timedelta(days=1),
            )

    def _why(self, mark: ItemMark, bottom: int | None) -> str | None:
        """A reviewer's comment on a mark at the bottom of its scale (submitting needs one); none on the others."""
        return self.rng.choice(BOTTOM_COMMENTS) if mark != NA and mark == bottom else None

    def _marks(self, checklist: Any) -> dict[str, ItemMark]:
        marks: dict[str, ItemMark] = {}
        for item in checklist.items():
            low, high = item.scale
            roll = self.rng.random()
            if item.na and roll < 0.08:
                marks[item.id] = NA
            elif item.critical:
                marks[item.id] = low if roll < 0.03 else high
            else:
                marks[item.id] = high if roll < 0.7 else self.rng.randint(low, high)
        return marks


class _Rows:
    """Rows gathered in memory for bulk insert; interactions get ids as they are made (reserved up front)."""

    def __init__(self) -> None:
        self.interactions: list[dict[str, Any]] = []
        self.answers: list[dict[str, Any]] = []
        self.stage_changes: list[dict[str, Any]] = []
        self.purchases: list[dict[str, Any]] = []
        self.callbacks: list[dict[str, Any]] = []
        self.tasks: list[dict[str, Any]] = []
        self.dnc: list[tuple[int, datetime, int, int]] = []

    def interaction(
        self,
        builder: _Builder,
        customer: _Customer,
        strategy: Strategy,
        operator: int,
        at: datetime,
        code: str,
        before: str,
        after: str,
        answers: dict[str, AnswerValue],
    ) -> int:
        outcome = builder.pb.outcome(code)
        reached = OutcomeFlag.REACHED in outcome.flags
        interaction_id = len(self.interactions) + 1
        attempt = str(uuid.UUID(int=builder.rng.getrandbits(128)))
        talk = timedelta(seconds=builder.rng.randint(60, 420) if reached else builder.rng.randint(15, 40))
        ended = at + talk
        script = builder.pb.script(strategy.script)
        nps_value = next((v for k, v in answers.items() if script.node(k).type is QuestionType.NPS), None)
        self.interactions.append(
            {
                "id": interaction_id,
                "attempt_id": attempt,
                "customer_id": customer.id,
                "operator_id": operator,
                "strategy_id": strategy.id,
                "script_version_id": builder.versions["script"][strategy.script],
                "direction": "outbound",
                "started_at": at,
                "answered_at": at + timedelta(seconds=12) if reached else None,
                "ended_at": ended,
                "wrapup_ended_at": ended + timedelta(seconds=builder.rng.randint(5, 60)),
                "outcome_code": code,
                "reached": reached,
                "success": OutcomeFlag.SUCCESS in outcome.flags,
                "nps": nps_value,
                "stage_before": before,
                "stage_after": after,
                "note": builder.rng.choice(
                    [
                        None,
                        None,
                        None,
                        "Просил(а) перезвонить после 15:00",
                        "Доволен сервисом",
                        "Interested in bulk pricing",
                    ]
                )
                if reached
                else None,
                "recording_ref": f"rec/{at:%Y/%m/%d}/{attempt}.ogg" if reached else None,
                "is_test": False,
            }
        )
        for position, (node_id, value) in enumerate(answers.items()):
            text, number = storage(value)
            self.answers.append(
                {
                    "attempt_id": attempt,
                    "interaction_id": interaction_id,
                    "customer_id": customer.id,
                    "operator_id": operator,
                    "script_version_id": builder.versions["script"][strategy.script],
                    "node_id": node_id,
                    "question_type": script.node(node_id).type,
                    "value_text": text,
                    "value_number": number,
                    "position": position,
                    "answered_at": at + timedelta(seconds=30 * position),
                    "final": True,
                }
            )
        return interaction_id

    def write(self, builder: _Builder) -> None:
        with builder.db.write() as s:
            for table, rows in (
                (Interaction, self.interactions),
                (Answer, self.answers),
                (StageChange, self.stage_changes),
                (Purchase, self.purchases),
                (Callback, self.callbacks),
                (Task, self.tasks),
            ):
                for chunk in _chunks(rows, 2000):
                    s.execute(insert(table), chunk)
            permissions = [
                {
                    "customer_id": cid,
                    "phone": phone,
                    "kind": "dnc",
                    "granted": True,
                    "at": at,
                    "source": "outcome",
                    "user_id": op,
                    "interaction_id": iid,
                }
                for (cid, at, op, iid), phone in zip(self.dnc, self._phones(s), strict=True)
            ]
            if permissions:
                s.execute(insert(ContactPermission), permissions)
        builder.summary.interactions = len(self.interactions)
        builder.summary.answers = len(self.answers)
        builder.summary.stage_changes = len(self.stage_changes)
        builder.summary.purchases = len(self.purchases)
        builder.summary.callbacks = len(self.callbacks)
        builder.summary.tasks = len(self.tasks)

    def _phones(self, session: Any) -> list[str]:
        ids = [cid for cid, *_ in self.dnc]
        phones = dict(session.execute(select(Customer.id, Customer.phone).where(col(Customer.id).in_(ids))).all())
        return [phones[cid] for cid in ids]


BOTTOM_COMMENTS = (
    "Пропущено на записи: не прозвучало вовсе.",
    "Не сделано, см. запись на 1:20.",
    "Клиента перебивал(а), разберём на планёрке.",
    "Сказано неверно, сверьтесь со скриптом.",
)


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _consent_from_answers(db: Database, playbook: Playbook) -> None:
    """Each customer's consent as their last answer to a question that records it says (a save does so as it
    goes; the journeys write their calls in bulk), before the queue places anyone: offers skip a "no"."""
    nodes = sorted({n.id for script in playbook.scripts for n in script.nodes if n.records_consent})
    if not nodes:
        return
    names = ", ".join(f":n{i}" for i in range(len(nodes)))
    answered = f"FROM answer a WHERE a.customer_id = customer.id AND a.final AND a.node_id IN ({names})"
    with db.write() as session:
        session.execute(
            text(
                f"UPDATE customer SET consent = (SELECT a.value_text = 'yes' {answered} "
                f"ORDER BY a.answered_at DESC, a.id DESC LIMIT 1) WHERE EXISTS (SELECT 1 {answered})"
            ),
            {f"n{i}": node for i, node in enumerate(nodes)},
        )


def build(
    db: Database,
    *,
    customers: int = 5000,
    seed: int = 42,
    today: date | None = None,
    pin_cost: int = COST_N,
) -> DemoSummary:
    """Fill an empty database (schema made, no playbook yet) with the default playbook and demo data."""
    with db.read() as session:
        if session.exec(select(Customer.id).limit(1)).first() or session.exec(select(User.id).limit(1)).first():
            raise InvalidInput("demo data goes into a new, empty database; this one already has users or customers")
    playbooks.load_default(db, SYSTEM)
    builder = _Builder(db, playbooks.active(db), seed, today or datetime.now(UTC).date(), pin_cost)
    builder.users()
    made = builder.customers(customers)
    builder.journeys(made)
    _consent_from_answers(db, playbooks.active(db))
    builder.reviews()
    builder.summary.queued = enqueue.enqueue_new(db, builder.now)
    with db.write() as session:  # the history of each customer's current strategy, for coverage and cadence
        session.execute(
            text(
                "UPDATE queue_entry SET last_reached_at = (SELECT max(i.started_at) FROM interaction i WHERE "
                "i.customer_id = queue_entry.customer_id AND i.strategy_id = queue_entry.strategy_id AND i.reached) "
                "WHERE phase <> 'off'"
            )
        )
    # Churn risk and upsell propensity (and the queue priorities that weigh them) as `operator-tui rescore` gives
    # them: without it the cards said "churn risk 0.00" for churned customers too.
    rescore.rescore(db, SYSTEM, now=builder.now)
    return builder.summary
