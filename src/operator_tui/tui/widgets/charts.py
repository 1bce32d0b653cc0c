"""Trend charts of the reports screen: one figure per day of the period, drawn with textual-plotext.

A chart only draws what it is given (the screen reads the figures in a worker); a day without a figure (no NPS
answers, a day still to come) is left out of a line rather than drawn as a zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from textual.app import RenderResult
from textual_plotext import PlotextPlot

from operator_tui.tui.i18n import _, number, strftime

TICKS = 6  # at most this many dates under a chart
LABEL = 9  # columns a date label needs, with room between two


@dataclass(frozen=True)
class Trend:
    """What one chart shows: a title, one value (or None) per day, and whether it is counted (bars) or a rate."""

    title: str
    days: list[date]
    values: list[float | None]
    bars: bool = False
    color: str = "cyan"

    @property
    def points(self) -> list[tuple[int, float]]:
        return [(n, v) for n, v in enumerate(self.values, 1) if v is not None]

    @property
    def runs(self) -> list[list[tuple[int, float]]]:
        """The points in runs of days one after another: a rate's line is drawn along each run and broken over
        days without a value (no answers, say), which a line through them would make up."""
        runs: list[list[tuple[int, float]]] = []
        for point in self.points:
            if runs and runs[-1][-1][0] == point[0] - 1:
                runs[-1].append(point)
            else:
                runs.append([point])
        return runs


def ticks(days: list[date], most: int = TICKS) -> tuple[list[float], list[str]]:
    """Positions (1-based) and labels (``01 Nov``, in the interface language) of a few evenly spread days, the
    first and the last among them."""
    if not days:
        return [], []
    if len(days) <= most:
        chosen = list(range(len(days)))
    else:
        step = (len(days) - 1) / (most - 1)
        chosen = sorted({round(i * step) for i in range(most)})
    return [float(i + 1) for i in chosen], [strftime(days[i], "%d %b") for i in chosen]


def nice_ticks(low: float, high: float, most: int = 5, *, whole: bool = False) -> list[float]:
    """Marks at a round step (1, 2 or 5 times a power of ten; at least 1 when ``whole``) from a multiple of it at or
    below ``low`` to one at or above ``high``, at most ``most`` of them: "-40, -20, 0, 20" rather than plotext's
    own "-42.4, -21.2, 0.0, 21.2". A flat line (one day, say) gets room around it: an NPS of -100 alone is marked
    -110, -100, -90, not -100 and -99.0."""
    if high <= low and low:
        low, high = low - abs(low) * 0.1, low + abs(low) * 0.1
    elif high <= low:
        high = low + 1  # nothing but zeros: 0 to 1
    power = 10.0 ** math.floor(math.log10((high - low) / max(most - 1, 1)))
    if whole:
        power = max(power, 1.0)
    while True:
        for step in (power, 2 * power, 5 * power):
            first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
            if last - first <= most - 1:
                return [round((first + i) * step, 10) for i in range(last - first + 1)]
        power *= 10


def count_ticks(top: float, most: int = 5) -> list[int]:
    """Whole-number marks from 0 for a chart of counts (plotext's own would say 0.0, 2.5, 5.0 calls)."""
    return [int(mark) for mark in nice_ticks(0, max(top, 1), most, whole=True)]


def decimals_of(marks: list[float]) -> int:
    """Places after the point that the marks' step needs (0 for 20, 1 for 0.5, 2 for 0.05)."""
    if len(marks) < 2:
        return 0
    step = abs(marks[1] - marks[0])
    return max(0, -math.floor(math.log10(step) + 1e-9))


class TrendChart(PlotextPlot):
    """One trend; :meth:`show` replaces it. Drawn again at each render, with as many dates under it as fit its
    width: plotext drops overlapping labels in an order that changes from one process to the next."""

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.trend = Trend(title, [], [])

    def show(self, trend: Trend) -> None:
        self.trend = trend
        self.refresh()

    def render(self) -> RenderResult:
        trend, plt = self.trend, self.plt
        plt.clear_data()
        plt.clear_figure()
        points = trend.points
        if not points:
            plt.title(_("{chart} · nothing yet").format(chart=trend.title) if trend.days else trend.title)
            return super().render()
        plt.title(trend.title)
        xs = [x for x, _ in points]
        ys = [y for _, y in points]
        if trend.bars:
            plt.bar(xs, ys, color=trend.color, width=0.5, marker="hd")
            marks = count_ticks(max(ys))
            plt.yticks([float(m) for m in marks], [number(m) for m in marks])
            plt.ylim(0, marks[-1])
        else:
            for run in trend.runs:  # a day alone is a dot, not a line to the next day with a value
                run_xs, run_ys = [x for x, _ in run], [y for _, y in run]
                if len(run) > 1:
                    plt.plot(run_xs, run_ys, color=trend.color, marker="braille")
                else:
                    plt.scatter(run_xs, run_ys, color=trend.color, marker="●")
            rates = nice_ticks(min(ys), max(ys))
            places = decimals_of(rates)
            plt.yticks(rates, [number(m, places) for m in rates])
            plt.ylim(rates[0], rates[-1])
        positions, labels = ticks(trend.days, max(2, min(TICKS, (self.size.width - 8) // LABEL)))
        plt.xticks(positions, labels)
        plt.xlim(0.5, len(trend.days) + 0.5)
        return super().render()
