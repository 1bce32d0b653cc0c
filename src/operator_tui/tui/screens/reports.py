"""Reports: call, NPS and QA figures for a day, a week, a month or a typed range, grouped by operator, team,
stage, strategy, segment, outcome or day; for a summary the base figures and the stage flow; trend charts.

A supervisor reads everything; an operator reads their own day or month, as a summary or by day (the service
refuses anything else, and this screen does not offer it). Every read runs in a thread worker of its own group,
so a newer choice cancels the older read and a slow report never blocks a key.
"""

from __future__ import annotations

from datetime import date, timedelta

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Static
from textual.worker import get_current_worker

from operator_tui.core.report_math import CallFigures
from operator_tui.core.roles import Role
from operator_tui.core.text import localize
from operator_tui.services import reports
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.reports import Period, Report
from operator_tui.services.runtime import runtime
from operator_tui.tui.clock import Clock, utcnow
from operator_tui.tui.i18n import N_, _, ngettext, strftime
from operator_tui.tui.messages import WorkerFailed
from operator_tui.tui.periods import DAY, MONTH, RANGE, WEEK, days_of, kind_of, shifted
from operator_tui.tui.report_commands import ReportsCommands
from operator_tui.tui.screens.prompt import TextPrompt
from operator_tui.tui.widgets.charts import Trend, TrendChart
from operator_tui.tui.widgets.key_bar import KeyBar
from operator_tui.tui.widgets.report_tables import BaseFigures, CoverageTable, FiguresTable, FlowTable
from operator_tui.tui.widgets.title_bar import TitleBar
from operator_tui.tui.workers import ReportsWorkerErrors

GROUPINGS = ("summary", "operators", "teams", "stages", "strategies", "segments", "outcomes", "days")
OWN_GROUPINGS = ("summary", "days")
OWN_PERIODS = (DAY, WEEK, MONTH)
NARROW = 100  # columns: below this the summary's panels stack and the groupings are not all listed
GROUP_NAMES = {
    "summary": N_("Summary"),
    "operators": N_("Operators"),
    "teams": N_("Teams"),
    "stages": N_("Stages"),
    "strategies": N_("Strategies"),
    "segments": N_("Segments"),
    "outcomes": N_("Outcomes"),
    "days": N_("By day"),
}
"""Grouping -> its name, in English: translate with ``_`` where it is shown."""


def period_label(period: Period) -> str:
    """The period as the reader says it, in the interface language: "November 2026", "week of 23 Nov 2026",
    "Mon 23 Nov 2026", "01 Nov 2026 – 15 Nov 2026" (the service's labels, ``2026-11`` and the like, are for the
    command line)."""
    kind = kind_of(period)
    if kind == MONTH:
        return strftime(period.start, "%B %Y")
    if kind == WEEK:
        return _("week of {monday}").format(monday=strftime(period.start, "%d %b %Y"))
    if kind == DAY:
        return strftime(period.start, "%a %d %b %Y")
    last = period.end - timedelta(days=1)
    return f"{strftime(period.start, '%d %b %Y')} – {strftime(last, '%d %b %Y')}"


class ReportLoaded(Message):
    """A report was read: ``stages`` are the playbook's stage labels in order (for the flow matrix)."""

    def __init__(self, today: date, report: Report, stages: dict[str, str]) -> None:
        super().__init__()
        self.today = today
        self.report = report
        self.stages = stages


class TrendsLoaded(Message):
    """The period's figures per day; ``churn`` per day too for a supervisor (None for an operator)."""

    def __init__(self, period: Period, by_day: dict[str, CallFigures], churn: list[float | None] | None) -> None:
        super().__init__()
        self.period = period
        self.by_day = by_day
        self.churn = churn


class ReportsScreen(ReportsWorkerErrors, Screen[None]):
    CSS_PATH = "reports.tcss"
    COMMANDS = {ReportsCommands}
    SUB_TITLE = N_("Reports")
    AUTO_FOCUS = "#figures"
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="reports.back"),
        Binding("d", "period('day')", N_("Today"), id="reports.day", show=False),
        Binding("w", "period('week')", N_("This week"), id="reports.week", show=False),
        Binding("m", "period('month')", N_("This month"), id="reports.month", show=False),
        Binding("f", "range", N_("Type a period (from..to)"), id="reports.range", show=False),
        Binding("left_square_bracket", "step(-1)", N_("Earlier"), id="reports.earlier"),
        Binding("right_square_bracket", "step(1)", N_("Later"), id="reports.later"),
        Binding("g", "next_grouping", N_("Group by"), id="reports.grouping"),
        Binding("c", "charts", N_("Charts"), id="reports.charts"),
        Binding("r", "reload", N_("Read again"), show=False, id="reports.reload"),
        *(
            Binding(str(n), f"group('{by}')", GROUP_NAMES[by], show=False, id=f"reports.by-{by}")
            for n, by in enumerate(GROUPINGS, 1)
        ),
    ]

    def __init__(self, db: Database, actor: Actor) -> None:
        super().__init__()
        self.sub_title = _(self.SUB_TITLE)
        self.db = db
        self.actor = actor
        self.own = actor.role is Role.OPERATOR
        self.asked: str | Period = DAY if self.own else MONTH  # what to read next: a word or a known period
        self.by = "summary"
        self.period: Period | None = None  # of the report on screen
        self.today: date | None = None
        self.reading = True
        self.charts = False
        self.trends_of: Period | None = None  # the period the charts show
        self.shown: Report | None = None  # the report in the table, shown again when the width crosses NARROW

    @property
    def clock(self) -> Clock:
        return getattr(self.app, "clock", utcnow)

    @property
    def groupings(self) -> tuple[str, ...]:
        return OWN_GROUPINGS if self.own else GROUPINGS

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="report-choices")
        with ContentSwitcher(initial="report-figures", id="report-views"):
            with Vertical(id="report-figures"):
                yield FiguresTable(id="figures")
                with VerticalScroll(id="summary"):
                    with Horizontal(id="summary-top"):
                        yield BaseFigures(id="base")
                        yield CoverageTable(id="coverage")
                    yield FlowTable(id="flow")
            with Grid(id="report-trends"):
                yield TrendChart(_("NPS"), id="trend-nps")
                yield TrendChart(_("Calls"), id="trend-calls")
                yield TrendChart(_("Conversions"), id="trend-conversions")
                yield TrendChart(_("Churn %"), id="trend-churn")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_class(self.own, "-own")
        self.query_one("#base").border_title = _("Base")
        self.query_one("#coverage").border_title = _("Coverage by strategy")
        self.query_one("#flow").border_title = _("Stage flow (from → to)")
        self.show_choices()
        self.read()

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW
        if self.shown is not None and narrow != self.has_class("-narrow"):
            self.query_one(FiguresTable).show(self.shown, compact=narrow)
        self.set_class(narrow, "-narrow")
        self.show_choices()

    # --- choices ------------------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "period" and self.own:
            return parameters[0] in OWN_PERIODS
        if action == "range":
            return not self.own
        if action == "group":
            return parameters[0] in self.groupings
        if action == "step":
            if not isinstance(self.asked, Period):
                return None
            later = shifted(self.asked, 1)
            return None if parameters[0] == 1 and self.today is not None and later.start > self.today else True
        return True

    def action_period(self, word: str) -> None:
        self.asked = word
        self.read()

    def action_range(self) -> None:
        prompt = TextPrompt(
            _("Period"),
            _("From..to, like 2026-11-01..2026-11-15; or a month like 2026-10, or a day like 2026-11-20."),
            placeholder="2026-11-01..2026-11-15",
            refusal=_("Type a period, or press Escape."),
        )
        self.app.push_screen(prompt, self._typed)

    def _typed(self, text: str | None) -> None:
        if text:
            self.asked = text
            self.read()

    def action_step(self, steps: int) -> None:
        if isinstance(self.asked, Period) and self.check_action("step", (steps,)):
            self.asked = shifted(self.asked, steps)
            self.read()

    def action_group(self, by: str) -> None:
        if by in self.groupings:
            self.by = by
            self.read()

    def action_next_grouping(self) -> None:
        order = self.groupings
        self.action_group(order[(order.index(self.by) + 1) % len(order)])

    def action_charts(self) -> None:
        self.charts = not self.charts
        self.query_one(ContentSwitcher).current = "report-trends" if self.charts else "report-figures"
        if self.charts:
            self._read_trends_if_stale()
        else:
            self.query_one(FiguresTable).focus()
        self.show_choices()

    def action_reload(self) -> None:
        self.trends_of = None
        self.read()

    def action_back(self) -> None:
        self.dismiss(None)

    def show_choices(self) -> None:
        self.query_one("#report-choices", Static).update(self.choices_content())
        self.refresh_bindings()

    def choices_content(self) -> Content:
        """Two lines: the period (kind, label, charts or table), then the grouping; the current ones stand out."""
        kind = kind_of(self.period) if self.period else None
        periods = [(DAY, "d", _("Day")), (WEEK, "w", _("Week")), (MONTH, "m", _("Month")), (RANGE, "f", _("From..to"))]
        offered = [(key, label, kind == name) for name, key, label in periods if not self.own or name in OWN_PERIODS]
        shown = [_choice(*choice) for choice in offered]
        label = period_label(self.period) if self.period else "…"
        days = self.period.days if self.period else 0
        span = " (" + ngettext("{n} day", "{n} days", days).format(n=days) + ")" if days > 1 else ""
        reading = " [dim]$reading[/dim]" if self.reading else ""
        line1 = Content.from_markup(
            f"$periods  [dim]\\[[/dim] [b $text-accent]$label[/]$span [dim]][/dim]  $view{reading}",
            periods=Content("").join(shown),
            label=label,
            span=span,
            view=_choice("c", _("Charts"), self.charts),
            reading=_("reading…"),
        )
        if self.size.width and self.size.width < NARROW and not self.own:
            line2 = Content.from_markup(
                "$current  [dim]$how[/dim]",
                current=_choice("", _(GROUP_NAMES[self.by]), True),
                how=_("g next · 1–8 pick"),
            )
        else:
            groups = [_choice(str(GROUPINGS.index(by) + 1), _(GROUP_NAMES[by]), by == self.by) for by in self.groupings]
            line2 = Content("").join(groups)
        return Content("\n").join([line1, line2])

    # --- reading ------------------------------------------------------------------------------------------------

    def read(self) -> None:
        self.reading = True
        self.show_choices()
        self._read(self.asked, self.by)

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def _read(self, asked: str | Period, by: str) -> None:
        now = self.clock()
        today = reports.today_in_center(self.db, now)
        period = asked if isinstance(asked, Period) else reports.parse_period(asked, today)
        report = reports.report(self.db, self.actor, period, by, now=now)
        stages = {s.id: localize(s.label, self.actor.language) or s.id for s in runtime(self.db).playbook.stages}
        if not get_current_worker().is_cancelled:
            self.post_message(ReportLoaded(today, report, stages))

    def on_report_loaded(self, message: ReportLoaded) -> None:
        message.stop()
        report = message.report
        self.today, self.period, self.asked, self.by = message.today, report.period, report.period, report.by
        self.reading = False
        summary = report.by == "summary" and bool(report.extras)
        self.set_class(summary, "-summary")
        table = self.query_one(FiguresTable)
        self.shown = report
        table.show(report, compact=self.size.width < NARROW)
        what = _("My figures") if self.own else _("Figures")
        # Days run from the center's midnight, which need not be the operator's: the title says whose they are.
        zone = _("{zone} time").format(zone=report.time_zone)
        table.border_title = f"{what} · {period_label(report.period)} · {zone}"
        # What a conversion is here: the playbook's success outcomes, a completed survey as much as a sale.
        table.border_subtitle = _("Conv.: strategy's goal met · Conv. %: of calls reached")
        if summary:
            self.query_one(BaseFigures).show(report.extras)
            self.query_one(CoverageTable).show(report.extras.get("coverage", {}))
            self.query_one(FlowTable).show(report.extras.get("flow", {}), message.stages)
        self.show_choices()
        if self.charts:
            self._read_trends_if_stale()

    def _read_trends_if_stale(self) -> None:
        if self.period is not None and self.period != self.trends_of:
            self.trends_of = self.period
            self._read_trends(self.period)

    @work(thread=True, exclusive=True, group="trends", exit_on_error=False)
    def _read_trends(self, period: Period) -> None:
        worker = get_current_worker()
        now = self.clock()
        days = reports.report(self.db, self.actor, period, "days", now=now)
        by_day = {label: figures for label, figures, _ in days.rows}
        churn: list[float | None] | None = None
        if not self.own:
            # One summary per day: the service has no churn by day yet, and a day's summary is a few index reads.
            churn = []
            for day in days_of(period, reports.today_in_center(self.db, now)):
                if worker.is_cancelled:
                    return
                one = Period(day, day + timedelta(days=1), day.isoformat())
                churn.append(reports.report(self.db, self.actor, one, "summary", now=now).extras.get("churn_pct"))
        if not worker.is_cancelled:
            self.post_message(TrendsLoaded(period, by_day, churn))

    def on_trends_loaded(self, message: TrendsLoaded) -> None:
        message.stop()
        for chart_id, trend in trends(message.period, message.by_day, message.churn, self.today).items():
            self.query_one(f"#{chart_id}", TrendChart).show(trend)

    def on_worker_failed(self, message: WorkerFailed) -> None:
        # Not stopped: the app tells the user. Here the choice goes back to what is on screen.
        if message.worker_name == "_read":
            self.reading = False
            self.asked = self.period or self.asked
            self.show_choices()
        elif message.worker_name == "_read_trends":
            self.trends_of = None


def trends(
    period: Period, by_day: dict[str, CallFigures], churn: list[float | None] | None, today: date | None
) -> dict[str, Trend]:
    """The charts' series: every day of the period up to today, a gap where a day has no figure."""
    days = days_of(period, today)
    rows = [by_day.get(day.isoformat()) for day in days]
    out = {
        "trend-nps": Trend(_("NPS"), days, [r.nps if r else None for r in rows], color="magenta"),
        "trend-calls": Trend(_("Calls"), days, [float(r.calls) if r else 0.0 for r in rows], bars=True),
        "trend-conversions": Trend(
            _("Conversions"), days, [float(r.success) if r else 0.0 for r in rows], bars=True, color="green"
        ),
    }
    if churn is not None:
        out["trend-churn"] = Trend(_("Churn %"), days, list(churn[: len(days)]), color="red")
    return out


def _choice(key: str, label: str, current: bool) -> Content:
    """`` k Label ``: a key and what it picks, reversed when it is the current choice."""
    text = f"{key} {label}" if key else label
    if current:
        return Content.from_markup("[reverse $text-accent] $text [/]", text=text)
    return Content.from_markup(" [dim]$key[/dim] $label ", key=key, label=label)
