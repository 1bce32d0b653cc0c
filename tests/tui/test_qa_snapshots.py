"""The supervisor's quality screens at a roomy and at a small terminal. Update with ``--snapshot-update``."""

from __future__ import annotations

import pytest

from operator_tui.services.database import Database
from tests.tui.qa_snapshots import as_user, calibrated, reviewed, typed
from tests.tui.snapshots import SIZES, SnapCompare


@pytest.mark.parametrize("size", SIZES)
def test_supervisor_home_with_the_queue(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    assert snap_compare(reviewed(db), terminal_size=size, run_before=as_user("sup01"))


@pytest.mark.parametrize("size", SIZES)
def test_review_mid_scoring(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    run_before = as_user("sup01", ("enter",), ("1", "1", "1", "2", "up", "c"), (*typed("Asked twice"), "enter"))
    assert snap_compare(reviewed(db), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_calibration_results(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    assert snap_compare(calibrated(db), terminal_size=size, run_before=as_user("sup01", ("k",), ("enter",)))
