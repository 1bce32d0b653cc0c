"""Schema versions: create a new database at the newest revision, upgrade an old one, or say what to run.

Every schema change goes through an Alembic revision that keeps every row; nothing here drops user data.

Opening a database that is already current is the common case (every app start), so it is answered without
importing Alembic or parsing its scripts: revisions are numbered ``0001``, ``0002``… and each script's file
name starts with its number (a test holds the scripts to that), so the newest file name is the head.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = "operator_tui.store:migrations"
VERSIONS = Path(__file__).parent / "migrations" / "versions"


class SchemaOutdated(RuntimeError):
    """The database was made by an older version; the message holds the exact command to upgrade it."""


class SchemaTooNew(RuntimeError):
    """The database was made by a newer version of operator-tui than this one."""


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def head_revision() -> str:
    """The newest revision's number, read from the script file names."""
    return max(path.name.split("_", 1)[0] for path in VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


def current_revision(engine: Engine) -> str | None:
    if not inspect(engine).has_table("alembic_version"):
        return None
    with engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()


def is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (creating every table in an empty database)."""
    from alembic import command

    config = alembic_config(engine)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def ensure_current(engine: Engine, *, upgrade_command: str, auto_upgrade: bool = False) -> None:
    """Check the database is at the head revision; upgrade it if allowed, else explain what to run."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise SchemaTooNew(
            f"this database is at schema revision {current}, which this version of operator-tui does not know; "
            "install the newer operator-tui that created it"
        )
    if current is None and not is_empty(engine):
        raise SchemaOutdated(
            "this database has tables but no schema revision: it was not made by operator-tui. "
            "Point --db at an operator-tui database, or create one with `operator-tui init`"
        )
    if auto_upgrade or current is None:
        upgrade(engine)
        return
    raise SchemaOutdated(
        f"this database is at schema revision {current}; this version of operator-tui needs {head}. "
        f"Back it up, then run: {upgrade_command}"
    )
