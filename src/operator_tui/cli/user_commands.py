"""``operator-tui users list|add|unlock|set-pin``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from operator_tui.cli.common import console, err, open_db, refusals
from operator_tui.cli.options import DbOption, UrlOption
from operator_tui.core.pins import guessable
from operator_tui.core.roles import Role
from operator_tui.services import accounts
from operator_tui.services.context import SYSTEM

users_app = typer.Typer(help="Manage operators, supervisors and admins.", no_args_is_help=True)


@users_app.command("list")
@refusals
def list_users(db: DbOption = None, url: UrlOption = None) -> None:
    """Every user with role, team and lock state."""
    table = Table("login", "name", "role", "team", "active", "locked until")
    for user in accounts.list_users(open_db(db, url), SYSTEM):
        locked = user.locked_until
        table.add_row(
            user.login,
            user.name,
            user.role,
            user.team or "",
            "yes" if user.active else "no",
            f"{locked:%Y-%m-%d %H:%M}" if locked else "",
        )
    console.print(table)


@users_app.command("add")
@refusals
def add(
    login: str,
    name: Annotated[str, typer.Option(help="Full name.")],
    role: Annotated[Role, typer.Option(help="operator, supervisor or admin.")] = Role.OPERATOR,
    team: Annotated[str | None, typer.Option(help="Team name (created if new).")] = None,
    language: Annotated[
        str, typer.Option(help="Their screens' language: en, ru, or auto (the terminal's, or --lang).")
    ] = "auto",
    pin: Annotated[
        str,
        typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="4 to 8 digits (asked if left out)."),
    ] = "",
    db: DbOption = None,
    url: UrlOption = None,
) -> None:
    """Add a user."""
    accounts.create_user(
        open_db(db, url),
        SYSTEM,
        login_name=login,
        full_name=name,
        role=role,
        pin=pin,
        team=team,
        language=language,
    )
    console.print(f"Added {role.value} {login}.")
    if guessable(pin):
        err.print(f"[yellow]warning:[/] {login}'s PIN is easy to guess (a run or a repeat); set another with set-pin.")


@users_app.command("unlock")
@refusals
def unlock(login: str, db: DbOption = None, url: UrlOption = None) -> None:
    """Lift a lockout after too many wrong PINs."""
    unlocked = accounts.unlock_user(open_db(db, url), SYSTEM, login)
    console.print(f"Unlocked {login}." if unlocked else f"{login} is not locked out: nothing to do.")


@users_app.command("set-pin")
@refusals
def set_pin(
    login: str,
    pin: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
    db: DbOption = None,
    url: UrlOption = None,
) -> None:
    """Set a user's PIN."""
    accounts.set_pin(open_db(db, url), SYSTEM, login, pin)
    console.print(f"PIN of {login} changed.")


@users_app.command("deactivate")
@refusals
def deactivate(login: str, db: DbOption = None, url: UrlOption = None) -> None:
    """A user who left: they can no longer sign in; their calls, reviews and audit entries stay."""
    changed = accounts.set_active(open_db(db, url), SYSTEM, login, False)
    console.print(f"Deactivated {login}." if changed else f"{login} is deactivated already: nothing to do.")


@users_app.command("activate")
@refusals
def activate(login: str, db: DbOption = None, url: UrlOption = None) -> None:
    """Let a deactivated user sign in again."""
    changed = accounts.set_active(open_db(db, url), SYSTEM, login, True)
    console.print(f"Reactivated {login}." if changed else f"{login} is active already: nothing to do.")


@users_app.command("set-team")
@refusals
def set_team(
    login: str,
    team: Annotated[str | None, typer.Argument(help="Team name (created if new); leave out for no team.")] = None,
    db: DbOption = None,
    url: UrlOption = None,
) -> None:
    """Move a user to another team, or out of every team."""
    kept = accounts.set_team(open_db(db, url), SYSTEM, login, team)
    console.print(f"{login} is now in team {kept}." if kept else f"{login} is now in no team.")


@users_app.command("set-language")
@refusals
def set_language(
    login: str,
    language: Annotated[str, typer.Argument(help="en, ru, or auto (the terminal's, or --lang).")],
    db: DbOption = None,
    url: UrlOption = None,
) -> None:
    """The language of a user's screens once they sign in."""
    accounts.set_language(open_db(db, url), SYSTEM, login, language)
    console.print(f"{login} now reads the screens in {language}.")
