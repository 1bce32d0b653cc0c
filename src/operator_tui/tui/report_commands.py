"""Command palette (Ctrl+P) on the reports screen and the live board: each of their keys, found by name.

The screens list these providers in their own ``COMMANDS``, so the palette offers them only there; each command
runs the same action as its key (and an operator is offered only what an operator may read).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from operator_tui.tui.commands import Command, Commands

if TYPE_CHECKING:
    from operator_tui.tui.screens.reports import ReportsScreen


class ReportsCommands(Commands):
    def _commands(self) -> list[Command]:
        from operator_tui.tui.screens.reports import GROUP_NAMES, ReportsScreen

        screen = self.screen
        if not isinstance(screen, ReportsScreen):
            return []
        periods = [("day", "Today"), ("month", "This month")]
        if not screen.own:
            periods.insert(1, ("week", "This week"))
        commands = [
            Command(f"Report: {label.lower()}", f"The figures of {label.lower()}", _period(screen, word))
            for word, label in periods
        ]
        if not screen.own:
            commands.append(Command("Report: from..to", "Type a range, a month or a day", screen.action_range))
        commands += [
            Command("Report: earlier period", "The day, week or month before", lambda: screen.action_step(-1)),
            Command("Report: later period", "The day, week or month after", lambda: screen.action_step(1)),
            Command("Report: charts or table", "Trends per day, or the figures", screen.action_charts),
        ]
        commands += [
            Command(f"Report by: {GROUP_NAMES[by].lower()}", "Group the figures", _group(screen, by))
            for by in screen.groupings
        ]
        return commands


def _period(screen: ReportsScreen, word: str) -> Callable[[], object]:
    return lambda: screen.action_period(word)


def _group(screen: ReportsScreen, by: str) -> Callable[[], object]:
    return lambda: screen.action_group(by)


class BoardCommands(Commands):
    def _commands(self) -> list[Command]:
        from operator_tui.tui.screens.board import BoardScreen

        screen = self.screen
        if not isinstance(screen, BoardScreen):
            return []
        return [
            Command("Board: refresh now", "Read the board again without waiting", screen.action_refresh_now),
            Command("Board: sort", "By team, or by state with the longest in it first", screen.action_order),
        ]
