"""``operator-tui serve``: the app in a web browser, through textual-serve.

The server is a small web page with a terminal (xterm.js) in it; every browser tab that opens it starts its own
``python -m operator_tui`` on the same database, so each tab signs in on its own. The server holds no session of
its own and checks no password: the app's sign-in is the only gate, which is why it must sit behind TLS.

The database URL goes to the app through ``OPERATOR_TUI_URL`` in its environment, never on its command line
(which every user of the host can read): a PostgreSQL URL may carry a password.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from operator_tui.cli.common import console, fail, refusals
from operator_tui.cli.launch import LangOption
from operator_tui.cli.options import DbOption, UrlOption
from operator_tui.services.database import DatabaseError, database_url, open_database

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def app_command(db: Path | None, lang: str | None) -> str:
    """The shell command textual-serve runs for each browser session: this app, on this Python (without ``--lang``,
    each session speaks the language of the server's locale)."""
    argv = [sys.executable, "-m", "operator_tui"]
    if lang is not None:
        argv += ["--lang", lang]
    if db is not None:
        argv += ["--db", str(db.resolve())]
    return shlex.join(argv)


def app_environment(db: Path | None, url: str | None) -> None:
    """Point the sessions at the database: an explicit ``--db`` or ``--url`` wins over the server's own
    environment, and only one of the two reaches the app."""
    if url is not None:
        os.environ["OPERATOR_TUI_URL"] = url
        os.environ.pop("OPERATOR_TUI_DB", None)
    elif db is not None:
        os.environ.pop("OPERATOR_TUI_URL", None)


@refusals
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on. Anything but loopback: put TLS in front.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: DbOption = None,
    url: UrlOption = None,
    lang: LangOption = None,
    public_url: Annotated[
        str | None,
        typer.Option(
            help="The address browsers use, when it differs from http://HOST:PORT "
            "(behind a reverse proxy: https://calls.example.com).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the app to web browsers (textual-serve): each browser tab runs the app on the same database.

    Every browser session is a login of its own (login and PIN, as in a terminal); the server adds no password.

    It speaks plain HTTP: off loopback, put it behind a reverse proxy with TLS and pass --public-url https://...
    """
    if db is not None and url is None and not db.is_file():
        raise fail(f"no database at {db}: make one with `operator-tui init --db {db}` (or `operator-tui demo-data`)")
    if db is not None or url is not None:
        try:  # refuse a wrong database now, not in every browser tab later
            open_database(database_url(db, url)).close()
        except DatabaseError as exc:
            raise fail(str(exc)) from None
    from textual_serve.server import Server

    app_environment(db, url)
    if host not in LOOPBACK and not (public_url or "").startswith("https://"):
        console.print(
            f"[bold yellow]warning:[/] listening on {host} without TLS: PINs cross the network in the clear. "
            "Put a reverse proxy with TLS in front and pass --public-url https://...",
            soft_wrap=True,
        )
    Server(app_command(db, lang), host=host, port=port, title="operator-tui", public_url=public_url).serve()
