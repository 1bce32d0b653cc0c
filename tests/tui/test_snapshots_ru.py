"""The main screens in Russian, at a roomy and at the smallest terminal: every text translated, nothing cut off
that matters. Update with ``--snapshot-update`` (for these tests only) and look at them."""

from __future__ import annotations

import pytest

from operator_tui.services.database import Database
from operator_tui.tui.app import OperatorTuiApp
from operator_tui.tui.clock import FrozenClock
from operator_tui.tui.settings import Settings
from tests.queue.helpers import MONDAY
from tests.tui.console import MOSCOW, add, nps_customers
from tests.tui.qa_snapshots import as_user, reviewed, typed
from tests.tui.snapshots import SIZES, SnapCompare, pressing


def russian(db: Database) -> OperatorTuiApp:
    return OperatorTuiApp(db, language="ru", clock=FrozenClock(MONDAY), zone=MOSCOW, settings=Settings())


@pytest.mark.parametrize("size", SIZES)
def test_login(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    assert snap_compare(russian(db), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_operator_home(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    nps_customers(db)
    assert snap_compare(russian(db), terminal_size=size, run_before=pressing())


@pytest.mark.parametrize("size", SIZES)
def test_call_at_a_question(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    nps_customers(db)
    assert snap_compare(russian(db), terminal_size=size, run_before=pressing("n", "enter", "1", wait=42))


@pytest.mark.parametrize("size", SIZES)
def test_supervisor_home(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    reviewed(db)
    assert snap_compare(russian(db), terminal_size=size, run_before=as_user("sup01"))


def test_phones_dialog(snap_compare: SnapCompare, db: Database) -> None:
    add(db, "Анна", "Смирнова", "+74950000001", alt_phone="+79161234567", wrong_phones="+74950000001")
    run_before = as_user("sup01", ("slash", *typed("Смирн")), ("enter",), ("enter",))
    assert snap_compare(russian(db), terminal_size=(80, 24), run_before=run_before)
