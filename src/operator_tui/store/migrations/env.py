"""Alembic environment: runs on the connection the caller passes in ``config.attributes["connection"]``.

Batch mode is on so column changes work on SQLite (which cannot ALTER most things in place).
"""

from alembic import context
from sqlmodel import SQLModel

import operator_tui.store.tables  # noqa: F401  - registers every table on SQLModel.metadata

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from operator_tui.store.engine import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.connect() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
