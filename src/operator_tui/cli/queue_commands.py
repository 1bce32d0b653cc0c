"""``operator-tui queue explain|status`` and ``operator-tui rescore``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from operator_tui.cli.common import console, fail, open_db, refusals
from operator_tui.cli.options import DbOption, UrlOption
from operator_tui.core.queue_rules import QUEUE_TIERS
from operator_tui.services import queue_explain
from operator_tui.services.context import SYSTEM

queue_app = typer.Typer(help="Why customers are or are not callable, and how deep the queue is.", no_args_is_help=True)
AtOption = Annotated[str | None, typer.Option("--at", help="Pretend it is this UTC time (YYYY-MM-DDTHH:MM).")]


def _at(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise fail(f"--at: expected a time like 2026-11-23T09:00, got {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@queue_app.command("explain")
@refusals
def explain(customer: int, db: DbOption = None, url: UrlOption = None, at: AtOption = None) -> None:
    """Why CUSTOMER (an id) is or is not callable now, and when they will be."""
    result = queue_explain.explain_customer(open_db(db, url), SYSTEM, customer, _at(at))
    verdict = "[green]callable now[/]" if result.callable_now else "[yellow]not callable now[/]"
    when = f"; callable from {result.next_at:%Y-%m-%d %H:%M} UTC" if result.next_at and not result.callable_now else ""
    console.print(f"#{customer}: {verdict}{when}")
    for line in result.lines:
        console.print(f"  {line}", soft_wrap=True)


@queue_app.command("status")
@refusals
def status(db: DbOption = None, url: UrlOption = None, at: AtOption = None) -> None:
    """Depth per tier and strategy, and when waiting customers become callable."""
    state = queue_explain.status(open_db(db, url), SYSTEM, _at(at))
    tiers = Table("tier", "callable now", title=f"Queue at {state.now:%Y-%m-%d %H:%M} UTC", title_justify="left")
    for tier in QUEUE_TIERS:  # in the order "next" looks
        tiers.add_row(tier.value, str(state.tiers.get(tier.value, 0)))
    console.print(tiers)
    columns = ["callable now", "window closed", "waiting (retry, cadence, cap)", "held for callback", "leased"]
    table = Table(caption="callable now: the due and fresh tiers (callbacks and tasks are counted above)")
    table.add_column("strategy", no_wrap=True)
    for column in columns:
        table.add_column(column, justify="right")
    for strategy, counts in state.by_strategy.items():
        table.add_row(strategy, *(str(counts.get(c, 0)) for c in columns))
    console.print(table)
    for change in state.next_changes:
        console.print(f"next: {change}")


@refusals
def rescore(db: DbOption = None, url: UrlOption = None) -> None:
    """Recompute value tiers (ABC), RFM, churn risk, upsell propensity and queue priorities for the whole base."""
    from operator_tui.services.rescore import rescore as run

    report = run(open_db(db, url), SYSTEM)
    tiers = ", ".join(f"{tier}: {count}" for tier, count in report.tiers.items())
    console.print(
        f"Rescored {report.customers} customers in {report.seconds:.1f} s; {report.changed} changed ({tiers})."
    )
