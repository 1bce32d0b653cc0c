"""Log-in with user and PIN, lockout after repeated failures, and user management.

Failures are counted per user and reset by a successful login; after ``MAX_FAILED_PINS`` in a row the account
is locked for ``LOCKOUT`` (15 minutes) and a supervisor or admin may unlock it earlier. Unknown users and wrong
PINs get the same message, with no count of the tries left, so that logins cannot be probed; only a lock-out,
after ``MAX_FAILED_PINS`` wrong PINs in a row, says so, and until when.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlmodel import Session, select

from operator_tui.core.pins import (
    MAX_FAILED_PINS,
    hash_pin,
    lockout_after_failure,
    needs_rehash,
    validate_pin,
    verify_pin,
)
from operator_tui.core.roles import Role
from operator_tui.services.audit import audit
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import AccountLocked, AuthFailed, InvalidInput, NotFound
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
        "a supervisor can unlock it sooner."
    )


@cache
def _dummy_hash() -> str:
    return hash_pin("00000000")


def create_user(
    db: Database,
    actor: Actor,
    *,
    login_name: str,
    full_name: str,
    role: Role,
    pin: str,
    team: str | None = None,
    language: str = "en",
) -> int:
    """Create a user (admins only); a team named here is created if new."""
    actor.require(Role.ADMIN, "Creating users")
    name = login_name.strip().lower()
    if not name or not name.replace("_", "").replace("-", "").replace(".", "").isalnum():
        raise InvalidInput(f"user name {login_name!r}: use letters, digits, '.', '-' or '_'")
    try:
        validate_pin(pin)
    except ValueError as exc:
        raise InvalidInput(f"PIN for {name}: {exc}") from None
    with db.write() as session:
        if session.exec(select(User).where(User.login == name)).first():
            raise InvalidInput(f"user {name!r} already exists")
        team_id = _team_id(session, team) if team else None
        user = User(
            login=name,
            full_name=full_name,
            role=role.value,
            pin_hash=hash_pin(pin),
            team_id=team_id,
            language=language,
        )
        session.add(user)
        session.flush()
        audit(session, actor, "user.create", "user", user.id, login=name, role=role.value)
        assert user.id is not None
        return user.id


def _team_id(session: Session, name: str) -> int:
    team = session.exec(select(Team).where(Team.name == name)).first()
    if team is None:
        team = Team(name=name)
        session.add(team)
        session.flush()
    assert team.id is not None
    return team.id


def unlock_user(db: Database, actor: Actor, login_name: str) -> None:
    """Lift a lockout early (supervisors and admins)."""
    actor.require(Role.SUPERVISOR, "Unlocking an account")
    with db.write() as session:
        user = session.exec(select(User).where(User.login == login_name.strip().lower())).first()
        if user is None:
            raise NotFound(f"no user {login_name!r}")
        user.locked_until, user.failed_pins = None, 0
        session.add(user)
        audit(session, actor, "user.unlock", "user", user.id)


def set_pin(db: Database, actor: Actor, login_name: str, pin: str) -> None:
    """Set a user's PIN: anyone for themselves, admins for anyone."""
    name = login_name.strip().lower()
    if name != actor.login:
        actor.require(Role.ADMIN, "Setting another user's PIN")
    try:
        validate_pin(pin)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    with db.write() as session:
        user = session.exec(select(User).where(User.login == name)).first()
        if user is None:
            raise NotFound(f"no user {login_name!r}")
        user.pin_hash, user.failed_pins, user.locked_until = hash_pin(pin), 0, None
        session.add(user)
        audit(session, actor, "user.set_pin", "user", user.id)


def user_count(db: Database) -> int:
    """How many users exist (no role needed: it only tells whether a database is initialised)."""
    with db.read() as session:
        return len(session.exec(select(User.id)).all())


def list_users(db: Database, actor: Actor) -> list[dict[str, object]]:
    """Every user with role, team and lock state (supervisors and admins)."""
    actor.require(Role.SUPERVISOR, "Listing users")
    with db.read() as session:
        teams = {t.id: t.name for t in session.exec(select(Team))}
        return [
            {
                "login": u.login,
                "name": u.full_name,
                "role": u.role,
                "team": teams.get(u.team_id),
                "active": u.active,
                "locked_until": u.locked_until,
            }
            for u in session.exec(select(User).order_by(User.role, User.login))
        ]
