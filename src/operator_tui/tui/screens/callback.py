"""Scheduling a callback: in an hour, tomorrow at the same time, or at a date and time in the customer's zone.

Times are typed and shown in the customer's own time zone (they are the ones who said "call me at five"); what
the dialog returns is an aware datetime, which the service stores in UTC. Personal (this operator calls back) is
the default; ``a`` switches to anyone on the team.

A time outside the customer's calling window is marked, and chosen only when chosen twice: the queue rings no one
outside their window, so such a callback waits for the window to open (a promise of "call me at ten tonight" that
the queue would keep at nine tomorrow morning).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from operator_tui.tui.i18n import N_, _, strftime
from operator_tui.tui.screens.dialog import Dialog
from operator_tui.tui.widgets.field import Field

WHEN = "%a %d %b %H:%M"
WHEN_YEAR = "%a %d %b %Y %H:%M"


@dataclass(frozen=True)
class CallbackChoice:
    at: datetime
    personal: bool


DATED = ("%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M")  # 2026-11-24 15:30, or 24.11.2026 15:30 as Russian speakers write it
TOMORROW, NEXT_YEAR = "tomorrow", "next year"  # what a time or a day without a year rolled over to
DAY_WORDS = {"today": 0, "tomorrow": 1, "сегодня": 0, "завтра": 1, "послезавтра": 2}
"""Days said as words before a time (``tomorrow 10:00``), in either language whatever the interface's: operators
type what the customer said."""


@dataclass(frozen=True)
class Typed:
    moment: datetime
    rolled: str | None = None  # TOMORROW: a bare time gone today; NEXT_YEAR: a day and month gone this year


def parse_when(text: str, now: datetime, zone: ZoneInfo) -> Typed:
    """``2026-11-24 15:30``, ``24.11.2026 15:30``, ``24.11 15:30`` (this year's, or next year's once passed),
    ``tomorrow 15:30`` (``DAY_WORDS``) or ``15:30`` (the next such time) in ``zone``; ValueError with the reason.
    Says when it rolled a time over to tomorrow or a day to next year, for the dialog to ask before it keeps that."""
    text = " ".join(text.split()).lower()
    local_now = now.astimezone(zone)
    rolled = None
    worded = _WORDED.fullmatch(text)
    said_day = worded is not None and worded[1] in DAY_WORDS
    try:
        if worded is not None and said_day:
            hour, minute = (int(part) for part in worded[2].split(":"))
            on = local_now.date() + timedelta(days=DAY_WORDS[worded[1]])
            moment = datetime(on.year, on.month, on.day, hour, minute, tzinfo=zone)
        elif _TIME.fullmatch(text):
            hour, minute = (int(part) for part in text.split(":"))
            moment = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
            if moment <= local_now:
                moment, rolled = moment + timedelta(days=1), TOMORROW
        elif _DAY_MONTH.fullmatch(text):
            day, time = text.split()
            moment = datetime.strptime(f"{day}.{local_now.year} {time}", DATED[1]).replace(tzinfo=zone)
            if moment <= local_now:
                moment, rolled = moment.replace(year=moment.year + 1), NEXT_YEAR
        else:
            moment = _dated(text).replace(tzinfo=zone)
    except ValueError:
        if said_day or any(form.fullmatch(text) for form in (_TIME, _DAY_MONTH, _FULL_DATE)):
            raise ValueError(_("there is no such date or time as {text}").format(text=text)) from None
        raise ValueError(
            _("write the time like 15:30, tomorrow 15:30, {day} 15:30 or {today} 15:30").format(
                day=f"{local_now:%d.%m}", today=f"{local_now:%Y-%m-%d}"
            )
        ) from None
    if moment <= local_now:
        raise ValueError(_("{moment} has passed; pick a time in the future").format(moment=shown(moment, now)))
    return Typed(moment, rolled)


def shown(moment: datetime, now: datetime) -> str:
    """A callback's moment as the dialog says it: with its year when that is not this one."""
    this_year = now.astimezone(moment.tzinfo).year
    return strftime(moment, WHEN if moment.year == this_year else WHEN_YEAR)


_TIME = re.compile(r"\d{1,2}:\d{2}")
_WORDED = re.compile(r"(\w+) (\d{1,2}:\d{2})")
_DAY_MONTH = re.compile(r"\d{1,2}\.\d{1,2} \d{1,2}:\d{2}")
_FULL_DATE = re.compile(r"(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4}) \d{1,2}:\d{2}")


def _dated(text: str) -> datetime:
    for layout in DATED:
        try:
            return datetime.strptime(text, layout)
        except ValueError:
            continue
    raise ValueError(text)


class CallbackDialog(Dialog[CallbackChoice | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("1", "in_an_hour", N_("In 1 hour"), id="callback.hour"),
        Binding("2", "tomorrow", N_("Tomorrow, same time"), id="callback.tomorrow"),
        Binding("3", "at", N_("At a time"), id="callback.at"),
        Binding("4", "window_opens", N_("When their window opens"), id="callback.opens"),
        Binding("a", "owner", N_("Personal / anyone"), id="callback.owner"),
        Binding("escape", "cancel", N_("Back"), id="callback.cancel"),
    ]
    AUTO_FOCUS = ""  # nothing: the keys 1 to 4 and a are the dialog's until the time field is opened

    def __init__(
        self,
        name: str,
        zone: ZoneInfo,
        now: datetime,
        callable_at: Callable[[datetime], bool] | None = None,
        *,
        opens_at: datetime | None = None,
    ) -> None:
        super().__init__()
        self.customer_name = name
        self.zone = zone
        self.now = now
        self.callable_at = callable_at or (lambda _moment: True)
        self.opens_at = opens_at  # their calling window is closed now and opens then: offered as choice 4
        self.personal = True
        self._warned: datetime | None = None  # a time outside the window, chosen once: the next choice of it keeps it
        self._rolled_said: datetime | None = None  # a time rolled over to tomorrow or next year, said once

    def compose(self) -> ComposeResult:
        local = self.now.astimezone(self.zone)
        with Vertical(id="callback-box", classes="dialog") as box:
            box.border_title = _("Call back · {customer}").format(customer=self.customer_name)
            box.border_subtitle = _("Esc back")
            yield Static(
                Content.from_markup(
                    _("Their time now: [b]$now[/b] ($zone)"), now=strftime(local, WHEN), zone=str(self.zone.key)
                ),
                id="callback-now",
            )
            yield Static(self._choices(), id="callback-choices")
            yield Field(placeholder=_("HH:MM, DD.MM HH:MM or YYYY-MM-DD HH:MM, their time"), id="callback-at")
            yield Static("", id="callback-message")
            yield Static(id="callback-owner")

    def on_mount(self) -> None:
        self._show_owner()

    def _choices(self) -> Content:
        local = self.now.astimezone(self.zone)
        choices = [_("in 1 hour"), _("tomorrow, same time"), _("at a date and time…"), _("when their window opens")]
        timed = choices[:2] if self.opens_at is None else [*choices[:2], choices[3]]
        width = max(len(choice) for choice in timed) + 2  # two spaces before the time
        hour, tomorrow = local + timedelta(hours=1), local + timedelta(days=1)
        lines = Content.from_markup(
            "[b $accent]1[/]  $hour_text[dim]$hour[/dim]$hour_closed\n"
            "[b $accent]2[/]  $tomorrow_text[dim]$tomorrow[/dim]$tomorrow_closed\n"
            "[b $accent]3[/]  $at_text",
            hour_text=choices[0].ljust(width),
            tomorrow_text=choices[1].ljust(width),
            at_text=choices[2],
            hour=strftime(hour, WHEN),
            tomorrow=strftime(tomorrow, WHEN),
            hour_closed=self._closed_mark(hour),
            tomorrow_closed=self._closed_mark(tomorrow),
        )
        if self.opens_at is None:
            return lines
        opens = Content.from_markup(
            "\n[b $accent]4[/]  $opens_text[dim]$opens[/dim]",
            opens_text=choices[3].ljust(width),
            opens=strftime(self.opens_at.astimezone(self.zone), WHEN),
        )
        return lines + opens

    def _closed_mark(self, moment: datetime) -> Content:
        if self.callable_at(moment):
            return Content("")
        return Content.from_markup("  [$warning]$text[/]", text=_("outside their calling hours"))

    def _show_owner(self) -> None:
        who = _("you (personal)") if self.personal else _("anyone on the team")
        self.query_one("#callback-owner", Static).update(
            Content.from_markup(_("Who calls back: [b]$who[/b]  [dim]a switches[/dim]"), who=who)
        )

    def action_in_an_hour(self) -> None:
        self._done(self.now.astimezone(self.zone) + timedelta(hours=1))

    def action_tomorrow(self) -> None:
        self._done(self.now.astimezone(self.zone) + timedelta(days=1))

    def action_window_opens(self) -> None:
        if self.opens_at is not None:
            self._done(self.opens_at)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "window_opens":
            return self.opens_at is not None
        return True

    def action_at(self) -> None:
        field = self.query_one("#callback-at", Input)
        field.display = True
        field.focus()

    def action_owner(self) -> None:
        self.personal = not self.personal
        self._show_owner()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#callback-at")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        message = self.query_one("#callback-message", Static)
        try:
            typed = parse_when(event.value, self.now, self.zone)
        except ValueError as exc:
            message.update(_("Not accepted: {why}.").format(why=exc))
            message.add_class("-error")
            return
        moment = typed.moment
        # A time already gone today means tomorrow, a day gone this year next year's; the customer may have meant
        # something else (or the operator mistyped), so say it first.
        if typed.rolled is not None and self._rolled_said != moment:
            self._rolled_said = moment
            said = (
                _("{time} has passed today there: that is {moment}. Press Enter again to keep it.")
                if typed.rolled == TOMORROW
                else _("{day} has passed this year: that is {moment}. Press Enter again to keep it.")
            )
            message.update(said.format(time=f"{moment:%H:%M}", day=f"{moment:%d.%m}", moment=shown(moment, self.now)))
            message.add_class("-error")
            return
        self._done(moment)

    def _done(self, moment: datetime) -> None:
        if not self.callable_at(moment) and self._warned != moment:
            self._warned = moment
            message = self.query_one("#callback-message", Static)
            message.update(
                _(
                    "{moment} is outside their calling hours: the queue calls them only once it opens. Choose it "
                    "again to keep it."
                ).format(moment=shown(moment.astimezone(self.zone), self.now))
            )
            message.add_class("-error")
            return
        self.dismiss(CallbackChoice(moment, self.personal))
