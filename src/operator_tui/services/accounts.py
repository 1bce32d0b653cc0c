"""User accounts: create, list, set a PIN, unlock, deactivate and reactivate, move between teams.

Admins manage accounts (a supervisor may list them and unlock one of their operators locked out mid-shift). An
account is never deleted: its calls, reviews and audit entries name it, so a user who leaves is deactivated and
can no longer sign in. The center always keeps one active admin: the last one cannot be deactivated, or nobody
could manage the accounts any more. Every change is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from operator_tui.core.pins import hash_pin, validate_pin
from operator_tui.core.roles import Role
from operator_tui.services.audit import audit
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import InvalidInput, NotFound
from operator_tui.services.queue import ACTIVE_CHECKS
from operator_tui.store.tables import Team, User

AUTO = "auto"  # the account has no language of its own: the screen's (the terminal's locale, or --lang)
LANGUAGES = (AUTO, "en", "ru")


@dataclass(frozen=True)
class UserRow:
    login: str
    name: str
    role: str
    team: str | None
    language: str
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None

    def locked(self, now: datetime) -> bool:
        """Whether wrong PINs keep the user out at ``now`` (a lock-out ends by itself: ``locked_until``)."""
        return self.locked_until is not None and self.locked_until > now


def create_user(
    db: Database,
    actor: Actor,
    *,
    login_name: str,
    full_name: str,
    role: Role,
    pin: str,
    team: str | None = None,
    language: str = AUTO,
) -> int:
    """Create a user (admins only); a team named here is created if new."""
    actor.require(Role.ADMIN, "Creating users")
    name = check_new_user(login_name=login_name, full_name=full_name, pin=pin, language=language)
    with db.write() as session:
        if session.exec(select(User).where(User.login == name)).first():
            raise InvalidInput.said("user {login} already exists", login=name)
        team_id = _team(session, team.strip()).id if team and team.strip() else None
        user = User(
            login=name,
            full_name=full_name.strip(),
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


def check_new_user(*, login_name: str, full_name: str, pin: str, language: str = AUTO) -> str:
    """What ``create_user`` refuses before it looks at the database (InvalidInput), for a form to say before its
    own second thoughts (an easy PIN, no team); returns the user name as stored."""
    name = login_name.strip().lower()
    if not name:
        raise InvalidInput.said("give the user name they sign in with")
    if not name.replace("_", "").replace("-", "").replace(".", "").isalnum() or len(name) > 40:
        raise InvalidInput.said(
            "user name {login}: use up to 40 letters, digits, '.', '-' or '_'", login=repr(login_name.strip())
        )
    if not full_name.strip():
        raise InvalidInput.said("give the user's full name")
    _check_language(language)
    try:
        validate_pin(pin)
    except ValueError as exc:
        raise InvalidInput.said("PIN for {login}: {reason}", login=name, reason=str(exc)) from None
    return name


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidInput.said(
            "language {language}: use one of {languages}", language=language, languages=", ".join(LANGUAGES)
        )


def _team(session: Session, name: str) -> Team:
    """The team of this name, whatever its case ("team 2" is Team 2), made if new."""
    # Compared here, not in SQL: SQLite's lower() knows only ASCII, and a center has a few dozen teams at most.
    team = next((t for t in session.exec(select(Team)) if t.name.casefold() == name.casefold()), None)
    if team is None:
        team = Team(name=name)
        session.add(team)
        session.flush()
    assert team.id is not None
    return team


def _user(session: Session, login_name: str) -> User:
    user = session.exec(select(User).where(User.login == login_name.strip().lower())).first()
    if user is None:
        raise NotFound.said("no user {login}", login=login_name.strip())
    return user


def unlock_user(db: Database, actor: Actor, login_name: str) -> bool:
    """Lift a lockout early (supervisors and admins), and the count of wrong PINs towards one; False (and nothing
    written) when there was neither."""
    actor.require(Role.SUPERVISOR, "Unlocking an account")
    with db.write() as session:
        user = _user(session, login_name)
        if user.locked_until is None and not user.failed_pins:
            return False
        user.locked_until, user.failed_pins = None, 0
        session.add(user)
        audit(session, actor, "user.unlock", "user", user.id)
        return True


def set_pin(db: Database, actor: Actor, login_name: str, pin: str) -> None:
    """Set a user's PIN: anyone for themselves, admins for anyone. A new PIN also lifts a lockout."""
    name = login_name.strip().lower()
    if name != actor.login:
        actor.require(Role.ADMIN, "Setting another user's PIN")
    try:
        validate_pin(pin)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    with db.write() as session:
        user = _user(session, name)
        user.pin_hash, user.failed_pins, user.locked_until = hash_pin(pin), 0, None
        session.add(user)
        audit(session, actor, "user.set_pin", "user", user.id)


def set_active(db: Database, actor: Actor, login_name: str, active: bool) -> bool:
    """Deactivate a user who left (they can no longer sign in; their history stays) or take them back (admins);
    False when they were so already (nothing written)."""
    actor.require(Role.ADMIN, "Deactivating users" if not active else "Reactivating users")
    with db.write() as session:
        user = _user(session, login_name)
        if user.active == active:
            return False
        if not active:
            _check_deactivate(session, actor, user)
        user.active = active
        session.add(user)
        audit(session, actor, "user.activate" if active else "user.deactivate", "user", user.id)
    db.cache.pop(ACTIVE_CHECKS, None)  # this process's consoles take no new customer from now on (services.queue)
    return True


def set_team(db: Database, actor: Actor, login_name: str, team: str | None) -> str | None:
    """Move a user to ``team`` (created if new), or out of every team with None (admins); returns the team's name
    as kept ("team a" joins Team A). A supervisor reviews and settles the disputes of their own team's operators
    (the live board shows the whole floor, each operator with their team)."""
    actor.require(Role.ADMIN, "Changing teams")
    name = team.strip() if team else None
    with db.write() as session:
        user = _user(session, login_name)
        joined = _team(session, name) if name else None
        team_id, kept = (joined.id, joined.name) if joined is not None else (None, None)
        if user.team_id == team_id:
            return kept
        user.team_id = team_id
        session.add(user)
        audit(session, actor, "user.team", "user", user.id, team=kept)
        return kept


def set_language(db: Database, actor: Actor, login_name: str, language: str) -> None:
    """The language of a user's screens once they sign in (``auto``: the terminal's); anyone for themselves,
    admins for anyone."""
    if login_name.strip().lower() != actor.login:
        actor.require(Role.ADMIN, "Setting another user's language")
    _check_language(language)
    with db.write() as session:
        user = _user(session, login_name)
        if user.language == language:
            return
        user.language = language
        session.add(user)
        audit(session, actor, "user.language", "user", user.id, language=language)


def check_deactivate(db: Database, actor: Actor, login_name: str) -> None:
    """What deactivating would refuse, without doing it: the screen asks before its "press again" question."""
    actor.require(Role.ADMIN, "Deactivating users")
    with db.read() as session:
        _check_deactivate(session, actor, _user(session, login_name))


def _check_deactivate(session: Session, actor: Actor, user: User) -> None:
    if user.login == actor.login:
        raise InvalidInput.said("you cannot deactivate your own account; ask another admin")
    if user.role != Role.ADMIN.value or not user.active:
        return
    others = session.exec(
        select(User.id).where(User.role == Role.ADMIN.value, User.active == True, User.id != user.id)  # noqa: E712
    ).first()
    if others is None:
        raise InvalidInput.said("{login} is the only active admin: make another admin first", login=user.login)


def user_count(db: Database) -> int:
    """How many users exist (no role needed: it only tells whether a database is initialised)."""
    with db.read() as session:
        return len(session.exec(select(User.id)).all())


def list_users(db: Database, actor: Actor) -> list[UserRow]:
    """Every user with role, team and state, admins first, then supervisors and operators (supervisors and
    admins may list them)."""
    actor.require(Role.SUPERVISOR, "Listing users")
    order = {Role.ADMIN.value: 0, Role.SUPERVISOR.value: 1, Role.OPERATOR.value: 2}
    with db.read() as session:
        teams = {t.id: t.name for t in session.exec(select(Team))}
        users = sorted(session.exec(select(User)), key=lambda u: (order.get(u.role, 3), u.login))
        return [
            UserRow(
                login=u.login,
                name=u.full_name,
                role=u.role,
                team=teams.get(u.team_id),
                language=u.language,
                active=u.active,
                locked_until=u.locked_until,
                last_login_at=u.last_login_at,
            )
            for u in users
        ]
