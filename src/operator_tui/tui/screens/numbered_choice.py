"""A dialog that offers a short list, each entry chosen by its number (or the arrows and Enter): the pause reasons,
the number a wrong-number call reached."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from operator_tui.tui.i18n import N_, _
from operator_tui.tui.screens.dialog import Dialog

Choice = tuple[str, str]  # (id, label in the user's language)


class NumberedChoice(Dialog[Choice | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Back"), id="choice.cancel")]
    AUTO_FOCUS = ".choice-list"

    def __init__(self, title: str, choices: list[Choice], *, intro: str | None = None, name: str = "choice") -> None:
        super().__init__()
        self.title_text, self.choices, self.intro, self.part = title, choices, intro, name

    def compose(self) -> ComposeResult:
        with Vertical(id=f"{self.part}-box", classes="dialog") as box:
            box.border_title = self.title_text
            box.border_subtitle = _("a number chooses · Esc back")
            if self.intro:
                yield Static(self.intro, id=f"{self.part}-when", classes="choice-intro")
            yield OptionList(
                *(
                    Option(Content.from_markup("[b $accent]$n[/]  $label", n=str(n), label=label), id=key)
                    for n, (key, label) in enumerate(self.choices, 1)
                ),
                id=f"{self.part}-list",
                classes="choice-list",
            )

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            number = int(event.character)
            if 1 <= number <= len(self.choices):
                event.stop()
                self.dismiss(self.choices[number - 1])

    @on(OptionList.OptionSelected, ".choice-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(next(c for c in self.choices if c[0] == event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
