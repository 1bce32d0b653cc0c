"""Accounts: what an admin does to users, each refusal changing nothing, each change in the audit log."""

from __future__ import annotations

import pytest
from sqlmodel import select

from operator_tui.core.roles import Role
from operator_tui.services import accounts, audit_log, auth
from operator_tui.services.errors import AuthFailed, InvalidInput, NotAllowed, NotFound
from operator_tui.store.tables import User


def _logins(db):
    with db.read() as s:
        return sorted(u.login for u in s.exec(select(User)))


@pytest.mark.parametrize(
    ("login", "name", "language", "message"),
    [
        ("", "Nina", "en", "give the user name they sign in with"),
        ("op 99", "Nina", "en", "use up to 40 letters, digits"),
        ("x" * 41, "Nina", "en", "use up to 40 letters, digits"),
        ("op99", "  ", "en", "give the user's full name"),
        ("op99", "Nina", "de", "language de: use one of auto, en, ru"),
    ],
)
def test_a_new_user_needs_a_clean_login_a_name_and_a_known_language(db, admin, login, name, language, message):
    before = _logins(db)
    with pytest.raises(InvalidInput, match=message):
        accounts.create_user(
            db, admin, login_name=login, full_name=name, role=Role.OPERATOR, pin="1234", language=language
        )
    assert _logins(db) == before


def test_a_deactivated_user_cannot_sign_in_and_is_taken_back_later(db, admin):
    assert accounts.set_active(db, admin, "op02", False)
    assert not accounts.set_active(db, admin, "op02", False)  # so already: said, and nothing written
    with pytest.raises(AuthFailed, match="Wrong user or PIN"):  # the same words as a wrong PIN: nothing to probe
        auth.login(db, "op02", "1111")
    [row] = [u for u in accounts.list_users(db, admin) if u.login == "op02"]
    assert not row.active
    accounts.set_active(db, admin, "op02", True)
    assert auth.login(db, "op02", "1111").login == "op02"
    logged = audit_log.entries(db, admin, action="user")
    actions = [e.action for e in logged]
    assert actions.count("user.deactivate") == 1 and "user.activate" in actions
    assert {e.subject for e in logged if e.action == "user.deactivate"} == {"op02"}  # named, not "user 3"
    assert not accounts.unlock_user(db, admin, "op02")  # never locked: nothing to lift
    assert "user.unlock" not in [e.action for e in audit_log.entries(db, admin, action="user")]


def test_the_last_active_admin_and_oneself_are_never_deactivated(db, admin):
    with pytest.raises(InvalidInput, match="you cannot deactivate your own account"):
        accounts.set_active(db, admin, "admin", False)
    accounts.create_user(db, admin, login_name="admin2", full_name="Second", role=Role.ADMIN, pin="4444")
    second = auth.login(db, "admin2", "4444")
    accounts.set_active(db, second, "admin", False)  # another admin remains: allowed
    with pytest.raises(InvalidInput, match="you cannot deactivate your own account"):
        accounts.set_active(db, second, "admin2", False)
    accounts.set_active(db, second, "admin", True)


def test_only_admins_manage_accounts_and_unknown_users_are_named(db, supervisor):
    with pytest.raises(NotAllowed):
        accounts.set_active(db, supervisor, "op01", False)
    with pytest.raises(NotAllowed):
        accounts.set_team(db, supervisor, "op01", "Team B")
    with pytest.raises(NotFound, match="no user op77"):
        accounts.unlock_user(db, supervisor, "op77")
    assert all(u.active for u in accounts.list_users(db, supervisor))


def test_moving_a_user_to_a_new_team_creates_it_and_none_takes_them_out(db, admin):
    accounts.set_team(db, admin, "op02", "Team B")
    teams = {u.login: u.team for u in accounts.list_users(db, admin)}
    assert (teams["op01"], teams["op02"]) == ("Team A", "Team B")
    assert auth.login(db, "op02", "1111").team_name == "Team B"
    accounts.set_team(db, admin, "op02", None)
    assert {u.login: u.team for u in accounts.list_users(db, admin)}["op02"] is None


def test_users_are_listed_admins_first_then_supervisors_then_operators(db, admin):
    rows = accounts.list_users(db, admin)
    assert [(u.role, u.login) for u in rows] == [
        ("admin", "admin"),
        ("supervisor", "sup01"),
        ("operator", "op01"),
        ("operator", "op02"),
    ]
    assert rows[0].last_login_at is not None and rows[-1].last_login_at is None  # admin signed in; op02 not


def test_a_deactivated_operator_takes_no_new_customer_but_the_call_they_hold_is_saved(db, admin, operator):
    from operator_tui.services import queue
    from operator_tui.services.errors import AccountDeactivated
    from tests.queue.helpers import MONDAY, add_customer, place_all, record

    for _ in range(2):
        add_customer(db)
    place_all(db)
    claim = queue.next_customer(db, operator, now=MONDAY)
    accounts.set_active(db, admin, "op01", False)
    assert record(db, operator, claim, "NOANSWER").interaction_id  # a call already made is never lost
    with pytest.raises(AccountDeactivated, match="your account was deactivated"):
        queue.next_customer(db, operator, now=MONDAY)
    with pytest.raises(AccountDeactivated):
        queue.take_customer(db, operator, claim.customer_id, now=MONDAY)
    accounts.set_active(db, admin, "op01", True)
    assert queue.next_customer(db, operator, now=MONDAY).customer_id != claim.customer_id


def test_a_team_named_in_another_case_is_the_same_team(db, admin):
    assert accounts.set_team(db, admin, "op02", "team a") == "Team A"  # the name as kept, for the reply
    accounts.set_team(db, admin, "op01", "НОЧНАЯ")
    accounts.set_team(db, admin, "op02", "ночная")
    teams = {u.login: u.team for u in accounts.list_users(db, admin)}
    assert (teams["op01"], teams["op02"], teams["sup01"]) == ("НОЧНАЯ", "НОЧНАЯ", "Team A")


def test_a_new_user_reads_the_terminals_language_until_one_is_set(db, admin, operator):
    accounts.create_user(db, admin, login_name="op30", full_name="Nina", role=Role.OPERATOR, pin="1234")
    assert {u.login: u.language for u in accounts.list_users(db, admin)}["op30"] == accounts.AUTO
    accounts.set_language(db, operator, "op01", "ru")  # one's own
    with pytest.raises(NotAllowed):
        accounts.set_language(db, operator, "op30", "ru")
    with pytest.raises(InvalidInput, match="language de: use one of auto, en, ru"):
        accounts.set_language(db, admin, "op30", "de")
    assert auth.login(db, "op01", "1111").language == "ru"
