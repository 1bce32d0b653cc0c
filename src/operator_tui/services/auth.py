"""Log-in with user and PIN, and lockout after repeated failures (the accounts themselves: services.accounts).

Failures are counted per user and reset by a successful login; after ``MAX_FAILED_PINS`` in a row the account
is locked for ``LOCKOUT`` (15 minutes) and a supervisor or admin may unlock it earlier. Unknown users and wrong
PINs get the same message, with no count of the tries left, so that logins cannot be probed; only a lock-out,
after ``MAX_FAILED_PINS`` wrong PINs in a row, says so, and until when.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlmodel import select

from operator_tui.core.pins import (
    MAX_FAILED_PINS,
    hash_pin,
    lockout_after_failure,
    needs_rehash,
    verify_pin,
)
from operator_tui.core.roles import Role
from operator_tui.services.audit import audit
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import AccountLocked, AuthFailed
from operator_tui.store.coltypes import utcnow
from operator_tui.store.tables import Team, User

WRONG = "Wrong user or PIN."


def actor_of(user: User, team_name: str | None = None) -> Actor:
    assert user.id is not None
    return Actor(
        team_name=team_name,
        user_id=user.id,
        login=user.login,
        role=Role(user.role),
        team_id=user.team_id,
        full_name=user.full_name,
        language=user.language,
    )


def login(db: Database, user_login: str, pin: str, now: datetime | None = None) -> Actor:
    """Check ``pin`` for ``user_login``; return the actor, or raise AuthFailed / AccountLocked.

    The slow PIN hash runs between two short transactions, never inside one: at the start of a shift hundreds of
    operators sign in at once, and a hash inside the write transaction would hold every other writer (their saved
    calls) for the whole hash. The write re-reads the account, so a lock or PIN change made meanwhile wins."""
    now = now or utcnow()
    name = user_login.strip().lower()
    if not name or not pin:
        raise AuthFailed("Enter your user name and PIN.", missing=True)
    with db.read() as session:
        found = session.exec(select(User).where(User.login == name)).first()
    if found is None or not found.active:
        # Spend the same time as a real check, so timing does not tell which logins exist.
        verify_pin(pin, _dummy_hash())
        raise AuthFailed(WRONG)
    _refuse_if_locked(found, now)
    right = verify_pin(pin, found.pin_hash)
    renewed = hash_pin(pin) if right and needs_rehash(found.pin_hash) else None  # older parameters: store anew
    with db.write() as session:
        user = session.get(User, found.id)
        if user is None or not user.active:
            raise AuthFailed(WRONG)
        _refuse_if_locked(user, now)
        right = right and user.pin_hash == found.pin_hash  # a PIN changed meanwhile is checked again next time
        failed: AuthFailed
        if not right:
            user.failed_pins += 1
            locked = lockout_after_failure(user.failed_pins, now)
            if locked is not None:
                user.locked_until, user.failed_pins = locked, 0
                audit(session, actor_of(user), "user.locked", "user", user.id, after_failures=MAX_FAILED_PINS)
                failed = AccountLocked(_locked_message(locked), until=locked)
            else:
                # No count of the tries left: an unknown login has none, so a count would tell which logins exist.
                failed = AuthFailed(WRONG)
            session.add(user)
        else:
            user.failed_pins, user.locked_until, user.last_login_at = 0, None, now
            if renewed is not None:
                user.pin_hash = renewed
            session.add(user)
            team = session.get(Team, user.team_id) if user.team_id else None
            actor = actor_of(user, team.name if team else None)
            audit(session, actor, "user.login", "user", user.id)
            return actor
    # Outside the block, so the failure count is committed before we report the failure.
    raise failed


def _refuse_if_locked(user: User, now: datetime) -> None:
    if user.locked_until is not None and user.locked_until > now:
        raise AccountLocked(_locked_message(user.locked_until), until=user.locked_until)


def _locked_message(until: datetime) -> str:
    return (
        f"This account is locked until {until:%H:%M} UTC after {MAX_FAILED_PINS} wrong PINs; "
        "a supervisor or an admin can unlock it sooner."
    )


@cache
def _dummy_hash() -> str:
    return hash_pin("00000000")
