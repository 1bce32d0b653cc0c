"""``operator-tui import ...``, ``export ...`` and ``demo-data``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from operator_tui.cli.common import console, err, fail, open_db, refusals
from operator_tui.cli.options import DbOption, UrlOption
from operator_tui.services import demo_data, exports, imports
from operator_tui.services.context import SYSTEM
from operator_tui.services.database import compact, database_url, open_database

import_app = typer.Typer(help="Import customers and purchases (all rows or none).", no_args_is_help=True)

FileArg = Annotated[Path, typer.Argument(help="The file to import.")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Check every row, write nothing.")]
Region = Annotated[str, typer.Option(help="Region for numbers written without +country code.")]
Encoding = Annotated[str | None, typer.Option(help="File encoding, e.g. cp1251 (default: UTF-8).")]


def _report(report: imports.ImportReport) -> None:
    for problem in report.skipped:
        err.print(f"  skipped {problem}", soft_wrap=True)
    if not report.ok:
        err.print(f"[bold red]error:[/] {report.file}: {len(report.errors)} problem(s); nothing was imported:")
        for problem in report.errors:
            err.print(f"  {problem}", soft_wrap=True)
        raise typer.Exit(1)
    if report.dry_run:
        console.print(
            f"[green]ok[/] {report.file}: {report.rows - len(report.skipped)} row(s) in {report.layout} layout "
            "would be imported" + (f", {len(report.skipped)} skipped" if report.skipped else "") + " (dry run)."
        )
    else:
        console.print(
            f"Imported {report.imported} row(s) from {report.file} ({report.layout} layout)"
            + (f", skipped {len(report.skipped)} duplicate(s)." if report.skipped else ".")
        )
        if report.suppressed:
            console.print(
                f"{report.suppressed} of them on the do-not-call list: their number's earlier owner had their data "
                "erased (operator-tui erase-customer), which keeps the number from being called again."
            )


@import_app.command("customers")
@refusals
def import_customers(
    file: FileArg,
    db: DbOption = None,
    url: UrlOption = None,
    layout: Annotated[str, typer.Option(help="native (our CSV), vicidial (tab/pipe lead file), or auto.")] = "auto",
    region: Region = "RU",
    encoding: Encoding = None,
    dry_run: DryRun = False,
    skip_duplicates: Annotated[
        bool, typer.Option("--skip-duplicates", help="Report and skip rows whose phone is known.")
    ] = False,
) -> None:
    """Import customers from our CSV or VICIdial's standard lead layout; one bad row and nothing is imported."""
    _report(
        imports.import_customers(
            open_db(db, url),
            SYSTEM,
            file,
            layout=layout,
            region=region,
            encoding=encoding,
            dry_run=dry_run,
            skip_duplicates=skip_duplicates,
        )
    )


@import_app.command("purchases")
@refusals
def import_purchases(
    file: FileArg,
    db: DbOption = None,
    url: UrlOption = None,
    region: Region = "RU",
    encoding: Encoding = None,
    dry_run: DryRun = False,
    skip_duplicates: Annotated[
        bool, typer.Option("--skip-duplicates", help="Report and skip orders (external_ref) imported before.")
    ] = False,
) -> None:
    """Import purchases: columns customer_ref (the customer's) or phone, at, amount, and currency, product,
    category, external_ref (the order's, so that no order is counted twice); one bad row and nothing is imported."""
    _report(
        imports.import_purchases(
            open_db(db, url),
            SYSTEM,
            file,
            region=region,
            encoding=encoding,
            dry_run=dry_run,
            skip_duplicates=skip_duplicates,
        )
    )


@refusals
def export(
    what: Annotated[str, typer.Argument(help="customers or interactions")],
    db: DbOption = None,
    url: UrlOption = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
) -> None:
    """Export customers or interactions as CSV or JSON."""
    database = open_db(db, url)
    if output is None:
        count = exports.export(database, SYSTEM, what, fmt, sys.stdout)
    else:
        with output.open("w", encoding="utf-8", newline="") as out:
            count = exports.export(database, SYSTEM, what, fmt, out)
        console.print(f"Wrote {count} {what} to {output}.")


@refusals
def demo(
    db: DbOption = None,
    url: UrlOption = None,
    customers: Annotated[int, typer.Option(help="How many customers.", min=1)] = 5000,
    seed: Annotated[int, typer.Option(help="Same seed, same data.")] = 42,
    today: Annotated[str | None, typer.Option(help="The day the history ends (YYYY-MM-DD; default today).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing SQLite file.")] = False,
) -> None:
    """Create a database full of deterministic demo data (users op01..op20, sup01..sup03, admin)."""
    if db is not None and db.exists():
        if not force:
            raise fail(f"{db} exists; pass --force to replace it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        raise fail(f"--today: expected a date like 2026-11-23, got {today!r}") from None
    database = open_database(database_url(db, url), create=True)
    summary = demo_data.build(database, customers=customers, seed=seed, today=day)
    compact(database)
    database.close()
    console.print(f"Demo data in {database.url}: {summary}.")
    console.print("Log in as op01..op20 (PIN 1111), sup01..sup03 (PIN 2222) or admin (PIN 0000).")
