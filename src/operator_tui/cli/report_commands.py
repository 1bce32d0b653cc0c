"""``operator-tui report summary|operators|teams|stages|strategies|segments|outcomes|days|flow``."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from operator_tui.cli.common import console, fail, open_db, refusals, wide
from operator_tui.cli.options import DbOption, UrlOption
from operator_tui.core.report_math import CallFigures
from operator_tui.services import reports
from operator_tui.services.context import SYSTEM

COLUMNS = (
    "calls",
    "reached",
    "reach %",
    "conversions",
    "conversion %",
    "avg talk s",
    "avg wrap s",
    "NPS",
    "promoters",
    "passives",
    "detractors",
    "QA",
)


def _figures(f: CallFigures, qa: float | None) -> list[Any]:
    return [
        f.calls,
        f.reached,
        f.reach_rate,
        f.success,
        f.conversion_rate,
        f.average_talk_s,
        f.average_wrap_s,
        f.nps,
        f.promoters,
        f.passives,
        f.detractors,
        qa,
    ]


@refusals
def report(
    what: Annotated[
        str, typer.Argument(help="summary, operators, teams, stages, strategies, segments, outcomes, days or flow")
    ] = "summary",
    period: Annotated[str, typer.Option(help="day, week, month, 2026-11, 2026-11-23 or FROM..TO")] = "month",
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
    db: DbOption = None,
    url: UrlOption = None,
) -> None:
    """Call, NPS, QA and lifecycle figures for a period (the center's days)."""
    if what not in (*reports.GROUPINGS, "flow"):
        raise fail(f"unknown report {what!r}: use {', '.join(reports.GROUPINGS)} or flow")
    database = open_db(db, url)
    span = reports.parse_period(period, reports.today_in_center(database))
    result = reports.report(database, SYSTEM, span, "summary" if what == "flow" else what)
    if fmt not in ("table", "csv", "json"):
        raise fail(f"unknown format {fmt!r}: use table, csv or json")
    if what == "flow":
        _flow(result, fmt)
        return
    # A summary is its total alone (its one group is all calls); a grouping's rows come before their total.
    rows = [] if what == "summary" else [[label, *_figures(f, qa)] for label, f, qa in result.rows]
    total = ["all calls" if what == "summary" else "total", *_figures(result.total, result.total_qa)]
    header = [what.rstrip("s") if what != "summary" else "group", *COLUMNS]
    if fmt == "json":
        print(
            json.dumps(
                {
                    "period": result.period.label,
                    "by": what,
                    "rows": [dict(zip(header, r, strict=True)) for r in rows],
                    "total": dict(zip(header, total, strict=True)),
                    **_extras_json(result.extras),
                },
                ensure_ascii=False,
                default=str,
            )
        )
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        writer.writerows([*rows, total])
    else:
        print_table(list(header), [*rows, total], f"{what} - {result.period.label}")
        if result.extras:
            x = result.extras
            console.print(
                f"churn: {x['churned']} customers ({x['churn_pct']} %); base coverage {x['coverage_pct']} %;"
                f" portfolio revenue {x['portfolio_revenue']:,.2f}; new money {x['new_money']:,.2f}"
            )


def print_table(header: list[str], rows: list[list[Any]], title: str) -> None:
    """A table whole: every figure keeps all its digits (a narrow terminal squeezes the label column and folds the
    headers instead), and piped output (a file, grep) gets the table's natural width, not the 80 columns Rich
    assumes when it sees no terminal."""
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    table = Table(title=title, title_justify="left")
    for n, name in enumerate(header):
        widest = max((len(row[n]) for row in cells), default=0)
        if n == 0:
            table.add_column(name, overflow="fold", min_width=min(widest, 8))
        else:
            table.add_column(name, overflow="fold", min_width=widest, justify="right")
    for row in cells:
        table.add_row(*row)
    (console if console.is_terminal else wide).print(table)


def _extras_json(extras: dict[str, Any]) -> dict[str, Any]:
    if not extras:
        return {}
    out = {k: v for k, v in extras.items() if k not in ("flow", "coverage", "stages")}
    out["flow"] = [{"from": a, "to": b, "customers": n} for (a, b), n in sorted(extras["flow"].items())]
    out["coverage"] = {k: {"reached": r, "held": t} for k, (r, t) in extras["coverage"].items()}
    return out


def _flow(result: reports.Report, fmt: str) -> None:
    flow = result.extras.get("flow", {})
    order = ["-", *result.extras.get("stages", [])]  # "-": customers entering their first stage
    order += sorted(({a for a, _ in flow} | {b for _, b in flow}) - set(order))  # stages gone from the playbook
    froms = [s for s in order if any(a == s for a, _ in flow)]
    tos = [s for s in order if any(b == s for _, b in flow)]
    if fmt == "json":
        print(
            json.dumps(
                {
                    "period": result.period.label,
                    "flow": [{"from": a, "to": b, "customers": n} for (a, b), n in sorted(flow.items())],
                }
            )
        )
        return
    rows = [[a, *[flow.get((a, b), 0) for b in tos]] for a in froms]
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["from \\ to", *tos])
        writer.writerows(rows)
        return
    print_table(["from \\ to", *tos], rows, f"stage flow - {result.period.label}")
