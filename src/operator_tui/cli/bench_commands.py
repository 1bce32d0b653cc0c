"""``operator-tui bench queue``: figures, printed as one JSON object."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from operator_tui.cli.common import console, refusals
from operator_tui.cli.options import UrlOption
from operator_tui.services import bench

bench_app = typer.Typer(help="Benchmarks that print figures as JSON.", no_args_is_help=True)


@bench_app.command("queue")
@refusals
def queue(
    customers: Annotated[int, typer.Option(help="Customers in the fresh database.", min=1)] = 100_000,
    operators: Annotated[int, typer.Option(help="Operator processes.", min=1)] = 4,
    seconds: Annotated[float, typer.Option(help="How long the operators work.", min=0.5)] = 10.0,
    url: UrlOption = None,
    folder: Annotated[Path | None, typer.Option(help="Where to build the database (default: a temp dir).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print only the JSON object.")] = False,
) -> None:
    """P operator processes claim and record through the services on a fresh base of N customers.

    The base is a new SQLite file, or with --url an empty database there (PostgreSQL: built with COPY); a URL whose
    database already has customers is used as it is. For a throwaway PostgreSQL server with durable settings, run
    `python -m tests.pg --durable &` from a checkout: it prints a URL.
    """
    figures = bench.run(customers, operators, seconds, url=url, folder=folder)
    if as_json:
        print(json.dumps(figures))
    else:
        console.print_json(json.dumps(figures))


@bench_app.command("report")
@refusals
def report(
    interactions: Annotated[int, typer.Option(help="Calls in the fresh database (over 90 days).", min=1)] = 100_000,
    operators: Annotated[int, typer.Option(help="Operators who made them.", min=1)] = 300,
    folder: Annotated[Path | None, typer.Option(help="Where to build the database (default: a temp dir).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print only the JSON object.")] = False,
) -> None:
    """Build N calls and time this month's reports once the daily roll-ups are current."""
    from operator_tui.services import bench_report

    figures = bench_report.run(interactions, operators=operators, folder=folder)
    if as_json:
        print(json.dumps(figures))
    else:
        console.print_json(json.dumps(figures))


@bench_app.command("ui")
@refusals
def ui(
    customers: Annotated[int, typer.Option(help="Customers in the fresh database.", min=1)] = 100_000,
    rounds: Annotated[int, typer.Option(help="How many times to press n (median reported).", min=1)] = 15,
    folder: Annotated[
        Path | None, typer.Option(help="Where to build the database (kept; reused if bench.db is there).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print only the JSON object.")] = False,
) -> None:
    """Run the app on a pseudo-terminal as an operator: startup, next customer, memory."""
    from operator_tui.services import bench_ui

    figures = bench_ui.run(customers, rounds=rounds, folder=folder)
    if as_json:
        print(json.dumps(figures))
    else:
        console.print_json(json.dumps(figures))
