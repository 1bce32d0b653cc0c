"""Command palette (Ctrl+P): the app's commands, the operator's and the supervisor's main actions, found by name.

The operator's commands depend on the screen the palette was opened from: between calls (next customer, find,
pause, my reviews) or on a call (outcome, dial, skip, pause after the call); the supervisor's on the review
queue, a review, or the disputes. Each runs the same action as its key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from operator_tui.tui.app import OperatorTuiApp


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Callable[[], object]


class Commands(Provider):
    """A fixed list of commands, found by fuzzy name."""

    def _commands(self) -> list[Command]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            if (score := matcher.match(command.name)) > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, help=command.help)


class AppCommands(Commands):
    """Log out, Help, Switch theme, Quit."""

    def _commands(self) -> list[Command]:
        app = cast("OperatorTuiApp", self.app)
        commands = []
        if app.actor is not None:
            commands.append(Command("Log out", f"Sign {app.actor.login} out and go back to sign-in", app.action_logout))
        commands += [
            Command("Help", "Show the keys of this screen", app.action_help),
            Command("Switch theme", "Pick one of the built-in colour themes", app.search_themes),
            Command("Quit", "Close operator-tui", app.exit),
        ]
        return commands


class OperatorCommands(Commands):
    """The operator's main actions on the screen underneath the palette."""

    def _commands(self) -> list[Command]:
        from operator_tui.tui.screens.call import CallScreen
        from operator_tui.tui.screens.operator import OperatorHome

        screen = self.screen
        if isinstance(screen, OperatorHome):
            return [
                Command("Next customer", "Lease the next customer and open their card", screen.action_next_customer),
                Command("Find a customer", "By phone or name, for an inbound call", screen.action_search),
                Command("Pause or resume", "Pause with a reason, or be ready again", screen.action_pause),
                Command("Refresh the queue", "Read the queue panel and today's figures again", screen.action_refresh),
                Command("My reviews", "Your quality reviews: read them, dispute one", screen.action_my_reviews),
            ]
        if isinstance(screen, CallScreen):
            return [
                Command("Outcome", "Pick the outcome of this call and save it", screen.action_outcome),
                Command("Dial", "Run the dial command with the customer's phone", screen.action_dial),
                Command("Skip the customer", "Give the customer back with a reason", screen.action_skip),
                Command("Pause after this call", "Pause as soon as the outcome is saved", screen.action_pause),
            ]
        return []


class SupervisorCommands(Commands):
    """Quality work on the screen underneath the palette: the review queue, a review, the disputes."""

    def _commands(self) -> list[Command]:
        from operator_tui.tui.screens.disputes import DisputesScreen
        from operator_tui.tui.screens.review import ReviewScreen
        from operator_tui.tui.screens.supervisor import SupervisorHome

        screen = self.screen
        if isinstance(screen, SupervisorHome):
            return [
                Command("Build the sample", "Draw this month's calls to review, per operator", screen.action_sample),
                Command("Filter the reviews", "All, to do only, submitted only", screen.action_filter),
                Command(
                    "Calibrate this call", "Several reviewers score the highlighted call blind", screen.action_calibrate
                ),
                Command("Calibrations", "Sessions to score and their results", screen.action_calibrations),
                Command("Disputes", "Operators' disputes: read and resolve them", screen.action_disputes),
                Command("Record a test call", "Score a mystery call made to an operator", screen.action_test_call),
                Command("Reports", "Day, week and month figures", screen.action_reports),
                Command("Live board", "Operators by state and the depth of the queue", screen.action_board),
            ]
        if isinstance(screen, ReviewScreen) and screen.editable:
            return [
                Command("Submit the review", "Finish it: every item scored or N/A", screen.action_submit),
                Command("Overall comment", "What went well and what to work on", screen.action_overall),
                Command("Comment the item", "A comment on the highlighted item", screen.action_comment),
            ]
        if isinstance(screen, ReviewScreen) and screen.check_action("dispute", ()):
            return [Command("Dispute this review", "Tell your supervisor which mark is wrong", screen.action_dispute)]
        if isinstance(screen, DisputesScreen):
            return [
                Command("Read the review", "The disputed review, read only", screen.action_review),
                Command("Open disputes only", "Or all of them again", screen.action_filter),
            ]
        return []
