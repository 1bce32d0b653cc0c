"""The pure parts of the reports and the board: number formats, period steps, chart ticks and series."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from operator_tui.core.report_math import CallFigures
from operator_tui.services.reports import Period, parse_period
from operator_tui.tui import figures
from operator_tui.tui.i18n import set_language
from operator_tui.tui.periods import DAY, MONTH, RANGE, WEEK, days_of, kind_of, shifted
from operator_tui.tui.screens.reports import period_label, trends
from operator_tui.tui.widgets.charts import Trend, count_ticks, decimals_of, nice_ticks, ticks

TODAY = date(2026, 11, 25)  # a Wednesday


def test_numbers_read_as_people_write_them() -> None:
    assert figures.count(1234567) == "1,234,567"
    assert figures.percent(83.33) == "83.3 %" and figures.percent(None) == "–"
    assert (figures.duration(97.5), figures.duration(5), figures.duration(3723)) == ("1:38", "0:05", "1:02:03")
    assert (figures.nps(25.0), figures.nps(-4.0), figures.nps(0.0), figures.nps(None)) == ("+25.0", "-4.0", "0.0", "–")
    assert figures.money(36956670.4) == "36,956,670.40"
    assert (figures.capped(1000, 1000), figures.capped(999, 1000)) == ("1,000+", "999")


def test_time_in_state() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert figures.in_state(now - timedelta(seconds=65), now) == "1:05"
    assert figures.in_state(now - timedelta(hours=2, seconds=3), now) == "2:00:03"
    assert figures.in_state(now - timedelta(days=3, hours=1), now) == "3 d"
    assert figures.in_state(None, now) == "–"


def test_a_row_of_figures() -> None:
    row = CallFigures(calls=6, reached=5, success=4, talk_s=440, wrap_s=110, promoters=2, passives=1, detractors=1)
    assert figures.figure_cells(row, 91.25) == (
        "6",
        "83.3 %",
        "4",
        "80.0 %",
        "1:28",
        "0:18",
        "+25.0",
        "2",
        "1",
        "1",
        "91.2",
    )
    assert figures.figure_cells(CallFigures(), None)[:6] == ("0", "–", "0", "–", "–", "–")


@pytest.mark.parametrize(
    ("text", "kind", "earlier", "later"),
    [
        ("day", DAY, "2026-11-24", "2026-11-26"),
        ("week", WEEK, "week of 2026-11-16", "week of 2026-11-30"),
        ("month", MONTH, "2026-10", "2026-12"),
        ("2026-01", MONTH, "2025-12", "2026-02"),
        ("2026-11-01..2026-11-10", RANGE, "2026-10-22..2026-10-31", "2026-11-11..2026-11-20"),
    ],
)
def test_periods_step_by_their_own_kind(text: str, kind: str, earlier: str, later: str) -> None:
    period = parse_period(text, TODAY)
    assert kind_of(period) == kind
    assert shifted(period, -1).label == earlier and shifted(period, 1).label == later
    assert shifted(shifted(period, -3), 3) == period


def test_a_typed_week_is_a_week_and_days_stop_at_today() -> None:
    assert kind_of(parse_period("2026-11-23..2026-11-29", TODAY)) == WEEK
    november = parse_period("month", TODAY)
    assert len(days_of(november)) == 30 and days_of(november, TODAY)[-1] == TODAY
    assert days_of(parse_period("2026-12", TODAY), TODAY) == []


def test_ticks_spread_over_the_days_first_and_last_included() -> None:
    days = [date(2026, 11, 1) + timedelta(days=n) for n in range(30)]
    positions, labels = ticks(days)
    assert positions[0] == 1 and positions[-1] == 30 and len(labels) == 6 and labels[0] == "01 Nov"
    assert ticks(days[:3]) == ([1.0, 2.0, 3.0], ["01 Nov", "02 Nov", "03 Nov"])
    assert ticks([]) == ([], [])


def test_trend_series_fill_quiet_days_and_leave_nps_gaps() -> None:
    period = Period(date(2026, 11, 20), date(2026, 11, 24), "2026-11-20..2026-11-23")
    by_day = {"2026-11-21": CallFigures(calls=3, reached=2, success=1, promoters=1)}
    series = trends(period, by_day, [0.0, 5.0, None, None], date(2026, 11, 22))
    assert series["trend-calls"].values == [0.0, 3.0, 0.0]
    assert series["trend-nps"].points == [(2, 100.0)]
    assert series["trend-churn"].values == [0.0, 5.0, None]
    assert "trend-churn" not in trends(period, by_day, None, None)


def test_a_rate_line_is_broken_over_days_without_a_value() -> None:
    days = [date(2026, 11, 1) + timedelta(days=n) for n in range(7)]
    nps = Trend("NPS", days, [10.0, 20.0, None, None, 40.0, None, -5.0])
    assert nps.runs == [[(1, 10.0), (2, 20.0)], [(5, 40.0)], [(7, -5.0)]]
    assert Trend("NPS", days, [None] * 7).runs == []


def test_counted_charts_mark_whole_numbers() -> None:
    assert count_ticks(0) == [0, 1]
    assert count_ticks(3) == [0, 1, 2, 3]
    assert count_ticks(7) == [0, 2, 4, 6, 8]
    assert count_ticks(17) == [0, 5, 10, 15, 20]
    assert count_ticks(123) == [0, 50, 100, 150]
    assert count_ticks(12345) == [0, 5000, 10000, 15000]


def test_rate_charts_mark_round_values() -> None:
    """An NPS line from -42.4 to 81.8 is marked -50, 0, 50, 100; a churn rate up to 0.167 in steps of 0.05."""
    assert nice_ticks(-42.4, 81.8) == [-50, 0, 50, 100]
    assert nice_ticks(62.1, 81.8) == [60, 70, 80, 90]
    churn = nice_ticks(0, 0.167)
    assert churn == [0, 0.05, 0.1, 0.15, 0.2] and decimals_of(churn) == 2
    assert len(nice_ticks(-100, 100)) <= 5
    assert nice_ticks(-100, -100) == [-110, -105, -100, -95, -90]  # a single day's NPS: the line in the middle
    assert nice_ticks(0.2, 0.2) == [0.18, 0.19, 0.2, 0.21, 0.22] and nice_ticks(0, 0)[0] == 0


@pytest.mark.parametrize(
    ("typed", "english", "russian"),
    [
        ("2026-11", "November 2026", "ноябрь 2026"),
        ("2026-11-23", "Mon 23 Nov 2026", "пн 23 ноя 2026"),
        ("2026-11-01..2026-11-15", "01 Nov 2026 – 15 Nov 2026", "01 ноя 2026 – 15 ноя 2026"),
    ],
)
def test_periods_read_as_people_say_them(typed: str, english: str, russian: str) -> None:
    period = parse_period(typed, TODAY)
    week = Period(date(2026, 11, 23), date(2026, 11, 30), "week of 2026-11-23")
    try:
        assert (period_label(period), period_label(week)) == (english, "week of 23 Nov 2026")
        set_language("ru")
        assert period_label(period) == russian
    finally:
        set_language("en")
