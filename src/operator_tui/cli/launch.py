"""The ``operator-tui`` entry point: open the TUI quickly, or hand over to the full command line.

Opening the app is what operators do many times a day, so it must not wait for every subcommand's imports
(demo data, importers, reports). A command line made only of ``--db``, ``--url`` and ``--lang`` opens the
TUI through a one-command Typer app; anything else (a subcommand, ``--help``, ``--version``) loads the full
``operator_tui.cli.app``.

Nor does the TUI wait for the database layer: this module imports no service, the app shows its sign-in form
first and opens the database in a thread while the user types (``OperatorTuiApp`` takes the opener below). A
database that cannot be opened ends the app with the reason on stderr and exit code 1, as any command would.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from operator_tui.cli.options import DbOption, UrlOption

if TYPE_CHECKING:
    from operator_tui.services.database import Database

TUI_OPTIONS = ("--db", "--url", "--lang")


def checked_language(lang: str | None) -> str | None:
    """``--lang`` as given, if the interface has texts in it (None: not given); else a usage error naming both."""
    from operator_tui.tui.i18n import UnknownLanguage, check_language

    if lang is None:
        return None
    try:
        return check_language(lang)
    except UnknownLanguage as exc:
        raise typer.BadParameter(str(exc)) from None


LangOption = Annotated[
    str | None,
    typer.Option(
        help="UI language for everybody: en or ru. Default: each account's own once signed in; the sign-in screen "
        "in the locale's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else en.",
        callback=checked_language,
        show_default=False,
    ),
]


def opens_tui(args: Sequence[str]) -> bool:
    """True when ``args`` hold only the options that pick a database and language for the TUI."""
    expects_value = False
    for arg in args:
        if expects_value:
            expects_value = False
        elif arg in TUI_OPTIONS:
            expects_value = True
        elif not arg.startswith(tuple(f"{option}=" for option in TUI_OPTIONS)):
            return False
    return not expects_value


def interface_language(lang: str | None) -> str:
    """``--lang`` when given, else the language of the locale (``ru_RU.UTF-8`` -> ``ru``), else English."""
    from operator_tui.tui.i18n import check_language, language_from_environment

    return language_from_environment() if lang is None else check_language(lang)


def database_opener(db: Path | None, url: str | None) -> Callable[[], Database]:
    """What the app calls in its loading thread: the database of ``--db`` / ``--url`` (or the sample's copy)."""

    def open_database() -> Database:
        from operator_tui.cli import run_command

        return run_command.database_for_tui(db, url)

    return open_database


def open_tui(db: Path | None, url: str | None, lang: str | None) -> None:
    from operator_tui.store.paths import DatabaseLocationError, check_database_file
    from operator_tui.tui.app import OperatorTuiApp

    if db is not None and url is None:  # a wrong path is said at once, not after the sign-in form flashed up
        try:
            check_database_file(db)
        except DatabaseLocationError as exc:
            _say_error(str(exc))
            raise typer.Exit(1) from None
    # Without --lang each account's own language takes over once signed in (the locale's is the sign-in screen's).
    app = OperatorTuiApp(database_opener(db, url), language=interface_language(lang), accounts_choose=lang is None)
    app.run()
    if app.launch_error is not None:
        _say_error(app.launch_error)
        raise typer.Exit(1)


def _say_error(message: str) -> None:
    Console(stderr=True, highlight=False).print(f"[bold red]error:[/] {message}", soft_wrap=True)


tui_only = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@tui_only.command()
def run_tui(db: DbOption = None, url: UrlOption = None, lang: LangOption = None) -> None:
    open_tui(db, url, lang)


def main() -> None:
    if opens_tui(sys.argv[1:]):
        tui_only(prog_name="operator-tui")
    else:
        from operator_tui.cli.app import app

        app(prog_name="operator-tui")
