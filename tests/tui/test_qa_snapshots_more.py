"""Disputes, an operator's own reviews and test calls at a roomy and at a small terminal (``--snapshot-update``).

A second file so that the snapshots run on two workers at once.
"""

from __future__ import annotations

import pytest

from operator_tui.services.database import Database
from tests.tui.console import add, console_app
from tests.tui.qa_snapshots import as_user, reviewed, typed
from tests.tui.snapshots import SIZES, SnapCompare


@pytest.mark.parametrize("size", SIZES)
def test_disputes_list(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    assert snap_compare(reviewed(db), terminal_size=size, run_before=as_user("sup01", ("d",)))


@pytest.mark.parametrize("size", SIZES)
def test_resolve_dialog(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    run_before = as_user(
        "sup01",
        ("d",),
        ("enter",),
        ("right", "enter", "tab", *typed("You did ask"), "tab", "down", "down", "down", "2"),
    )
    assert snap_compare(reviewed(db), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_operators_my_reviews(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    assert snap_compare(reviewed(db), terminal_size=size, run_before=as_user("op01", ("m",)))


@pytest.mark.parametrize("size", SIZES)
def test_test_call(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    run_before = as_user("sup01", ("t",), ("enter", "down", "enter"), ("tab", "tab", "1", "1", "0", "n", "2"))
    assert snap_compare(console_app(db), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_phones_dialog(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    add(db, "Anna", "Smirnova", "+74950000001", alt_phone="+79161234567", wrong_phones="+74950000001")
    run_before = as_user("sup01", ("slash", *typed("Smirn")), ("enter",), ("enter",))
    assert snap_compare(console_app(db), terminal_size=size, run_before=run_before)
