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

from operator_tui.tui.i18n import _

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
            commands.append(
                Command(
                    _("Log out"),
                    _("Sign {login} out and go back to sign-in").format(login=app.actor.login),
                    app.action_logout,
                )
            )
        commands += [
            Command(_("Help"), _("Show the keys of this screen"), app.action_help),
            Command(_("Switch theme"), _("Pick one of the built-in colour themes"), app.search_themes),
            Command(_("Quit"), _("Close operator-tui"), app.exit),
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
                Command(
                    _("Next customer"), _("Lease the next customer and open their card"), screen.action_next_customer
                ),
                Command(_("Find a customer"), _("By phone or name, for an inbound call"), screen.action_search),
                Command(_("Pause or resume"), _("Pause with a reason, or be ready again"), screen.action_pause),
                Command(
                    _("Refresh the queue"), _("Read the queue panel and today's figures again"), screen.action_refresh
                ),
                Command(_("My reviews"), _("Your quality reviews: read them, dispute one"), screen.action_my_reviews),
                Command(_("My figures"), _("Your day and month: calls, reach, NPS, QA"), screen.action_my_figures),
            ]
        if isinstance(screen, CallScreen):
            return [
                Command(_("Outcome"), _("Pick the outcome of this call and save it"), screen.action_outcome),
                Command(_("Dial"), _("Run the dial command with the customer's phone"), screen.action_dial),
                Command(_("Skip the customer"), _("Give the customer back with a reason"), screen.action_skip),
                Command(_("Pause after this call"), _("Pause as soon as the outcome is saved"), screen.action_pause),
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
                Command(
                    _("Build the sample"), _("Draw this month's calls to review, per operator"), screen.action_sample
                ),
                Command(_("Filter the reviews"), _("All, to do only, submitted only"), screen.action_filter),
                Command(
                    _("Calibrate this call"),
                    _("Several reviewers score the highlighted call blind"),
                    screen.action_calibrate,
                ),
                Command(_("Calibrations"), _("Sessions to score and their results"), screen.action_calibrations),
                Command(_("Disputes"), _("Operators' disputes: read and resolve them"), screen.action_disputes),
                Command(
                    _("Record a test call"), _("Score a mystery call made to an operator"), screen.action_test_call
                ),
                Command(_("Reports"), _("Day, week and month figures"), screen.action_reports),
                Command(_("Live board"), _("Operators by state and the depth of the queue"), screen.action_board),
            ]
        if isinstance(screen, ReviewScreen) and screen.editable:
            return [
                Command(_("Submit the review"), _("Finish it: every item scored or N/A"), screen.action_submit),
                Command(_("Overall comment"), _("What went well and what to work on"), screen.action_overall),
                Command(_("Comment the item"), _("A comment on the highlighted item"), screen.action_comment),
            ]
        if isinstance(screen, ReviewScreen) and screen.check_action("dispute", ()):
            return [
                Command(_("Dispute this review"), _("Tell your supervisor which mark is wrong"), screen.action_dispute)
            ]
        if isinstance(screen, DisputesScreen):
            return [
                Command(_("Read the review"), _("The disputed review, read only"), screen.action_review),
                Command(_("Open disputes only"), _("Or all of them again"), screen.action_filter),
            ]
        return []
