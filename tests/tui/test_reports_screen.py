"""The reports screen driven with keys against the hand-computed month of tests/tui/reports_data.py."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from operator_tui.services.database import Database
from operator_tui.tui.app import OperatorTuiApp
from operator_tui.tui.screens.help import HelpScreen
from operator_tui.tui.screens.reports import ReportsScreen
from operator_tui.tui.widgets.charts import TrendChart
from operator_tui.tui.widgets.report_tables import TOTAL, BaseFigures, FiguresTable, FlowTable
from tests.tui.pilots import Notes, record_notifications, type_ahead
from tests.tui.reports_data import a_month_of_calls, on_top, reports_app

FIGURES = ("calls", "reach", "conv", "conv_pct", "talk", "wrap", "nps", "promoters", "passives", "detractors", "qa")
NOVEMBER = ("6", "83.3 %", "4", "80.0 %", "1:28", "0:18", "+25.0", "2", "1", "1", "–")
MONDAY = ("5", "80.0 %", "3", "75.0 %", "1:38", "0:20", "0.0", "1", "1", "1", "–")


@pytest.fixture
def month(db: Database) -> Database:
    return a_month_of_calls(db)


def figures(app: OperatorTuiApp, row: str = TOTAL) -> tuple[str, ...]:
    texts = app.screen.query_one(FiguresTable).row_texts(row)
    return tuple(texts[key] for key in FIGURES if key in texts)  # under 100 columns without Prom. and Pass.


def row_labels(app: OperatorTuiApp) -> list[str]:
    table = app.screen.query_one(FiguresTable)
    return [str(table.get_row_at(n)[0]) for n in range(table.row_count)]


async def open_reports(pilot: Pilot[Any], login: str, *keys: str) -> ReportsScreen:
    await on_top(login, lambda app: ReportsScreen(app.db, app.actor), *keys)(pilot)  # type: ignore[arg-type]
    return next(screen for screen in pilot.app.screen_stack if isinstance(screen, ReportsScreen))


async def test_a_supervisor_switches_period_and_grouping_with_keys(month: Database) -> None:
    app = reports_app(month)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot, "sup01")
        assert screen.period is not None and screen.period.label == "2026-11"
        assert figures(app) == NOVEMBER
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.period.label == "2026-11-23" and figures(app) == MONDAY
        await pilot.press("2")  # by operator, still today
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert row_labels(app) == ["op01 (Operator 1)", "op02 (Operator 2)", "Total"]
        assert figures(app, "op01 (Operator 1)")[:4] == ("3", "66.7 %", "2", "100.0 %")
        await pilot.press("m")
        await app.workers.wait_for_complete()
        await pilot.pause()
        op01 = figures(app, "op01 (Operator 1)")
        op02 = figures(app, "op02 (Operator 2)")
        assert (op01[0], op01[1], op01[2], op01[3], op01[6]) == ("4", "75.0 %", "3", "100.0 %", "+33.3")
        assert (op02[0], op02[1], op02[2], op02[3], op02[6]) == ("2", "100.0 %", "1", "50.0 %", "0.0")
        assert figures(app) == NOVEMBER
        await pilot.press("g")  # the next grouping: teams
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.by == "teams" and row_labels(app) == ["Team A", "Total"]
        await pilot.press("8")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert row_labels(app) == ["2026-11-20 Fri", "2026-11-23 Mon", "Total"]
        assert figures(app, "2026-11-20")[:3] == ("1", "100.0 %", "1")
    assert notes == []


async def test_earlier_and_later_step_by_the_period_s_own_kind(month: Database) -> None:
    app = reports_app(month)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot, "sup01", "left_square_bracket")
        assert screen.period is not None and screen.period.label == "2026-10"
        assert figures(app)[:3] == ("0", "–", "0")  # nothing to divide: a dash, not 0 %
        await pilot.press("right_square_bracket")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.period.label == "2026-11"
        await pilot.press("right_square_bracket")  # December has not begun: the key does nothing
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.period.label == "2026-11"
        await pilot.press("w", "left_square_bracket")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.period.label == "week of 2026-11-16" and figures(app)[0] == "1"  # Friday's call


async def test_a_typed_period_and_a_bad_one(month: Database) -> None:
    app = reports_app(month)
    notes: Notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot, "sup01", "f")
        await type_ahead(pilot, "2026-11-20..2026-11-22⏎")
        assert screen.period is not None and screen.period.label == "2026-11-20..2026-11-22"
        assert figures(app)[0] == "1"
        await pilot.press("f")
        await type_ahead(pilot, "soon⏎")
        assert "Expected a period like" in notes.text()
        assert screen.period.label == "2026-11-20..2026-11-22" and not screen.reading


async def test_the_summary_shows_churn_coverage_money_and_the_stage_flow(month: Database) -> None:
    app = reports_app(month)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot, "sup01")
        assert screen.has_class("-summary")
        base = str(screen.query_one(BaseFigures).visual)
        assert "16.7 %" in base and "1 customer\n" in base and "0.00" in base
        flow = screen.query_one(FlowTable)
        assert str(flow.get_cell("retention", "churned")) == "1"
        assert str(flow.get_row("retention")[0]) == "Retention"  # the playbook's label
        await pilot.press("2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.has_class("-summary")


async def test_charts_show_one_point_per_day_up_to_today(month: Database) -> None:
    app = reports_app(month)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_reports(pilot, "sup01", "c")
        calls = app.screen.query_one("#trend-calls", TrendChart).trend
        assert len(calls.days) == 23 and calls.values[19] == 1 and calls.values[22] == 5
        nps = app.screen.query_one("#trend-nps", TrendChart).trend
        assert nps.points == [(20, 100.0), (23, 0.0)]  # days without answers are gaps, not zeros
        churn = app.screen.query_one("#trend-churn", TrendChart).trend
        assert churn.values[22] == 16.7 and churn.values[19] == 0.0
        await pilot.press("c")
        assert app.screen.query_one(FiguresTable).has_focus


async def test_an_operator_reads_only_their_own_day_week_and_month(month: Database) -> None:
    app = reports_app(month)
    notes = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot, "op01")
        assert screen.period is not None and screen.period.label == "2026-11-23"
        assert figures(app)[:4] == ("3", "66.7 %", "2", "100.0 %")  # op01's Monday, not the center's
        await pilot.press("f", "2", "4")  # not offered to an operator: nothing happens
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.period.label == "2026-11-23" and screen.by == "summary" and app.screen is screen
        await pilot.press("w")  # this week: Monday's calls alone, the Friday before is last week's
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.period.days == 7 and figures(app)[:4] == ("3", "66.7 %", "2", "100.0 %")
        await pilot.press("m")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert figures(app)[:4] == ("4", "75.0 %", "3", "100.0 %")
        await pilot.press("g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.by == "days" and row_labels(app) == ["2026-11-20 Fri", "2026-11-23 Mon", "Total"]
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.query_one("#trend-churn").display
        assert screen.query_one("#trend-calls", TrendChart).trend.values[22] == 3
    assert notes == []


async def test_help_lists_the_keys_and_escape_goes_back(month: Database) -> None:
    app = reports_app(month)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot, "sup01")
        under = app.screen_stack[-2]
        await pilot.press("f1")
        await pilot.pause()
        shown = app.screen
        assert isinstance(shown, HelpScreen)
        ids = {row.binding_id for row in shown._rows}
        assert {"reports.back", "reports.day", "reports.range", "reports.by-operators", "reports.charts"} <= ids
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is under


async def test_the_command_palette_offers_the_groupings(month: Database) -> None:
    app = reports_app(month)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot, "sup01")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"by: outcom")
        await pilot.pause(0.3)  # the palette searches in the background
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.by == "outcomes"
        assert row_labels(app) == ["Survey completed", "No answer", "Left for a competitor", "Total"]


async def test_an_operator_opens_their_figures_from_the_console_with_f(month: Database) -> None:
    from tests.tui.console import console_app, signed_in

    app = console_app(month)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = await signed_in(pilot)
        await keys("f")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReportsScreen) and app.screen.own
        assert figures(app)[:4] == ("3", "66.7 %", "2", "100.0 %")  # op01's Monday
        await keys("escape")
        assert not isinstance(app.screen, ReportsScreen)
