"""The database options every command takes, in a module of their own: the launcher that opens the TUI needs
them before anything heavy is imported (cli.common brings in the services)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="SQLite database file.", envvar="OPERATOR_TUI_DB", show_default=False),
]
UrlOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db.",
        envvar="OPERATOR_TUI_URL",
        show_default=False,
    ),
]
