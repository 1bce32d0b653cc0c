"""Every operator screen at a roomy and a small terminal. Update with ``--snapshot-update``."""

from __future__ import annotations

from datetime import timedelta

import pytest

from operator_tui.services.database import Database
from tests.tui.snapshots import SIZES, SnapCompare, app_with_customers, pressing


@pytest.mark.parametrize("size", SIZES)
def test_idle_with_the_queue(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    assert snap_compare(app_with_customers(db), terminal_size=size, run_before=pressing())


@pytest.mark.parametrize("size", SIZES)
def test_card_and_script_at_a_question(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    run_before = pressing("n", "enter", "1", wait=42)
    assert snap_compare(app_with_customers(db), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_outcome_picker(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    assert snap_compare(app_with_customers(db), terminal_size=size, run_before=pressing("n", "enter", "9", "2", "y"))


@pytest.mark.parametrize("size", SIZES)
def test_callback_dialog(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    assert snap_compare(app_with_customers(db), terminal_size=size, run_before=pressing("n", "o", "b", "3"))


@pytest.mark.parametrize("size", SIZES)
def test_pause_dialog(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    assert snap_compare(app_with_customers(db), terminal_size=size, run_before=pressing("p"))


@pytest.mark.parametrize("size", SIZES)
def test_wrap_up(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    run_before = pressing("n", "enter", "9", "2", "y", "v", wait=17)
    assert snap_compare(app_with_customers(db), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_empty_queue(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    late = timedelta(hours=13)  # 23:00 in Moscow: every window is closed
    assert snap_compare(app_with_customers(db, late), terminal_size=size, run_before=pressing("n"))


@pytest.mark.parametrize("size", SIZES)
def test_search(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    run_before = pressing("slash", typed="Smir", then=("enter",))
    assert snap_compare(app_with_customers(db), terminal_size=size, run_before=run_before)
