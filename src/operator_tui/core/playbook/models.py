"""The playbook as pydantic models: what an admin writes in YAML, checked field by field.

Structure and field formats are checked here; references between parts (a strategy's script exists, a branch
points at a real node, an outcome advances along an allowed transition) are checked in ``checks.py`` after the
structure is known to be sound.
"""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)

from operator_tui.core.durations import Duration
from operator_tui.core.expressions import Expression, ExpressionError, parse_expression
from operator_tui.core.text import Text
from operator_tui.core.windows import CallingWindow, parse_window

_SLUG = re.compile(r"^[a-z][a-z0-9_-]*$")
_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
ANY_STAGE = "*"


def _slug(value: Any) -> str:
    if isinstance(value, bool):
        raise ValueError(f"got {value}: YAML reads unquoted yes/no/on/off as true/false, so quote the id")
    if not isinstance(value, str) or not _SLUG.match(value):
        raise ValueError(f"expected an id of lowercase letters, digits, - or _ (like 'retention-nps'), got {value!r}")
    return value


def _code(value: Any) -> str:
    if not isinstance(value, str) or not _CODE.match(value):
        raise ValueError(f"expected an upper-case code like NOANSWER, got {value!r}")
    return value


def _expression(value: Any) -> Expression:
    if isinstance(value, Expression):
        return value
    if isinstance(value, bool | int | float):
        raise ValueError(f"expected a condition like 'answer <= 6', got {value!r}")
    try:
        return parse_expression(value)
    except ExpressionError as exc:
        raise ValueError(str(exc)) from None


def _str_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Slug = Annotated[str, BeforeValidator(_slug)]
Code = Annotated[str, BeforeValidator(_code)]
Condition = Annotated[Expression, BeforeValidator(_expression), PlainSerializer(lambda e: e.source, return_type=str)]
SlugList = Annotated[list[Slug], BeforeValidator(_str_list)]


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt key must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True, populate_by_name=True)


class Stage(Strict):
    id: Slug
    label: Text | None = None
    goal: Text | None = None
    terminal: bool = False  # no strategy works it by default (churned, disqualified); win-back may still

    @model_validator(mode="before")
    @classmethod
    def _from_plain_id(cls, value: Any) -> Any:
        return {"id": value} if isinstance(value, str) else value


class Transition(Strict):
    """Allowed stage changes: from each of ``from_`` (or ``*`` for any stage) to ``to``."""

    from_: Annotated[list[str], BeforeValidator(_str_list)] = Field(alias="from")
    to: Slug


class OutcomeFlag(StrEnum):
    REACHED = "reached"  # spoke with the customer
    SUCCESS = "success"  # the strategy's goal was met (counts as a conversion)
    CALLBACK = "callback"  # a callback must be scheduled
    DNC = "dnc"  # put the customer on the do-not-call list
    FINAL = "final"  # stop this strategy for the customer
    COMPLAINT = "complaint"
    REFUSED = "refused"
    WRONG_NUMBER = "wrong_number"


class Retry(Strict):
    after: Duration
    max: int = Field(default=6, ge=1, le=100)


class TaskSpec(Strict):
    kind: Slug
    due: Duration | None = None  # defaults to the task kind's SLA


class Outcome(Strict):
    code: Code
    label: Text
    hotkey: str | None = Field(default=None, min_length=1, max_length=1)
    flags: list[OutcomeFlag] = []
    retry: Retry | None = None
    advance: dict[str, Slug] = {}  # from stage (or *) -> to stage
    task: TaskSpec | None = None

    def has(self, flag: OutcomeFlag) -> bool:
        return flag in self.flags


class Caps(Strict):
    per_day: int = Field(default=3, ge=1, le=50)
    lifetime: int | None = Field(default=None, ge=1)


class Cadence(Strict):
    every: Duration


class PriorityWeights(Strict):
    value_tier: float = Field(default=1.0, ge=0)
    churn_risk: float = Field(default=0.0, ge=0)
    upsell: float = Field(default=0.0, ge=0)
    waiting: float = Field(default=0.0, ge=0)


class Strategy(Strict):
    id: Slug
    label: Text | None = None
    goal: Text | None = None
    stage: SlugList
    segment: SlugList | None = None
    when: Condition | None = None
    script: Slug
    window: Slug
    checklist: Slug | None = None
    outcomes: list[Code] | None = Field(default=None, min_length=1)  # offered on this strategy's calls; default all
    cadence: Cadence | None = None
    caps: Caps = Caps()
    priority: PriorityWeights = PriorityWeights()


class QuestionType(StrEnum):
    NPS = "nps"
    SCALE = "scale"
    SINGLE = "single"
    MULTI = "multi"
    YESNO = "yesno"
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"


_TYPE_ALIASES = {"choice": "single", "yes-no": "yesno", "yes_no": "yesno", "multiple": "multi"}


class Option(Strict):
    value: Slug
    label: Text

    @model_validator(mode="before")
    @classmethod
    def _from_plain(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {
                "value": re.sub(r"[^a-z0-9_-]+", "-", value.lower()).strip("-") or "option",
                "label": value,
            }
        return value


class Branch(Strict):
    when: Condition | None = None
    goto: Slug


class Node(Strict):
    id: Slug
    say: Text | None = None
    ask: Text | None = None
    hint: Text | None = None
    type: QuestionType | None = None
    required: bool = False
    options: list[Option] = []
    scale: tuple[int, int] | None = None
    min: float | None = None
    max: float | None = None
    next: Annotated[list[Branch], BeforeValidator(lambda v: [{"goto": v}] if isinstance(v, str) else v)] = []
    end: bool = False
    # A yes/no question whose answer is the customer's consent to offers ("May we contact you about offers?"):
    # saved with the call as their consent (the ``consent`` variable strategies read), and logged when it changes.
    records_consent: bool = False

    @field_validator("type", mode="before")
    @classmethod
    def _type_alias(cls, value: Any) -> Any:
        return _TYPE_ALIASES.get(value, value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _shape(self) -> Node:
        if self.say is None and self.ask is None:
            raise ValueError("a node needs 'say' (a line to read) or 'ask' (a question)")
        if self.ask is not None and self.type is None:
            raise ValueError("a question needs a 'type': nps, scale, single, multi, yesno, number, date or text")
        if self.ask is None and (self.type is not None or self.required):
            raise ValueError("'type' and 'required' belong to questions; add 'ask'")
        if self.type in (QuestionType.SINGLE, QuestionType.MULTI) and len(self.options) < 2:
            raise ValueError(f"a {self.type.value} question needs at least two options")
        if self.type is QuestionType.SCALE:
            if self.scale is None:
                raise ValueError("a scale question needs 'scale: [min, max]', e.g. [1, 5]")
            if self.scale[0] >= self.scale[1]:
                raise ValueError("scale: min must be below max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min must not be above max")
        if self.records_consent and self.type is not QuestionType.YESNO:
            raise ValueError("'records_consent' belongs to yes/no questions")
        bounds = [b for b in (self.min, self.max) if b is not None]
        if bounds and self.type not in (QuestionType.NUMBER, QuestionType.DATE):
            raise ValueError("'min' and 'max' belong to number and date questions")
        if self.type is QuestionType.DATE and any(not float(b).is_integer() for b in bounds):
            raise ValueError("a date question's 'min' and 'max' are whole days from the call's day, e.g. min: 0")
        if self.end and self.next:
            raise ValueError("an 'end' node cannot have 'next'")
        if not self.end and not self.next:
            raise ValueError("a node needs 'next' (where to go) or 'end: true'")
        values = [o.value for o in self.options]
        if len(set(values)) != len(values):
            raise ValueError("options repeat a value")
        return self

    @property
    def is_question(self) -> bool:
        return self.ask is not None


class Script(Strict):
    id: Slug
    version: int = Field(default=1, ge=1)
    title: Text | None = None
    nodes: list[Node] = Field(min_length=1)

    @property
    def start(self) -> Node:
        return self.nodes[0]

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)


def _scale(value: Any) -> Any:
    if value in ("yes-no", "yesno", "yes/no"):
        return (0, 1)
    return value


class ChecklistItem(Strict):
    id: Slug
    text: Text
    scale: Annotated[tuple[int, int], BeforeValidator(_scale)] = (0, 1)
    weight: float = Field(default=1.0, gt=0)
    critical: bool = False
    na: bool = True  # may the reviewer mark it not applicable

    @field_validator("scale")
    @classmethod
    def _ordered(cls, value: tuple[int, int]) -> tuple[int, int]:
        if value[0] >= value[1]:
            raise ValueError("scale: min must be below max, e.g. [0, 2] or [1, 5]")
        return value


class ChecklistSection(Strict):
    name: Text
    weight: float = Field(default=1.0, gt=0)
    items: list[ChecklistItem] = Field(min_length=1)


class Checklist(Strict):
    id: Slug
    version: int = Field(default=1, ge=1)
    title: Text | None = None
    pass_mark: float = Field(default=80.0, ge=0, le=100)
    sections: list[ChecklistSection] = Field(min_length=1)

    def items(self) -> list[ChecklistItem]:
        return [item for section in self.sections for item in section.items]


def _window_spec(value: Any) -> dict[str, str]:
    parse_window("window", value)  # raises ValueError with the bad day or hours
    return {str(k): str(v) for k, v in value.items()}


WindowSpec = Annotated[dict[str, str], BeforeValidator(_window_spec)]


class TaskKind(Strict):
    label: Text
    sla: Duration


class PauseReason(Strict):
    code: Code
    label: Text
    paid: bool = True


class QueueSettings(Strict):
    lease: Duration = timedelta(minutes=10)  # how long a claimed card stays held without renewal
    callback_grace: Duration = timedelta(minutes=15)  # overdue personal callbacks go to anyone after this
    detractor_task: Slug | None = None  # task kind opened for an NPS of 0..6
    task_lead: Duration = timedelta(hours=4)  # open tasks due within this come before retries and fresh customers
    skip_delay: Duration = timedelta(minutes=30)  # a skipped customer waits this long before coming back
    rest_after_contact: Duration = timedelta(days=3)  # no strategy calls a customer again sooner after a talk
    default_retry: Retry = Retry(after=timedelta(hours=1), max=3)  # for unreached outcomes without a retry rule


class QaSettings(Strict):
    sample_per_operator: int = Field(default=5, ge=1, le=200)  # reached calls reviewed per operator and month
    seed: int = 1  # the same seed draws the same sample
    dispute_within: Duration = timedelta(days=14)  # an operator disputes a review this long after it is submitted


def _zone_name(value: Any) -> str:
    from zoneinfo import available_timezones

    if not isinstance(value, str) or value not in available_timezones():
        raise ValueError(f"expected an IANA time zone like Europe/Moscow, got {value!r}")
    return value


class ReportSettings(Strict):
    time_zone: Annotated[str, BeforeValidator(_zone_name)] = "UTC"  # the center's: where a report's day begins


class Playbook(Strict):
    name: str = "playbook"
    company: str | None = None
    languages: list[str] = ["en"]
    stages: list[Stage] = Field(min_length=2)
    transitions: list[Transition] = []
    outcomes: list[Outcome] = Field(min_length=1)
    strategies: list[Strategy] = Field(min_length=1)
    scripts: list[Script] = Field(min_length=1)
    checklists: list[Checklist] = []
    windows: dict[Slug, WindowSpec] = Field(min_length=1)
    holidays: list[date] = []
    tasks: dict[Slug, TaskKind] = {}
    pause_reasons: list[PauseReason] = []
    queue: QueueSettings = QueueSettings()
    qa: QaSettings = QaSettings()
    reports: ReportSettings = ReportSettings()

    kind: Literal["operator-tui/playbook"] | None = None

    # Convenience look-ups used by the engine; built on demand because models are frozen.
    def stage_ids(self) -> list[str]:
        return [s.id for s in self.stages]

    def outcome(self, code: str) -> Outcome:
        return next(o for o in self.outcomes if o.code == code)

    def strategy(self, strategy_id: str) -> Strategy:
        return next(s for s in self.strategies if s.id == strategy_id)

    def script(self, script_id: str) -> Script:
        return next(s for s in self.scripts if s.id == script_id)

    def checklist(self, checklist_id: str) -> Checklist:
        return next(c for c in self.checklists if c.id == checklist_id)

    def calling_window(self, name: str) -> CallingWindow:
        return parse_window(name, self.windows[name])

    def effective_transitions(self) -> list[Transition]:
        """The transitions given, or by default: one step forward, one step back, and any stage to a terminal one."""
        if self.transitions:
            return self.transitions
        working = [s.id for s in self.stages if not s.terminal]
        out = [Transition(from_=[a], to=b) for a, b in itertools.pairwise(working)]
        out += [Transition(from_=[b], to=a) for a, b in itertools.pairwise(working)]
        out += [Transition(from_=[ANY_STAGE], to=s.id) for s in self.stages if s.terminal]
        return out

    def allowed(self, from_stage: str, to_stage: str) -> bool:
        """Whether the lifecycle allows moving from ``from_stage`` to ``to_stage``."""
        return any(
            t.to == to_stage and (ANY_STAGE in t.from_ or from_stage in t.from_) for t in self.effective_transitions()
        )
