"""Reports for a day, a week, a month or any range, by operator, team, stage, strategy, segment or outcome.

Call figures come from the daily roll-ups (refreshed first, so they are exact); QA from submitted reviews;
stage flow from the stage roll-up; churn, base coverage, new money and portfolio revenue from customers,
queue entries and purchases. Formulas: core.report_math. Supervisors and admins read everything; an operator
reads their own figures only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from operator_tui.core.phones import zone as zone_of
from operator_tui.core.report_math import CallFigures, ratio
from operator_tui.core.roles import Role
from operator_tui.core.text import localize
from operator_tui.services import rollups
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import InvalidInput, NotAllowed
from operator_tui.services.runtime import runtime
from operator_tui.store.coltypes import utcnow

GROUPINGS = {  # grouping -> (roll-up dimension, the column grouped by)
    "summary": ("strategy", None),
    "operators": ("operator", "key"),
    "teams": ("operator", "team"),
    "stages": ("stage", "key"),
    "strategies": ("strategy", "key"),
    "segments": ("segment", "key"),
    "outcomes": ("strategy", "outcome_code"),
    "days": ("strategy", "day"),
}
MEASURES = (
    "calls",
    "reached",
    "success",
    "talk_s",
    "wrap_s",
    "nps_n",
    "nps_sum",
    "promoters",
    "passives",
    "detractors",
)


@dataclass(frozen=True)
class Period:
    start: date  # first day, in the center's time zone
    end: date  # the day after the last
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def parse_period(text: str, today: date) -> Period:
    """``day``, ``week``, ``month`` (the current one), ``YYYY-MM-DD``, ``YYYY-MM`` or ``FROM..TO`` (inclusive)."""
    word = text.strip().lower()
    if word == "day":
        return Period(today, today + timedelta(days=1), f"{today}")
    if word == "week":
        monday = today - timedelta(days=today.weekday())
        return Period(monday, monday + timedelta(days=7), f"week of {monday}")
    if word == "month":
        first = today.replace(day=1)
        return Period(first, (first + timedelta(days=32)).replace(day=1), f"{first:%Y-%m}")
    try:
        if ".." in word:
            a, b = (date.fromisoformat(part.strip()) for part in word.split("..", 1))
            if b < a:
                raise InvalidInput.said("the period '{period}' ends before it starts", period=text)
            return Period(a, b + timedelta(days=1), f"{a}..{b}")
        if len(word) == 7:
            first = date.fromisoformat(word + "-01")
            return Period(first, (first + timedelta(days=32)).replace(day=1), word)
        single = date.fromisoformat(word)
        return Period(single, single + timedelta(days=1), word)
    except ValueError:
        raise InvalidInput.said(
            "expected a period like day, week, month, 2026-11, 2026-11-23 or 2026-11-01..2026-11-15, got '{period}'",
            period=text,
        ) from None


@dataclass
class Report:
    period: Period
    by: str
    rows: list[tuple[str, CallFigures, float | None]]  # (group label, call figures, QA average)
    total: CallFigures
    total_qa: float | None
    extras: dict[str, Any] = field(default_factory=dict)  # summary only: churn, coverage, money, flow
    time_zone: str = "UTC"  # the center's, whose midnights bound the days


def today_in_center(db: Database, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(zone_of(runtime(db).playbook.reports.time_zone)).date()


def instants(db: Database, period: Period) -> tuple[datetime, datetime]:
    """The period's first and end moments: midnights in the center's time zone, in UTC."""
    zone = zone_of(runtime(db).playbook.reports.time_zone)
    start, end = (datetime.combine(day, time(0), zone).astimezone(UTC) for day in (period.start, period.end))
    return start, end


def report(db: Database, actor: Actor, period: Period, by: str = "summary", now: datetime | None = None) -> Report:
    """Call figures per group (and for a summary, the base figures too)."""
    actor.require(Role.OPERATOR, "Reading reports")
    if by not in GROUPINGS:
        raise InvalidInput.said("unknown grouping '{by}': use {groupings}", by=by, groupings=", ".join(GROUPINGS))
    own = actor.role is Role.OPERATOR
    rollups.refresh(db)
    rt = runtime(db)
    hot, p, lang = db.hot, rt.sql.param, actor.language
    dim, column = GROUPINGS[by]
    params: dict[str, Any] = {"start": _day(hot, period.start), "end": _day(hot, period.end), "dim": dim}
    where = f"d.dim = {p('dim')} AND d.day >= {p('start')} AND d.day < {p('end')}"
    if own:  # an operator's own figures: the operator dimension has no outcome breakdown, so read it by key
        params["dim"], params["me"] = "operator", str(actor.user_id)
        where = f"d.dim = {p('dim')} AND d.day >= {p('start')} AND d.day < {p('end')} AND d.key = {p('me')}"
        if by not in ("summary", "days"):
            raise NotAllowed.said("operators read their own figures as a summary or by day")
    sums = ", ".join(f"sum(d.{m})" for m in MEASURES)
    join = ""
    if column == "team":
        key = "coalesce(t.name, '-')"
        join = "LEFT JOIN user_account u ON CAST(u.id AS TEXT) = d.key LEFT JOIN team t ON t.id = u.team_id"
    else:
        key = "''" if column is None else f"d.{column}"
    with hot.connection() as conn, hot.reading(conn):
        rows = conn.execute(
            f"SELECT {key}, {sums} FROM call_day d {join} WHERE {where} GROUP BY 1 ORDER BY 1", params
        ).fetchall()
        names = _labels(conn, rt, by, lang)
        qa = _qa(conn, hot, p, instants(db, period), zone_of(rt.playbook.reports.time_zone), by, actor if own else None)
        extras = _extras(conn, rt, hot, p, period, now or utcnow(), lang) if by == "summary" and not own else {}
    total = CallFigures()
    out = []
    for group, *values in sorted(rows, key=_order(rt.playbook, by, names)):
        figures = CallFigures(*(v or 0 for v in values))
        total.add(figures)
        out.append((names.get(str(group), str(group) or "all"), figures, qa.get(str(group))))
    return Report(period, by, out, total, qa.get("*"), extras, rt.playbook.reports.time_zone)


def _order(pb: Any, by: str, names: dict[str, str]) -> Any:
    """Rows as a reader expects them: stages in lifecycle order and strategies and outcomes in the playbook's
    order (unknown ones last), days by date, anything else by its label (login, team, segment)."""
    listed = {"stages": pb.stages, "strategies": pb.strategies, "outcomes": pb.outcomes}.get(by)
    if listed is not None:
        rank = {getattr(item, "code", None) or item.id: n for n, item in enumerate(listed)}
        return lambda row: (rank.get(str(row[0]), len(rank)), str(row[0]))
    if by == "days":
        return lambda row: str(row[0])
    return lambda row: names.get(str(row[0]), str(row[0])).casefold()


def _day(hot: Any, day: date) -> Any:
    return day.isoformat() if hot.sqlite else day


def _labels(conn: Any, rt: Any, by: str, lang: str) -> dict[str, str]:
    if by == "operators":
        return {
            str(i): f"{login} ({name})"
            for i, login, name in conn.execute("SELECT id, login, full_name FROM user_account").fetchall()
        }
    pb = rt.playbook
    if by == "strategies":
        return {s.id: localize(s.label, lang) or s.id for s in pb.strategies}
    if by == "stages":
        return {s.id: localize(s.label, lang) or s.id for s in pb.stages}
    if by == "outcomes":
        return {o.code: localize(o.label, lang) or o.code for o in pb.outcomes}
    return {}


_CALL_KEYS = ("stages", "strategies", "segments", "outcomes")  # groupings read from the scored call


def _qa(
    conn: Any, hot: Any, p: Any, bounds: tuple[datetime, datetime], zone: Any, by: str, own: Actor | None
) -> dict[str, float | None]:
    """QA averages of submitted reviews (calibration never counts) per operator, team, day, or the scored call's
    stage, strategy, segment or outcome, and for all.

    A review counts in the period of the call it scores, not of the day it was written: a month closes with the
    sample of its own calls, and a dispute settled later re-scores the call's month, not the month of the
    settlement. A test call has no recorded call and counts on the day it was scored.
    """
    query = (
        "SELECT r.operator_id, coalesce(t.name, '-'), r.score, coalesce(i.started_at, r.created_at) AS at, "
        "i.id, i.stage_before, i.strategy_id, c.segment, i.outcome_code "
        "FROM review r JOIN user_account u ON u.id = r.operator_id LEFT JOIN team t ON t.id = u.team_id "
        "LEFT JOIN interaction i ON i.id = r.interaction_id LEFT JOIN customer c ON c.id = i.customer_id "
        "WHERE r.status = 'submitted' AND r.kind IN ('sample', 'supervisor', 'test') AND r.score IS NOT NULL "
        f"AND coalesce(i.started_at, r.created_at) >= {p('start')} "
        f"AND coalesce(i.started_at, r.created_at) < {p('end')}"
    )
    params: dict[str, Any] = {"start": hot.to_db(bounds[0]), "end": hot.to_db(bounds[1])}
    if own is not None:
        query += f" AND r.operator_id = {p('me')}"
        params["me"] = own.user_id
    groups: dict[str, list[float]] = {}
    key: str | None
    for operator, team, score, at, *call in conn.execute(query, params).fetchall():
        call_id, stage, strategy, segment, outcome = call  # the scored call's, keyed as the roll-up keys it
        if by == "operators":
            key = str(operator)
        elif by == "teams":
            key = team
        elif by == "days":
            key = str(hot.from_db(at).astimezone(zone).date())
        elif by in _CALL_KEYS:  # a test call has no call to group by: it counts in the total only
            kind = {"stages": stage, "strategies": strategy, "segments": segment, "outcomes": outcome}[by]
            key = None if call_id is None else str(kind or "")
        else:
            key = ""
        if key is not None:
            groups.setdefault(key, []).append(score)
        groups.setdefault("*", []).append(score)
    return {k: round(sum(v) / len(v), 1) for k, v in groups.items()}


def _extras(conn: Any, rt: Any, hot: Any, p: Any, period: Period, now: datetime, lang: str) -> dict[str, Any]:
    """Base figures for the summary: stage flow, churn %, coverage %, new money, portfolio revenue."""
    pb = rt.playbook
    span = {"start": _day(hot, period.start), "end": _day(hot, period.end)}
    flow = {
        (a or "-", b): n
        for a, b, n in conn.execute(
            f"SELECT from_stage, to_stage, sum(changes) FROM stage_day WHERE day >= {p('start')} AND day < {p('end')} "
            "GROUP BY from_stage, to_stage",
            span,
        ).fetchall()
    }
    terminal = [s.id for s in pb.stages if s.terminal]
    churn_stage = terminal[0] if terminal else None
    churned = sum(n for (_, to), n in flow.items() if to == churn_stage)
    working = [s.id for s in pb.stages if not s.terminal]
    marks = ", ".join(p(f"w{i}") for i in range(len(working)))
    active = (
        conn.execute(
            f"SELECT count(*) FROM customer WHERE stage IN ({marks})", {f"w{i}": w for i, w in enumerate(working)}
        ).fetchone()[0]
        if working
        else 0
    )
    tz_start = datetime.combine(period.start, datetime.min.time(), tzinfo=UTC)
    tz_end = datetime.combine(period.end, datetime.min.time(), tzinfo=UTC)
    money = {"start": hot.to_db(tz_start), "end": hot.to_db(tz_end)}
    revenue, new_money = conn.execute(
        f"SELECT sum(pu.amount), sum(CASE WHEN c.first_purchase_at >= {p('start')} THEN pu.amount ELSE 0 END) "
        f"FROM purchase pu JOIN customer c ON c.id = pu.customer_id WHERE pu.at >= {p('start')} AND pu.at < {p('end')}",
        money,
    ).fetchone()
    # Per strategy, two counts inside ix_queue_reached (strategy, last reach; current entries only): the entries
    # it holds and those reached within its cadence. No scan of the queue, whatever the size of the base.
    arms, params = [], {}
    for n, strategy in enumerate(pb.strategies):
        since = now - strategy.cadence.every if strategy.cadence else tz_start
        held_here = f"FROM queue_entry WHERE strategy_id = {p(f's{n}')} AND phase <> 'off'"
        arms.append(
            f"SELECT {n}, (SELECT count(*) {held_here}), "
            f"(SELECT count(*) {held_here} AND last_reached_at >= {p(f't{n}')})"
        )
        params[f"s{n}"], params[f"t{n}"] = strategy.id, hot.to_db(since)
    counted = conn.execute(" UNION ALL ".join(arms), params).fetchall() if arms else []
    rows = [(pb.strategies[n].id, total, reached) for n, total, reached in counted if total]
    labels = {s.id: localize(s.label, lang) or s.id for s in pb.strategies}
    covered = {labels.get(sid, sid): (int(reached or 0), int(total or 0)) for sid, total, reached in rows}
    held = sum(t for _, t in covered.values())
    return {
        "flow": flow,
        "stages": [s.id for s in pb.stages],  # lifecycle order, for showing the flow as a matrix
        "churned": churned,
        "churn_pct": ratio(churned, active + churned),
        "coverage_pct": ratio(sum(r for r, _ in covered.values()), held),
        "coverage": covered,
        "portfolio_revenue": round(float(revenue or 0), 2),
        "new_money": round(float(new_money or 0), 2),
    }
