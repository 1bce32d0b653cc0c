"""``operator-tui erase-customer`` and ``operator-tui audit``: personal data on request, and who did what."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from operator_tui.cli.common import console, fail, open_db, refusals
from operator_tui.cli.options import DbOption, UrlOption
from operator_tui.services import audit_log, privacy, reports
from operator_tui.services.context import SYSTEM


@refusals
def erase_customer(
    customer_id: Annotated[int, typer.Argument(help="The customer's number (#id on the card).")],
    yes: Annotated[bool, typer.Option("--yes", help="Erase without asking.")] = False,
    db: DbOption = None,
    url: UrlOption = None,
) -> None:
    """Erase a customer's personal data; calls, answers by number and choice, and purchases stay, anonymous."""
    database = open_db(db, url)
    if not yes:
        typer.confirm(f"Erase the personal data of customer #{customer_id}? This cannot be undone", abort=True)
    done = privacy.erase_customer(database, SYSTEM, customer_id)
    console.print(
        f"Erased customer #{done.customer_id}: {done.calls} call(s) kept without notes, "
        f"{done.answers_cleared} free-text answer(s) cleared, {done.drafts_removed} draft answer(s) removed, "
        f"{done.callbacks_cancelled} callback(s) and {done.tasks_cancelled} task(s) cancelled; "
        "the phone stays on the do-not-call list as a hash."
    )
    if done.recordings:
        console.print("Delete these recordings where they are stored (the calls no longer point to them):")
        for ref in done.recordings:
            console.print(f"  {ref}", soft_wrap=True, markup=False)


@refusals
def audit(
    period: Annotated[str, typer.Option(help="day, week, month, 2026-11, 2026-11-23 or FROM..TO")] = "month",
    user: Annotated[str | None, typer.Option(help="Only this login (system: the command line).")] = None,
    action: Annotated[
        str | None, typer.Option(help="Only this action or family, e.g. user, qa, customer.erase")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many entries, newest first.")] = 1000,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
    db: DbOption = None,
    url: UrlOption = None,
) -> None:
    """The audit log: who changed what and when (users, PINs, playbooks, imports, exports, QA, skips, erasures)."""
    if fmt not in ("table", "csv", "json"):
        raise fail(f"unknown format {fmt!r}: use table, csv or json")
    database = open_db(db, url)
    span = reports.parse_period(period, reports.today_in_center(database))
    since, until = reports.instants(database, span)
    rows = audit_log.entries(database, SYSTEM, since=since, until=until, login=user, action=action, limit=limit)
    if fmt == "json":
        print(json.dumps([row.as_dict() for row in rows], ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["at", "login", "action", "entity", "entity_id", "detail"])
        for row in rows:
            writer.writerow(
                [row.at.isoformat(), row.login, row.action, row.entity, row.entity_id or "", _detail(row.detail)]
            )
    else:
        table = Table("at (UTC)", "who", "action", "on", "detail", title=f"audit - {span.label}", title_justify="left")
        for row in rows:
            on = f"{row.entity} {row.subject or row.entity_id}" if row.entity_id else row.entity
            table.add_row(f"{row.at:%Y-%m-%d %H:%M:%S}", row.login, row.action, on, _detail(row.detail))
        console.print(table)
        console.print(
            f"{len(rows)} entr{'y' if len(rows) == 1 else 'ies'}" + (" (the limit)" if len(rows) == limit else "")
        )


def _detail(detail: dict[str, object]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else ""
