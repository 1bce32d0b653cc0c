"""What every command shares: the database options, and turning refusals into a message and an exit code.

Exit codes: 0 done, 1 refused (bad input, failed check; the message says why), 2 usage error (Typer's).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console

from operator_tui.core.playbook import PlaybookError
from operator_tui.services.database import Database, database_url, open_database
from operator_tui.services.errors import ServiceError

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)
wide = Console(highlight=False, width=10_000)  # for tables sent to a file or a pipe: their natural width

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    return typer.Exit(code)


def refusals(func: F) -> F:
    """Print a service's refusal as one clear message (every problem listed) instead of a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PlaybookError as exc:
            err.print(f"[bold red]error:[/] the playbook has {len(exc.problems)} error(s):")
            for problem in exc.problems:
                err.print(f"  {problem}", soft_wrap=True)
            raise typer.Exit(1) from None
        except ServiceError as exc:
            raise fail(str(exc)) from None

    return wrapper  # type: ignore[return-value]


def open_db(db: Path | None, url: str | None, *, create: bool = False) -> Database:
    return open_database(database_url(db, url), create=create)


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes")
