"""``operator-tui init`` and ``operator-tui db ...``: create, upgrade and inspect the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from operator_tui.cli.common import console, fail, open_db, refusals
from operator_tui.cli.options import DbOption, UrlOption
from operator_tui.core.roles import Role
from operator_tui.services import accounts, backup, playbooks
from operator_tui.services.context import SYSTEM
from operator_tui.services.database import database_url, schema_status, upgrade_schema

db_app = typer.Typer(help="Schema upgrades and status.", no_args_is_help=True)


@refusals
def init(
    db: DbOption = None,
    url: UrlOption = None,
    playbook: Annotated[Path | None, typer.Option(help="Playbook file or folder (default: the shipped one).")] = None,
    admin_pin: Annotated[
        str,
        typer.Option(help="PIN of the 'admin' user.", prompt=True, hide_input=True, confirmation_prompt=True),
    ] = "",
) -> None:
    """Create a new database: schema, playbook and the admin user."""
    database = open_db(db, url, create=True)
    if accounts.user_count(database):
        raise fail(f"{database.url} is already initialised")
    report = playbooks.load(database, SYSTEM, playbook) if playbook else playbooks.load_default(database, SYSTEM)
    accounts.create_user(
        database, SYSTEM, login_name="admin", full_name="Administrator", role=Role.ADMIN, pin=admin_pin
    )
    console.print(f"Created {database.url} with playbook [bold]{report.name}[/] and user [bold]admin[/].")


@db_app.command("upgrade")
@refusals
def upgrade(
    db: DbOption = None,
    url: UrlOption = None,
    no_backup: Annotated[bool, typer.Option("--no-backup", help="Do not copy the database first.")] = False,
) -> None:
    """Upgrade the schema to this version's newest revision, keeping every row (after an online backup)."""
    address = database_url(db, url)
    current, head = schema_status(address)
    if current is not None and current != head and not no_backup:
        console.print(f"Backed up to {backup.backup(address)}")
    before, after = upgrade_schema(address)
    console.print(f"Schema at {after}" + (f" (was {before or 'empty'})." if before != after else " (already current)."))


@db_app.command("status")
@refusals
def status(db: DbOption = None, url: UrlOption = None) -> None:
    """Show the database's schema revision and this version's newest."""
    current, head = schema_status(database_url(db, url))
    state = "current" if current == head else "needs `operator-tui db upgrade`"
    console.print(f"database revision: {current or 'none'}; newest: {head} ({state})")


@db_app.command("backup")
@refusals
def make_backup(
    db: DbOption = None,
    url: UrlOption = None,
    to: Annotated[Path | None, typer.Option(help="Where to write the copy (default: beside the database).")] = None,
) -> None:
    """Copy the database while it is in use (SQLite backup API, or pg_dump for PostgreSQL)."""
    console.print(f"Backed up to {backup.backup(database_url(db, url), to)}")
