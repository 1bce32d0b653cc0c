from datetime import timedelta

import pytest
from sqlmodel import select

from operator_tui.core.pins import LOCKOUT, MAX_FAILED_PINS
from operator_tui.core.roles import Role
from operator_tui.services import accounts, auth
from operator_tui.services.errors import AccountLocked, AuthFailed, InvalidInput, NotAllowed
from operator_tui.store.coltypes import utcnow
from operator_tui.store.tables import AuditEntry, User


def test_login_returns_actor_with_role_and_team(db):
    actor = auth.login(db, "OP01 ", "1111")
    assert actor.role is Role.OPERATOR
    assert actor.login == "op01"
    assert actor.team_id is not None


def test_pins_are_stored_hashed_with_a_slow_kdf(db):
    with db.read() as s:
        user = s.exec(select(User).where(User.login == "op01")).one()
    assert "1111" not in user.pin_hash
    assert user.pin_hash.startswith("scrypt$4096$8$5$")


def test_unknown_user_and_wrong_pin_get_the_same_clear_message(db):
    with pytest.raises(AuthFailed, match="Wrong user or PIN") as unknown:
        auth.login(db, "nobody", "1111")
    with pytest.raises(AuthFailed, match="Wrong user or PIN") as wrong:
        auth.login(db, "op01", "9999")
    assert str(unknown.value) == str(wrong.value) == auth.WRONG  # no count of tries left: it would tell op01 exists


def test_ten_wrong_pins_lock_for_fifteen_minutes_even_for_the_right_pin(db):
    now = utcnow()
    for _ in range(MAX_FAILED_PINS - 1):
        with pytest.raises(AuthFailed):
            auth.login(db, "op01", "0000", now=now)
    with pytest.raises(AccountLocked, match="locked until"):
        auth.login(db, "op01", "0000", now=now)
    with pytest.raises(AccountLocked):
        auth.login(db, "op01", "1111", now=now + LOCKOUT - timedelta(seconds=1))
    # After the lockout the right PIN works again and the counter starts over.
    assert auth.login(db, "op01", "1111", now=now + LOCKOUT).login == "op01"
    with db.read() as s:
        assert s.exec(select(User).where(User.login == "op01")).one().failed_pins == 0
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "user.locked")).first() is not None


def test_supervisor_unlocks_and_operator_may_not(db, supervisor, operator):
    now = utcnow()
    for _ in range(MAX_FAILED_PINS):
        with pytest.raises(AuthFailed):
            auth.login(db, "op02", "0000", now=now)
    with pytest.raises(NotAllowed, match="supervisor role"):
        accounts.unlock_user(db, operator, "op02")
    accounts.unlock_user(db, supervisor, "op02")
    assert auth.login(db, "op02", "1111").login == "op02"


def test_a_supervisor_service_called_as_operator_is_refused_and_changes_nothing(db, operator):
    with pytest.raises(NotAllowed):
        accounts.list_users(db, operator)
    with pytest.raises(NotAllowed):
        accounts.create_user(db, operator, login_name="x", full_name="X", role=Role.ADMIN, pin="1234")
    with db.read() as s:
        assert s.exec(select(User).where(User.login == "x")).first() is None


def test_bad_pins_and_duplicate_users_are_refused(db, admin):
    with pytest.raises(InvalidInput, match="4 to 12 digits"):
        accounts.create_user(db, admin, login_name="op99", full_name="X", role=Role.OPERATOR, pin="12a4")
    with pytest.raises(InvalidInput, match="already exists"):
        accounts.create_user(db, admin, login_name="op01", full_name="X", role=Role.OPERATOR, pin="1234")


def test_operator_sets_own_pin_but_not_anothers(db, operator):
    accounts.set_pin(db, operator, "op01", "4321")
    assert auth.login(db, "op01", "4321").login == "op01"
    with pytest.raises(NotAllowed):
        accounts.set_pin(db, operator, "op02", "4321")


def test_the_slow_pin_hash_holds_up_no_other_writer(db, monkeypatch):
    """Hundreds sign in at the start of a shift: while one PIN is hashed, other writes (saved calls) go on."""
    import threading

    from operator_tui.core import pins

    finished: list[bool] = []

    def other_writer() -> None:
        with db.write() as session:
            session.exec(select(User).where(User.login == "op02")).one()
        finished.append(True)

    real = pins.verify_pin

    def verify_while_another_writes(pin: str, stored: str) -> bool:
        writer = threading.Thread(target=other_writer)
        writer.start()
        writer.join(timeout=5)
        return real(pin, stored)

    monkeypatch.setattr(auth, "verify_pin", verify_while_another_writes)
    assert auth.login(db, "op01", "1111").login == "op01"
    assert finished == [True]


def test_a_pin_hashed_with_older_parameters_is_stored_anew_at_sign_in(db):
    from operator_tui.core.pins import hash_pin, needs_rehash, verify_pin

    old = hash_pin("1111", n=2**10)  # as an older release (or a cheaper test fixture) stored it
    with db.write() as s:
        user = s.exec(select(User).where(User.login == "op01")).one()
        user.pin_hash = old
        s.add(user)
    assert needs_rehash(old)
    assert auth.login(db, "op01", "1111").login == "op01"
    with db.read() as s:
        stored = s.exec(select(User).where(User.login == "op01")).one().pin_hash
    assert stored != old and not needs_rehash(stored) and verify_pin("1111", stored)
