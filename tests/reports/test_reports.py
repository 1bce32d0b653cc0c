"""Reports against a hand-computed fixture: every figure below was worked out by hand from the calls made here."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from operator_tui.cli.app import app
from operator_tui.services import accounts, queue, reports, rollups
from operator_tui.services.errors import InvalidInput, NotAllowed
from operator_tui.services.reports import Period, parse_period
from tests.conftest import actor
from tests.queue.helpers import MONDAY, NPS_ANSWERS, add_customer, place_all, record

NOV = Period(date(2026, 11, 1), date(2026, 12, 1), "2026-11")


def call(db, who, outcome, *, talk: int, wrap: int, nps: str | None = None, **customer):
    add_customer(db, stage="retention", last_purchase_at=MONDAY - timedelta(days=5), **customer)
    place_all(db)
    claim = queue.next_customer(db, who, now=MONDAY)
    answers = {**NPS_ANSWERS, "nps": nps} if nps is not None else {}
    answered = MONDAY + timedelta(seconds=10)
    ended = answered + timedelta(seconds=talk)
    return record(
        db,
        who,
        claim,
        outcome,
        answers=answers,
        started_at=MONDAY,
        answered_at=answered,
        ended_at=ended,
        wrapup_ended_at=ended + timedelta(seconds=wrap),
    )


@pytest.fixture
def month(db, operator):
    op02 = actor(db, "op02")
    call(db, operator, "SURVEYED", talk=100, wrap=20, nps="10", segment="vip")  # promoter
    call(db, operator, "SURVEYED", talk=200, wrap=40, nps="6")  # detractor
    call(db, operator, "NOANSWER", talk=0, wrap=10)
    call(db, op02, "SURVEYED", talk=60, wrap=30, nps="8")  # passive
    call(db, op02, "CHURNED", talk=30, wrap=0)  # -> churned
    return db


def test_summary_by_hand(month, supervisor):
    result = reports.report(month, supervisor, NOV)
    t = result.total
    assert (t.calls, t.reached, t.success) == (5, 4, 3)
    assert t.reach_rate == 80.0  # 4 / 5
    assert t.conversion_rate == 75.0  # 3 surveyed of 4 reached
    assert t.average_talk_s == 97.5  # (100 + 200 + 60 + 30) / 4 reached
    assert t.average_wrap_s == 20.0  # (20 + 40 + 10 + 30 + 0) / 5
    assert (t.promoters, t.passives, t.detractors) == (1, 1, 1)
    assert t.nps == 0.0  # (1 - 1) / 3
    assert result.extras["churned"] == 1
    assert result.extras["flow"][("retention", "churned")] == 1
    # churn % = 1 churned / (4 still in working stages + 1 churned)
    assert result.extras["churn_pct"] == 20.0


def test_by_operator_segment_and_outcome(month, supervisor):
    by_operator = {label.split()[0]: f for label, f, _ in reports.report(month, supervisor, NOV, "operators").rows}
    assert (by_operator["op01"].calls, by_operator["op02"].calls) == (3, 2)
    assert by_operator["op01"].nps == 0.0 and by_operator["op02"].nps == 0.0  # op02: one passive only
    segments = {label: f.calls for label, f, _ in reports.report(month, supervisor, NOV, "segments").rows}
    assert segments == {"b2c": 4, "vip": 1}
    outcomes = [(label, f.calls) for label, f, _ in reports.report(month, supervisor, NOV, "outcomes").rows]
    assert outcomes == [("Survey completed", 3), ("No answer", 1), ("Left for a competitor", 1)]  # playbook order
    teams = reports.report(month, supervisor, NOV, "teams").rows
    assert [(label, f.calls) for label, f, _ in teams] == [("Team A", 5)]


def test_an_operator_reads_only_their_own(month, operator):
    mine = reports.report(month, operator, NOV)
    assert mine.total.calls == 3 and mine.extras == {}
    with pytest.raises(NotAllowed):
        reports.report(month, operator, NOV, "operators")


def test_rollups_count_each_call_once(month, supervisor):
    reports.report(month, supervisor, NOV)
    assert rollups.refresh(month) == (0, 0)  # nothing new
    assert reports.report(month, supervisor, NOV).total.calls == 5


def test_periods():
    today = date(2026, 11, 25)  # a Wednesday
    assert parse_period("day", today) == Period(today, date(2026, 11, 26), "2026-11-25")
    assert parse_period("week", today).start == date(2026, 11, 23)
    assert parse_period("month", today) == Period(date(2026, 11, 1), date(2026, 12, 1), "2026-11")
    assert parse_period("2026-11-01..2026-11-15", today).end == date(2026, 11, 16)
    for bad in ("yesterday", "2026-13", "2026-11-15..2026-11-01"):
        with pytest.raises(InvalidInput):
            parse_period(bad, today)


@pytest.mark.sqlite_only  # the CLI on PostgreSQL (--url) is tested in tests/cli
def test_cli_outputs_parse_back(month, db_path):
    runner = CliRunner()
    as_json = runner.invoke(
        app, ["report", "operators", "--period", "2026-11", "--format", "json", "--db", str(db_path)]
    )
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    assert data["total"]["calls"] == 5 and len(data["rows"]) == 2
    as_csv = runner.invoke(app, ["report", "summary", "--period", "2026-11", "--format", "csv", "--db", str(db_path)])
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert rows[-1]["calls"] == "5" and rows[-1]["NPS"] == "0.0"
    flow = runner.invoke(app, ["report", "flow", "--period", "2026-11", "--format", "json", "--db", str(db_path)])
    assert {"from": "retention", "to": "churned", "customers": 1} in json.loads(flow.output)["flow"]
    table = runner.invoke(app, ["report", "summary", "--period", "2026-11", "--db", str(db_path)])
    assert "churn: 1 customers (20.0 %)" in table.output
    assert "…" not in table.output and "conversion %" in table.output  # piped: the whole table, nothing cut
    matrix = runner.invoke(app, ["report", "flow", "--period", "2026-11", "--db", str(db_path)]).output
    header = next(line for line in matrix.splitlines() if "from \\ to" in line)
    assert "churned" in header and "retention" not in header  # only stages somebody moved to are columns
    assert any(line.split()[1:3] == ["retention", "│"] for line in matrix.splitlines() if line.startswith("│"))
    assert runner.invoke(app, ["report", "summary", "--period", "soon", "--db", str(db_path)]).exit_code == 1
    bogus = runner.invoke(app, ["report", "bogus", "--db", str(db_path)])
    assert bogus.exit_code == 1 and "use summary, operators" in bogus.output and "or flow" in bogus.output


def test_live_board_shows_states_and_depth(db, operator, supervisor):
    from operator_tui.services import board, operators

    add_customer(db)
    add_customer(db, tier="A")
    place_all(db)
    operators.set_state(db, operator, "paused", reason="BREAK", now=MONDAY)
    view = board.board(db, supervisor, now=MONDAY)
    by_login = {o.login: o for o in view.operators}
    assert (by_login["op01"].state, by_login["op01"].reason, by_login["op01"].since) == ("paused", "BREAK", MONDAY)
    assert by_login["op02"].state == "offline"
    assert view.states == {"paused": 1, "offline": 1}
    assert view.depth["First contact"] == {"fresh": 2, "due": 0, "waiting": 0}
    with pytest.raises(NotAllowed):
        board.board(db, operator)


def test_a_team_lead_reads_the_board_of_their_team(db, admin, supervisor):
    from operator_tui.services import accounts, board

    accounts.set_team(db, admin, "op02", "Team B")
    assert {o.login for o in board.board(db, supervisor, now=MONDAY).operators} == {"op01", "op02"}  # the floor
    mine = board.board(db, supervisor, now=MONDAY, team_only=True)
    assert [(o.login, o.team) for o in mine.operators] == [("op01", "Team A")] and mine.states == {"offline": 1}
    assert mine.depth == board.board(db, supervisor, now=MONDAY).depth  # the queue stays the floor's


def test_a_console_that_stops_beating_goes_offline_on_the_board(db, operator, supervisor):
    """A killed app or a cut line leaves its last state in the table; the missing heartbeats tell the board."""
    from operator_tui.services import board, operators

    def op01(at):
        return next(o for o in board.board(db, supervisor, now=at).operators if o.login == "op01")

    operators.set_state(db, operator, "on call", customer_id=None, now=MONDAY)
    operators.heartbeat(db, operator, now=MONDAY + 2 * operators.HEARTBEAT)
    alive = op01(MONDAY + 2 * operators.HEARTBEAT + operators.SILENT)
    assert (alive.state, alive.since) == ("on call", MONDAY)  # a beat keeps the state and its time
    gone = op01(MONDAY + 2 * operators.HEARTBEAT + operators.SILENT + timedelta(seconds=1))
    assert (gone.state, gone.since, gone.strategy) == ("offline", MONDAY + 2 * operators.HEARTBEAT, None)
    operators.set_state(db, operator, "ready", now=MONDAY + timedelta(hours=1))  # back: the next write says so
    assert op01(MONDAY + timedelta(hours=1)).state == "ready"


def test_rows_come_in_the_order_a_reader_expects(month, supervisor):
    from operator_tui.services.runtime import runtime

    pb = runtime(month).playbook
    stages = reports.report(month, supervisor, NOV, "stages")
    lifecycle = [reports.localize(s.label, "en") for s in pb.stages]
    shown = [name for name, _, _ in stages.rows]
    assert shown == sorted(shown, key=lifecycle.index)
    from operator_tui.core.roles import Role
    from operator_tui.services import auth
    from operator_tui.services.context import SYSTEM

    accounts.create_user(
        month, SYSTEM, login_name="anna", full_name="Anna", role=Role.OPERATOR, pin="1111", team="Team A"
    )
    call(month, auth.login(month, "anna", "1111"), "SURVEYED", talk=50, wrap=5, nps="9")  # the newest id, first by name
    operators = [name for name, _, _ in reports.report(month, supervisor, NOV, "operators").rows]
    assert [name.split()[0] for name in operators] == ["anna", "op01", "op02"]
