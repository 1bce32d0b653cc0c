"""The outcome picker: the playbook's outcomes for this strategy, each saved by its own key.

It opens by itself when the script ends, or with ``o`` at any time (no answer, busy, voicemail right after
dialling). One key saves: the outcome's hotkey from the playbook (or an arrow to it, then Enter; Enter alone
saves nothing). An outcome that needs a callback opens the callback dialog first. Tab moves to the note; Escape
goes back to the call with nothing saved.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from operator_tui.core.playbook import Outcome, OutcomeFlag
from operator_tui.core.text import localize
from operator_tui.tui.i18n import N_, _, ngettext
from operator_tui.tui.keymap import latin
from operator_tui.tui.screens.dialog import Dialog
from operator_tui.tui.widgets.field import Field


@dataclass(frozen=True)
class OutcomeChoice:
    outcome: Outcome
    note: str


SETTLE_S = 0.5
"""After the picker asks to choose an outcome again, keys for this long are not taken as the answer: a double tap
(or the next key of a burst) would otherwise confirm do-not-call, or save a neighbouring outcome, unread."""
FOR_GOOD = N_("[b $warning]$outcome[/] puts $name on the do-not-call list for good: [b]$key[/b] again saves it.")
LAST_NUMBER = N_(
    "[b $warning]$outcome[/] marks $number, the last number of $name's, as not theirs: they leave the queue until "
    "someone gives them another. [b]$key[/b] again saves it."
)


def needs_callback(outcome: Outcome) -> bool:
    return OutcomeFlag.CALLBACK in outcome.flags


class OutcomePicker(Dialog[OutcomeChoice | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Back to the call"), id="outcome.cancel")]
    AUTO_FOCUS = "#outcome-list"

    def __init__(
        self,
        outcomes: list[Outcome],
        *,
        language: str,
        title: str,
        say: str = "",
        note: str = "",
        answered: int = 0,
        last_number: str | None = None,
    ) -> None:
        super().__init__()
        self._last_number = last_number  # the customer's one number not yet found wrong, if only one is left
        self._answered = answered  # answers typed in the script so far
        self.outcomes = outcomes
        self.language = language
        self._title = title
        self._say = say
        self._note = note
        self._confirming: str | None = None  # a do-not-call outcome chosen once: chosen again, it is saved
        self._asked_at = 0.0  # when the question to choose it again was put (time.monotonic)

    def compose(self) -> ComposeResult:
        with Vertical(id="outcome-box", classes="dialog") as box:
            box.border_title = _("Outcome · {customer}").format(customer=self._title)
            box.border_subtitle = _("a key saves · Tab note · Esc back")
            if self._say:
                yield Static(Content.from_markup(_("[dim]Say:[/dim] $say"), say=self._say), id="outcome-say")
            yield OptionList(*(self._option(o) for o in self.outcomes), id="outcome-list")
            confirm = Static("", id="outcome-confirm")
            confirm.display = False  # until a do-not-call outcome is chosen once
            yield confirm
            yield Field(self._note, placeholder=_("note (optional): Tab to write, Enter when done"), id="outcome-note")

    def _option(self, outcome: Outcome) -> Option:
        key = outcome.hotkey or " "
        extra = " …" if needs_callback(outcome) else ""
        label = Content.from_markup(
            "[b $accent]$key[/]  $label$extra", key=key, label=localize(outcome.label, self.language), extra=extra
        )
        return Option(label, id=outcome.code)

    def on_mount(self) -> None:
        # Nothing is highlighted: a stray Enter (the habit of "go on" in the script) must never save an outcome.
        self.query_one("#outcome-list", OptionList).highlighted = None

    @property
    def note(self) -> str:
        return self.query_one("#outcome-note", Input).value.strip()

    def on_key(self, event: events.Key) -> None:
        if self.query_one("#outcome-note", Input).has_focus or event.character is None:
            return
        # The key as typed, else the Latin key at its place when the Russian layout is on.
        outcome = self._by_hotkey(event.character) or self._by_hotkey(latin(event.character))
        if outcome is not None:
            event.stop()
            self.choose(outcome)

    def _by_hotkey(self, typed: str) -> Outcome | None:
        """The outcome whose hotkey is ``typed``, else (a letter) the one whose hotkey is it in the other case."""
        outcome = next((o for o in self.outcomes if o.hotkey and o.hotkey == typed), None)
        if outcome is None and typed.isalpha():
            outcome = next((o for o in self.outcomes if o.hotkey and o.hotkey.lower() == typed.lower()), None)
        return outcome

    @on(OptionList.OptionSelected, "#outcome-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose(next(o for o in self.outcomes if o.code == event.option.id))

    @on(Input.Submitted, "#outcome-note")
    def _noted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#outcome-list", OptionList).focus()

    def choose(self, outcome: Outcome) -> None:
        """Save ``outcome``. Asked for twice: one that puts the customer on the do-not-call list for good, a wrong
        number that leaves them no number to call (they leave the queue: ``w`` is a key away from others), and one
        that says nobody answered when answers were typed (they are dropped: a stray key after the survey)."""
        if self._confirming is not None and time.monotonic() - self._asked_at < SETTLE_S:
            return  # a key bounced or typed on in the same burst is not an answer to the question just put
        if self._confirming != outcome.code:
            name = localize(outcome.label, self.language)
            if OutcomeFlag.DNC in outcome.flags:
                self._ask_again(
                    outcome,
                    _(FOR_GOOD),
                    outcome=name,
                    name=self._title,
                )
                return
            if OutcomeFlag.WRONG_NUMBER in outcome.flags and self._last_number is not None:
                self._ask_again(outcome, _(LAST_NUMBER), outcome=name, number=self._last_number, name=self._title)
                return
            if self._answered and OutcomeFlag.REACHED not in outcome.flags:
                self._ask_again(
                    outcome,
                    ngettext(
                        "[b $warning]$outcome[/] means nobody answered: the answer typed is dropped. "
                        "[b]$key[/b] again saves it.",
                        "[b $warning]$outcome[/] means nobody answered: the $n answers typed are dropped. "
                        "[b]$key[/b] again saves it.",
                        self._answered,
                    ),
                    outcome=name,
                    n=str(self._answered),
                )
                return
        self.dismiss(OutcomeChoice(outcome, self.note))

    def _ask_again(self, chosen: Outcome, markup: str, **values: str) -> None:
        self._confirming, self._asked_at = chosen.code, time.monotonic()
        confirm = self.query_one("#outcome-confirm", Static)
        confirm.display = True
        confirm.update(Content.from_markup(markup, key=chosen.hotkey or "Enter", **values))

    def action_cancel(self) -> None:
        self.dismiss(None)
