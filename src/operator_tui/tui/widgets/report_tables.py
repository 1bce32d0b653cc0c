"""The tables of the reports screen: call figures per group with their total, the base figures of a summary
(churn, coverage, money), coverage per strategy and the stage-flow matrix.

Each widget renders what a worker read (a ``reports.Report``); none calls a service. Numbers are formatted by
:mod:`operator_tui.tui.figures` and right-aligned so that columns of figures can be compared at a glance.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual.content import Content
from textual.widgets import DataTable, Static

from operator_tui.services.reports import Report
from operator_tui.tui import figures
from operator_tui.tui.i18n import N_, _, ngettext, strftime

GROUP_HEADERS = {
    "summary": "",
    "operators": N_("Operator"),
    "teams": N_("Team"),
    "stages": N_("Stage"),
    "strategies": N_("Strategy"),
    "segments": N_("Segment"),
    "outcomes": N_("Outcome"),
    "days": N_("Day"),
}
TOTAL = "total"
NEW = "-"  # the flow's "from" of customers who had no stage before (new in the base)


def _number(text: str, *, bold: bool = False) -> Text:
    return Text(text, justify="right", style="bold" if bold else "")


def _day_label(label: str) -> str:
    try:
        return strftime(date.fromisoformat(label), "%Y-%m-%d %a")
    except ValueError:
        return label


COMPACT_LEAVES_OUT = ("promoters", "passives")


class FiguresTable(DataTable[Any]):
    """Calls, reach, conversions, talk and wrap-up, NPS with its three groups and QA: a row per group, then the
    total (the only row of a summary)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, fixed_columns=1)

    def show(self, report: Report, *, compact: bool = False) -> None:
        """The report's rows; ``compact`` (under 100 columns) leaves out the promoters and passives, whose NPS is
        beside them, so that detractors and QA stay in sight without scrolling sideways."""
        self.clear(columns=True)
        self.add_column(_(GROUP_HEADERS.get(report.by, "")), key="label")
        shown_keys = [key for key, _header in figures.FIGURE_COLUMNS if not (compact and key in COMPACT_LEAVES_OUT)]
        for key, header in figures.FIGURE_COLUMNS:
            if key in shown_keys:
                self.add_column(Text(_(header), justify="right"), key=key)

        def cells(row: Any, qa: float | None) -> list[str]:
            keys = (key for key, _header in figures.FIGURE_COLUMNS)
            return [cell for key, cell in zip(keys, figures.figure_cells(row, qa), strict=True) if key in shown_keys]

        if report.by != "summary":
            for label, row, qa in report.rows:
                shown = _day_label(label) if report.by == "days" else label
                self.add_row(shown, *(_number(c) for c in cells(row, qa)), key=label)
        name = _("All calls") if report.by == "summary" else _("Total")
        total = cells(report.total, report.total_qa)
        self.add_row(Text(name, style="bold"), *(_number(c, bold=True) for c in total), key=TOTAL)

    def row_texts(self, key: str) -> dict[str, str]:
        """Column key -> the text shown in row ``key`` (tests read the figures as the user sees them)."""
        row = self.get_row(key)
        return {str(column.key.value): str(cell) for column, cell in zip(self.ordered_columns, row, strict=True)}


def base_content(extras: dict[str, Any]) -> Content:
    """Churn, base coverage, new money and portfolio revenue of a summary."""
    churned = int(extras.get("churned", 0))
    customers = ngettext("{n} customer", "{n} customers", churned).format(n=figures.count(churned))
    lines = [
        (_("Churn"), figures.percent(extras.get("churn_pct")), customers),
        (_("Base coverage"), figures.percent(extras.get("coverage_pct")), _("reached within cadence")),
        (_("New money"), figures.money(extras.get("new_money")), _("from first purchases")),
        (_("Portfolio revenue"), figures.money(extras.get("portfolio_revenue")), _("all purchases")),
    ]
    return Content("\n").join(
        Content.from_markup("$name [b]$value[/b]  [dim]$note[/dim]", name=f"{name:<18}", value=f"{value:>15}", note=n)
        for name, value, n in lines
    )


class BaseFigures(Static):
    """The summary's base figures, from the report's extras."""

    def show(self, extras: dict[str, Any]) -> None:
        self.update(base_content(extras))


class CoverageTable(DataTable[Any]):
    """Customers each strategy reached within its cadence, of those it holds."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, fixed_columns=1)

    def show(self, coverage: dict[str, tuple[int, int]]) -> None:
        self.clear(columns=True)
        self.add_column(_("Strategy"), key="strategy")
        for key, header in (("reached", _("Reached")), ("held", _("Held")), ("pct", _("Coverage"))):
            self.add_column(Text(header, justify="right"), key=key)
        for label, (reached, held) in sorted(coverage.items()):
            pct = None if not held else round(100 * reached / held, 1)
            self.add_row(
                label,
                _number(figures.count(reached)),
                _number(figures.count(held)),
                _number(figures.percent(pct)),
                key=label,
            )


class FlowTable(DataTable[Any]):
    """Stage changes in the period: a row per stage customers left, a column per stage they entered."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="cell", zebra_stripes=True, fixed_columns=1)

    def show(self, flow: dict[tuple[str, str], int], stages: dict[str, str]) -> None:
        """``stages``: stage id -> label in the playbook's order (the matrix keeps it)."""
        order = [NEW, *stages]
        labels = {NEW: _("(new)"), **stages}
        froms = sorted({a for a, _ in flow}, key=lambda s: (order.index(s) if s in order else len(order), s))
        tos = sorted({b for _, b in flow}, key=lambda s: (order.index(s) if s in order else len(order), s))
        self.clear(columns=True)
        self.add_column(_("from \\ to"), key="from")
        for stage in tos:
            self.add_column(Text(labels.get(stage, stage), justify="right"), key=stage)
        for a in froms:
            cells = [
                _number(figures.count(n)) if (n := flow.get((a, b), 0)) else Text("·", justify="right", style="dim")
                for b in tos
            ]
            self.add_row(labels.get(a, a), *cells, key=a)
