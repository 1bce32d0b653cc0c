"""The customer card: who is on the line, their local time and calling window, stage and value, the strategy and
its goal, open callbacks and tasks, notes, and what earlier calls said.

It renders a ``cards.Card`` read once by the call screen's worker; nothing here reads the database. Names and notes
are data, never markup.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

import phonenumbers
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from operator_tui.core.placeholders import fill
from operator_tui.services.cards import Card
from operator_tui.tui.clock import Clock
from operator_tui.tui.fit import beside
from operator_tui.tui.i18n import _, ngettext, number, pgettext, strftime
from operator_tui.tui.stored import said_answer

DAY = "%a %d %b %H:%M"


def card_content(card: Card, zone: tzinfo, width: int | None = None, *, compact: bool = False) -> Content:
    """The card as lines of text; ``zone`` is the operator's, for the times of past calls and callbacks. Past
    questions are cut to fit ``width`` beside their answers, so that none wraps a cut word onto a line of its
    own. ``compact`` (a card stacked over the script on a small terminal) leaves out the stage's and strategy's
    goals and the time zone's name beside a known place, so that the number, why they are called, their time and
    value fit in the few lines it has."""
    local = card.local_time
    lines: list[Content] = []
    if card.dnc:
        lines.append(Content.from_markup(_("[b $text-error]DO NOT CALL: this customer asked not to be called[/]")))
    if card.variables.get("consent") is False:  # calls go on (a survey, a callback), but nothing is sold
        lines.append(Content.from_markup(_("[b $warning]No offers:[/] they said no to being contacted about offers")))
    phones = _phone_list(card.phones) or _("no phone")
    if card.dnc or not card.phones:  # they may have called in, but nobody dials them
        lines.append(Content.from_markup("[b]☎ $phones[/b]", phones=phones))
    else:
        lines.append(Content.from_markup(_("[b]☎ $phones[/b]  [dim](d dials)[/dim]"), phones=phones))
    if card.wrong_phones:  # on a line of their own: beside the good ones they wrap where a number is read
        wrong = _phone_list(card.wrong_phones)
        lines.append(Content.from_markup(_("[dim][s]$phones[/s] wrong number[/dim]"), phones=wrong))
    # Why they are called now comes first after the number: the callback promised, the task open.
    for _callback_id, due, owner in card.open_callbacks:  # promised in their time, as the callback dialog sets it
        lines.append(
            Content.from_markup(
                _("[b $warning]Callback[/] due $due their time ($who) [b $text-error]overdue[/]")
                if due < local
                else _("[b $warning]Callback[/] due $due their time ($who)"),
                due=_at(due, local.tzinfo),
                who=_whose(owner, card.reader),
            )
        )
    for _task_id, label, task_due in card.open_tasks:
        overdue = task_due < local
        lines.append(
            Content.from_markup(
                _("[b $warning]Task[/] $label, due $due your time [b $text-error]overdue[/]")
                if overdue
                else _("[b $warning]Task[/] $label, due $due your time"),
                label=label,
                due=_at(task_due, zone),
            )
        )
    change = ""
    if card.window_change is not None:
        moment = card.window_change.astimezone(local.tzinfo)
        when = strftime(moment, "%H:%M" if moment.date() == local.date() else "%a %H:%M")
        change = (_(" until {when}") if card.window_open else _(", opens {when}")).format(when=when)
    colour = "$text-success" if card.window_open else "$text-error"
    guessed = _(" (guessed)") if card.time_zone_guessed else ""
    # Compact: their city alone says where they are (the zone's name and the region are for the wide card).
    if compact and card.city and not guessed:
        where = card.city
    else:
        where = " · ".join(p for p in (card.time_zone + guessed, card.place) if p)
    lines.append(
        Content.from_markup(
            _("[b]$time[/b] their time · $where · window [{colour}]$window$change[/]").format(colour=colour),
            time=strftime(local, "%a %H:%M"),
            where=where,
            window=pgettext("calling window", "open") if card.window_open else pgettext("calling window", "closed"),
            change=change,
        )
    )
    if compact:  # the goals are on the wide card; here stage and strategy share a line
        lines.append(
            Content.from_markup(
                _("Stage [b]$stage[/b] · strategy [b]$strategy[/b]"),
                stage=card.stage_label,
                strategy=card.strategy_label,
            )
        )
    else:
        lines.append(_labelled(_("Stage"), card.stage_label, card.stage_goal))
        lines.append(_labelled(_("Strategy"), card.strategy_label, card.strategy_goal))
    nps = "–" if card.last_nps is None else str(card.last_nps)
    lines.append(
        Content.from_markup(
            ngettext(
                "Value tier [b]$tier[/b] · $count purchase, $revenue · churn risk $risk · last NPS [b]$nps[/b]",
                "Value tier [b]$tier[/b] · $count purchases, $revenue · churn risk $risk · last NPS [b]$nps[/b]",
                card.purchases,
            ),
            tier=card.value_tier,
            count=str(card.purchases),
            revenue=number(card.revenue, 2),
            risk=number(card.churn_risk, 2),
            nps=nps,
        )
    )
    if card.notes:
        lines.append(Content(""))
        lines.append(Content.from_markup(_("[b]Notes[/b] $notes"), notes=card.notes))
    lines.append(Content(""))
    # Past calls in the operator's own time, as the rest of their screen; the card's other times say "their time".
    lines.append(Content.from_markup(_("[b]History[/b] [dim]· your time[/dim]")))
    if not card.history:
        lines.append(Content.styled("  " + _("no calls yet"), "dim"))
    for call in card.history:
        score = "" if call.nps is None else f" · NPS {call.nps}"
        lines.append(
            Content.from_markup(
                "  $at [b]$outcome[/b] · $who$score",
                at=_at(call.at, zone),
                outcome=call.outcome_label,
                who=call.operator,
                score=score,
            )
        )
        if call.note:
            lines.append(Content.from_markup("    [i]$note[/i]", note=call.note))
        for question, answer in call.answers:
            # Past questions come unfilled from the card; fill them like the script's own texts.
            asked = fill(question, card.placeholders)
            lines.append(beside(said_answer(answer), asked, indent=4, width=width))
    return Content("\n").join(lines)


def _whose(owner: str | None, reader: str) -> str:
    """Whose callback: anyone's, the reader's own, or a colleague's promise (an overdue one comes to anyone)."""
    if owner is None:
        return _("anyone")
    return _("yours") if owner == reader else _("promised by {login}").format(login=owner)


def _labelled(what: str, label: str, goal: str) -> Content:
    if goal:
        return Content.from_markup("$what [b]$label[/b] [dim]· $goal[/dim]", what=what, label=label, goal=goal)
    return Content.from_markup("$what [b]$label[/b]", what=what, label=label)


def _phone_list(numbers: list[str]) -> str:
    return "  ·  ".join(pretty_phone(p) for p in numbers)


def pretty_phone(phone: str) -> str:
    """``+74950000001`` -> ``+7 495 000-00-01``; a number the library cannot read is shown as it is."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(phone), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return phone


def _at(moment: datetime, zone: tzinfo | None = None) -> str:
    return strftime(moment.astimezone(zone) if zone else moment, DAY)


class CustomerCard(VerticalScroll):
    """The card's text in a scrolling frame titled with the customer's name."""

    can_focus = False

    TICK_S = 15.0  # how often the customer's clock line is brought up to date

    def __init__(
        self, card: Card, zone: tzinfo, *, clock: Clock | None = None, id: str | None = "customer-card"
    ) -> None:
        super().__init__(id=id)
        self.card = card
        self.zone = zone
        self.clock = clock
        self.border_title = card.name
        self.border_subtitle = f"#{card.customer_id}"
        self._laid_out_for = 0
        self.compact = False

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(card_content(self.card, self.zone, compact=self.compact), id="card-text")

    def _redraw(self) -> None:
        text = card_content(self.card, self.zone, self._laid_out_for or None, compact=self.compact)
        self.query_one("#card-text", Static).update(text)

    def set_compact(self, compact: bool) -> None:
        """Stacked over the script (a small terminal) the card says less per line: see ``card_content``."""
        if compact != self.compact:
            self.compact = compact
            if self.is_mounted:
                self._redraw()

    def on_mount(self) -> None:
        if self.clock is not None:
            self.set_interval(self.TICK_S, self._tick)

    def _tick(self) -> None:
        """Their local time goes on while the call does, and the window may close meanwhile (or open)."""
        assert self.clock is not None
        now = self.card.as_of(self.clock())
        shown = (strftime(self.card.local_time, "%H:%M"), self.card.window_open, self.card.window_change)
        if (strftime(now.local_time, "%H:%M"), now.window_open, now.window_change) != shown:
            self.card = now
            self._redraw()

    def on_resize(self) -> None:
        """Cut the past questions to the width the card has now (known once it is laid out)."""
        width = self.scrollable_content_region.width
        if width > 0 and width != self._laid_out_for:
            self._laid_out_for = width
            self._redraw()

    def show(self, card: Card) -> None:
        """The card read again (the numbers were changed during the call)."""
        self.card = card
        self.border_title = card.name
        self._redraw()

    def warn(self, text: str) -> None:
        """A message that must stay in sight on the card (the lease was lost): shown above everything else."""
        self.mount(Static(text, id="card-warning"), before=0)
