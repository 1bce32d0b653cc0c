"""The ``operator-tui`` command: with no command it opens the TUI; everything else is a subcommand."""

from __future__ import annotations

from typing import Annotated

import typer

from operator_tui import __version__
from operator_tui.cli import customer_commands, data_commands, database_commands, serve_command
from operator_tui.cli.bench_commands import bench_app
from operator_tui.cli.common import console, refusals
from operator_tui.cli.launch import LangOption, open_tui
from operator_tui.cli.options import DbOption, UrlOption
from operator_tui.cli.playbook_commands import playbook_app
from operator_tui.cli.privacy_commands import audit, erase_customer
from operator_tui.cli.queue_commands import queue_app, rescore
from operator_tui.cli.report_commands import report
from operator_tui.cli.user_commands import users_app

app = typer.Typer(
    name="operator-tui",
    help="Terminal software for contact centers. With no command: open the app (on a copy of sample.db).",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("init")(database_commands.init)
app.add_typer(database_commands.db_app, name="db")
app.add_typer(playbook_app, name="playbook")
app.add_typer(data_commands.import_app, name="import")
app.command("export")(data_commands.export)
app.command("demo-data")(data_commands.demo)
app.add_typer(users_app, name="users")
app.add_typer(queue_app, name="queue")
app.command("rescore")(rescore)
app.command("report")(report)
app.command("set-phone")(customer_commands.set_phone)
app.command("erase-customer")(erase_customer)
app.command("audit")(audit)
app.add_typer(bench_app, name="bench")
app.command("serve")(serve_command.serve)


@app.callback(invoke_without_command=True)
@refusals
def main_callback(
    ctx: typer.Context,
    db: DbOption = None,
    url: UrlOption = None,
    lang: LangOption = None,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        console.print(f"operator-tui {__version__}")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        open_tui(db, url, lang)
