"""Command palette (Ctrl+P) on the reports screen and the live board: each of their keys, found by name.

The screens list these providers in their own ``COMMANDS``, so the palette offers them only there; each command
runs the same action as its key (and an operator is offered only what an operator may read).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from operator_tui.tui.commands import Command, Commands
from operator_tui.tui.i18n import _

if TYPE_CHECKING:
    from operator_tui.tui.screens.reports import ReportsScreen


class ReportsCommands(Commands):
    def _commands(self) -> list[Command]:
        from operator_tui.tui.screens.reports import GROUP_NAMES, ReportsScreen

        screen = self.screen
        if not isinstance(screen, ReportsScreen):
            return []
        periods = [("day", _("Today")), ("month", _("This month"))]
        if not screen.own:
            periods.insert(1, ("week", _("This week")))
        commands = [
            Command(
                _("Report: {period}").format(period=label.lower()),
                _("The figures of {period}").format(period=label.lower()),
                _period(screen, word),
            )
            for word, label in periods
        ]
        if not screen.own:
            commands.append(Command(_("Report: from..to"), _("Type a range, a month or a day"), screen.action_range))
        commands += [
            Command(_("Report: earlier period"), _("The day, week or month before"), lambda: screen.action_step(-1)),
            Command(_("Report: later period"), _("The day, week or month after"), lambda: screen.action_step(1)),
            Command(_("Report: charts or table"), _("Trends per day, or the figures"), screen.action_charts),
        ]
        commands += [
            Command(
                _("Report by: {grouping}").format(grouping=_(GROUP_NAMES[by]).lower()),
                _("Group the figures"),
                _group(screen, by),
            )
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
            Command(_("Board: refresh now"), _("Read the board again without waiting"), screen.action_refresh_now),
            Command(_("Board: sort"), _("By team, or by state with the longest in it first"), screen.action_order),
        ]
