"""The reports screen and the live board at a roomy and a small terminal, on a frozen clock (nothing ticks).
Update with ``--snapshot-update``."""

from __future__ import annotations

import pytest

from operator_tui.services.database import Database
from operator_tui.tui.screens.board import BoardScreen
from operator_tui.tui.screens.reports import ReportsScreen
from tests.tui.reports_data import a_floor, a_month_of_calls, on_top, reports_app
from tests.tui.snapshots import SIZES, SnapCompare


def reports(*keys: str) -> object:
    return on_top("sup01", lambda app: ReportsScreen(app.db, app.actor), *keys)  # type: ignore[arg-type]


@pytest.mark.parametrize("size", SIZES)
def test_summary_with_the_stage_flow(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    assert snap_compare(reports_app(a_month_of_calls(db)), terminal_size=size, run_before=reports())


@pytest.mark.parametrize("size", SIZES)
def test_operators_table(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    assert snap_compare(reports_app(a_month_of_calls(db)), terminal_size=size, run_before=reports("2"))


@pytest.mark.parametrize("size", SIZES)
def test_trend_charts(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    assert snap_compare(reports_app(a_month_of_calls(db)), terminal_size=size, run_before=reports("c"))


@pytest.mark.parametrize("size", SIZES)
def test_live_board(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    board = on_top("sup01", lambda app: BoardScreen(app.db, app.actor))  # type: ignore[arg-type]
    assert snap_compare(reports_app(a_floor(db)), terminal_size=size, run_before=board)
