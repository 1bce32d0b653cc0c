"""The admin's home with real keys: add a user (PINs that differ are refused first), set a PIN, unlock, move to a
team, deactivate with a second press, load a playbook (a broken one changes nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from operator_tui.core.pins import MAX_FAILED_PINS
from operator_tui.playbooks import DEFAULT_PLAYBOOK
from operator_tui.services import accounts, auth, playbooks
from operator_tui.services.database import Database
from operator_tui.services.errors import AccountLocked, AuthFailed
from operator_tui.tui.screens.admin import AdminHome
from operator_tui.tui.screens.note import NotePrompt
from operator_tui.tui.screens.user_dialogs import NewUserDialog, PinDialog
from tests.conftest import actor
from tests.tui.console import SMALL, console_app, signed_in
from tests.tui.pilots import record_notifications, settle, text


def _rows(app) -> list[str]:
    table = app.screen.query_one("#users")
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def _state(db: Database, login: str) -> accounts.UserRow:
    return next(u for u in accounts.list_users(db, actor(db, "admin")) if u.login == login)


async def _to_row(keys, app, login: str) -> None:
    await keys(*["down"] * _rows(app).index(login))


async def test_an_admin_adds_a_user_who_then_signs_in(db: Database) -> None:
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "admin")
        assert isinstance(app.screen, AdminHome)
        assert _rows(app) == ["admin", "sup01", "op01", "op02"]
        assert "4 users · 0 locked · 0 deactivated" in text(pilot, "#admin-message")
        await keys("a")
        assert isinstance(app.screen, NewUserDialog)
        # Enter goes on from field to field, choices included: role supervisor, language kept (English).
        await keys(*"op21", "enter", *"Nina Petrova", "enter", "down", "enter", "enter")
        await keys(*"Team B", "enter", *"2468", "enter", *"2469", "enter")
        assert "The two PINs differ" in text(pilot, ".form-message")
        await keys(*["backspace"] * 4, *"2468", "enter")
        assert isinstance(app.screen, AdminHome)
        assert "Users: Added op21." in notes.text()
        assert _rows(app) == ["admin", "op21", "sup01", "op01", "op02"]  # by role, then login
        assert app.screen.query_one("#users").cursor_row == 1  # the new one is highlighted
    signed = auth.login(db, "op21", "2468")
    assert (signed.full_name, signed.role.value, signed.team_name) == ("Nina Petrova", "supervisor", "Team B")


async def test_a_refused_new_user_keeps_the_dialog_and_adds_nobody(db: Database) -> None:
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "admin")
        await keys("a", *"op01", "enter", *"Someone", "enter", "tab", "tab", *"Team A", "enter", *"1357", "enter")
        await keys(*"1357", "enter")
        assert isinstance(app.screen, NewUserDialog)
        assert "User op01 already exists" in text(pilot, ".form-message")
        await keys("escape")
        assert isinstance(app.screen, AdminHome)
        assert _rows(app) == ["admin", "sup01", "op01", "op02"]


async def test_an_easy_pin_and_an_operator_without_a_team_are_said_before_they_are_kept(db: Database) -> None:
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "admin")
        await keys("a", *"op22", "enter", *"Olga Lebedeva", "enter", "enter", "enter", "enter")  # an operator
        await keys(*"1234", "enter", *"1234", "enter")
        assert isinstance(app.screen, NewUserDialog)
        assert "1234 is easy to guess" in text(pilot, ".form-message")
        await keys("ctrl+s")
        assert "No team: only the QA group" in text(pilot, ".form-message")
        with pytest.raises(AuthFailed):  # nobody added yet
            auth.login(db, "op22", "1234")
        await keys("ctrl+s")
        assert isinstance(app.screen, AdminHome)
    assert auth.login(db, "op22", "1234").team_name is None


async def test_a_bad_user_name_is_said_before_the_second_thoughts(db: Database) -> None:
    """The refusal comes first: an easy PIN or a missing team is not asked about for a user who cannot be added."""
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "admin")
        await keys("a", *"op 21!", "enter", *"Olga Lebedeva", "enter", "enter", "enter", "enter")  # no team
        await keys(*"1234", "enter", *"1234", "enter")
        assert isinstance(app.screen, NewUserDialog)
        assert text(pilot, ".form-message").startswith("User name 'op 21!': use up to 40 letters")
        await keys("escape")
        assert _rows(app) == ["admin", "sup01", "op01", "op02"]


async def test_a_locked_operator_is_unlocked_and_given_a_new_pin(db: Database) -> None:
    for _ in range(MAX_FAILED_PINS):
        with pytest.raises(AuthFailed):
            auth.login(db, "op02", "9999")
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "admin")
        assert "1 locked" in text(pilot, "#admin-message")
        await _to_row(keys, app, "op01")
        await keys("u")
        assert "op01 is not locked out." in text(pilot, "#admin-message")
        await keys("down", "u")
        assert "0 locked" in text(pilot, "#admin-message")
        await keys("p")
        assert isinstance(app.screen, PinDialog)
        await keys(*"5555", "enter", *"5555", "enter")
        assert "5555 is easy to guess" in text(pilot, ".form-message")  # said once; saving again keeps it
        await keys("enter")
        assert isinstance(app.screen, AdminHome)
    assert auth.login(db, "op02", "5555").login == "op02"


async def test_team_and_deactivation_need_their_keys_and_a_second_press(db: Database) -> None:
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "admin")
        await _to_row(keys, app, "op02")
        await keys("t")
        assert isinstance(app.screen, NotePrompt)
        await keys(*["backspace"] * 6, *"Night shift", "enter")
        assert "op02 is now in team Night shift." in notes.text()
        await keys("g", "g")  # the terminal's -> English -> Russian
        assert "op02 reads the screens in: Русский." in notes.text() and _state(db, "op02").language == "ru"
        await keys("g")
        assert _state(db, "op02").language == "auto"
        await keys("d")
        assert "Deactivate Operator 2 (op02)?" in text(pilot, "#admin-message")
        await keys("up", "down", "d")  # moved away and back: asked again, not done
        assert _state(db, "op02").active
        await keys("d")
        assert "Deactivated op02." in notes.text()
        assert not _state(db, "op02").active
        assert "1 deactivated" in text(pilot, "#admin-message")
        await keys("d")  # a deactivated one is taken back at once
        assert _state(db, "op02").active and _state(db, "op02").team == "Night shift"
        await keys("home", "d")  # refused at once: no question first
        assert text(pilot, "#admin-message") == "You cannot deactivate your own account; ask another admin"
        await keys("d")
        assert "Deactivate" not in text(pilot, "#admin-message")
        assert _state(db, "admin").active


async def test_a_broken_playbook_is_refused_with_its_problems_and_a_good_one_loads(
    db: Database, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: broken\nstages: nope\n", encoding="utf-8")
    edited = tmp_path / "edited.yaml"
    source = DEFAULT_PLAYBOOK.read_text(encoding="utf-8")
    assert "Thank you for being honest with us." in source
    edited.write_text(
        source.replace("Thank you for being honest with us.", "Thanks for your honesty."), encoding="utf-8"
    )
    before = playbooks.summary(db).version_id
    app = console_app(db)
    notes = record_notifications(app)

    async def load(path: Path) -> None:
        await keys("l")
        await keys.type(str(path))
        await keys("enter")

    async with app.run_test(size=(120, 40)) as pilot:
        keys = await signed_in(pilot, "admin")
        assert f"version {before}" in text(pilot, "#playbook")
        await keys("l", "enter")
        assert "Give the file or folder to load." in text(pilot, "#note-message")
        await keys("escape")
        await load(tmp_path / "nope.yaml")  # said in the dialog, which stays open to correct the path
        assert text(pilot, "#note-message") == f"No such file or folder: {tmp_path / 'nope.yaml'}"
        await keys("escape")
        await load(broken)  # its problems are said in the dialog too, which stays open to fix the file
        said = text(pilot, "#note-message")
        assert said.startswith(f"Not loaded: {broken} has") and "stages" in said
        assert playbooks.summary(db).version_id == before
        await keys("escape")
        await load(DEFAULT_PLAYBOOK)  # the text in force: no new version
        assert "is in force already (version 1): nothing changed." in notes.text()
        assert playbooks.summary(db).version_id == before
        await load(edited)
        assert "Playbook: Loaded Customer lifecycle (default)" in notes.text()
        assert "script win-back v1: replaced" in notes.text()
        after = playbooks.summary(db)
        assert after.version_id > before and after.loaded_by == "admin"
        assert f"version {after.version_id}" in text(pilot, "#playbook")


async def test_an_operator_deactivated_cannot_sign_in(db: Database) -> None:
    accounts.set_active(db, actor(db, "admin"), "op01", False)
    with pytest.raises(AuthFailed) as refused:
        auth.login(db, "op01", "1111")
    assert not isinstance(refused.value, AccountLocked)


def _customers(db: Database) -> int:
    from sqlalchemy import func
    from sqlmodel import select

    from operator_tui.store.tables import Customer

    with db.read() as s:
        return s.exec(select(func.count()).select_from(Customer)).one()


async def test_a_customer_file_is_checked_whole_then_imported_on_the_second_key(db: Database, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("phone,first_name\n+7 495 222-33-44,Иван\nnot a phone,Анна\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("phone,first_name,last_name\n+7 495 222-33-44,Иван,Петров\n+7 4012 12-34-56,Анна,Кузнецова\n")
    before = _customers(db)
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = await signed_in(pilot, "admin")
        await keys("i")
        await keys.type(str(bad))
        await keys("enter")
        said = text(pilot, "#admin-message")
        assert said.startswith("Not imported: bad.csv has 1 problem; nothing was written.")
        assert "line 3, column phone" in said
        assert _customers(db) == before
        await keys("i")
        await keys.type(str(good))
        await keys("enter")
        assert "good.csv: 2 customers in native layout, every row good. i again imports them." in text(
            pilot, "#admin-message"
        )
        assert _customers(db) == before  # checked, not imported yet
        await keys("i")
        assert "Import: Imported 2 customers from good.csv; the queue has them." in notes.text()
        assert _customers(db) == before + 2
        await keys("i")
        await keys.type(str(tmp_path / "none.csv"))
        await keys("enter")  # the dialog stays open to correct the path
        assert text(pilot, "#note-message") == f"No such file or folder: {tmp_path / 'none.csv'}"
        await keys("escape")
        orders = tmp_path / "orders.csv"
        orders.write_text("phone,at,amount\n+7 495 222-33-44,2026-11-20,1500\n+7 999 000-00-00,2026-11-21,10\n")
        await keys("b")
        await keys.type(str(orders))
        await keys("enter")
        assert "no customer with phone '+79990000000'" in text(pilot, "#admin-message")
        orders.write_text("phone,at,amount\n+7 495 222-33-44,2026-11-20,1500\n")
        await keys("b")
        await keys.type(str(orders))
        await keys("enter")
        assert "orders.csv: 1 purchases, each of a known customer. b again imports them." in text(
            pilot, "#admin-message"
        )
        await keys("b")
        assert "Import: Imported 1 purchases from orders.csv; values and risks are scored again." in notes.text()


def test_the_accounts_columns_fit_every_width_from_80_columns() -> None:
    """At 80 columns every column but the language is on screen, names cut first; from about 100 all are."""
    from operator_tui.tui.screens.admin import COLUMNS, NARROWEST, SPARED, user_widths

    assert user_widths(110) == {key: width for key, _header, width in COLUMNS}
    for room in range(74, 95):  # the table's room at 80 columns up to just under all at their widest
        widths = user_widths(room)
        assert SPARED not in widths and set(widths) == {key for key, _h, _w in COLUMNS} - {SPARED}, room
        assert sum(widths.values()) + 2 * len(widths) <= room, room
        assert all(widths[key] >= least for key, least in NARROWEST.items())


def test_the_accounts_columns_widen_for_longer_words_in_russian() -> None:
    from operator_tui.tui import i18n
    from operator_tui.tui.screens.admin import user_widths

    i18n.set_language("ru")
    try:
        wide = user_widths(114)
        assert wide["Last sign-in"] >= len("Последний вход") and wide["Role"] >= len("администратор")
        for room in range(74, 114):
            widths = user_widths(room)
            assert sum(widths.values()) + 2 * len(widths) <= room, room
    finally:
        i18n.set_language("en")


async def test_the_playbook_in_force_is_shown_read_only(db: Database) -> None:
    from operator_tui.tui.screens.playbook_view import PlaybookScreen

    app = console_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = await signed_in(pilot, "admin")
        assert "v shows its text" in text(pilot, "#playbook")
        await keys("v")
        await settle(pilot)
        assert isinstance(app.screen, PlaybookScreen)
        about = text(pilot, "#playbook-about")
        assert about.startswith("Customer lifecycle (default) · version 1, loaded") and " lines · " in about
        shown = app.screen.query_one("#playbook-text", Static)
        assert shown.content.code == DEFAULT_PLAYBOOK.read_text(encoding="utf-8")  # the YAML as loaded
        assert "name: Customer lifecycle (default)" in "".join(shown.render_line(y).text for y in range(12))
        await keys("pagedown", "end")
        assert app.screen.query_one("#playbook-scroll").scroll_y > 0
        await keys("escape")
        assert isinstance(app.screen, AdminHome)
