"""``operator-tui playbook check|load|show``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from operator_tui.cli.common import console, open_db, refusals
from operator_tui.cli.options import DbOption, UrlOption
from operator_tui.core.text import localize
from operator_tui.services import playbooks
from operator_tui.services.context import SYSTEM

playbook_app = typer.Typer(help="Check, load and show playbooks.", no_args_is_help=True)
FileArg = Annotated[Path, typer.Argument(help="Playbook YAML file, or a folder of YAML files.")]


@playbook_app.command("check")
@refusals
def check(file: FileArg) -> None:
    """Validate a playbook; list every error with its path and exit 1 if there is any."""
    pb = playbooks.check_file(file)
    console.print(
        f"[green]ok[/] {pb.name}: {len(pb.stages)} stages, {len(pb.outcomes)} outcomes, {len(pb.strategies)} "
        f"strategies, {len(pb.scripts)} scripts, {len(pb.checklists)} checklists"
    )


@playbook_app.command("load")
@refusals
def load(file: FileArg, db: DbOption = None, url: UrlOption = None) -> None:
    """Make a playbook the active one; changed scripts and checklists get new versions, old calls keep theirs."""
    report = playbooks.load(open_db(db, url), SYSTEM, file)
    if report.already:
        console.print(f"[bold]{report.name}[/] is in force already (playbook version {report.playbook_version_id}).")
        return
    console.print(f"Loaded [bold]{report.name}[/] (playbook version {report.playbook_version_id}).")
    for change in report.changes:
        if change.status != "unchanged":
            console.print(f"  {change}")


@playbook_app.command("show")
@refusals
def show(db: DbOption = None, url: UrlOption = None, lang: str = "en") -> None:
    """Summarise the active playbook: stages, strategies and their scripts."""
    pb = playbooks.active(open_db(db, url))
    console.print(f"[bold]{pb.name}[/]")
    console.print("stages: " + " -> ".join(f"{s.id}" + (" (terminal)" if s.terminal else "") for s in pb.stages))
    for strategy in pb.strategies:
        console.print(
            f"  {strategy.id}: stage {', '.join(strategy.stage)}, script {strategy.script}, window {strategy.window}"
            f" - {localize(strategy.goal, lang)}"
        )
