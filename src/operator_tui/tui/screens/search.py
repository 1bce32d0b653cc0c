"""Find a customer for an inbound call, by phone (any way it is written) or by name, and open their card.

The search runs in a worker (index seeks, a page of 20 at most); the chosen customer is returned to the console,
which leases them and opens the same card and script as "next" does. The focus stays in the field, as in a
picker: ↑↓ move the highlight over the results, Enter opens the highlighted card while the text is the one searched
for and searches again once it was changed. (Moving the focus into the list made the first ↓, pressed to reach
the results, pass over the first of them.)
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from operator_tui.services import search
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.tui.fit import column, cut
from operator_tui.tui.i18n import N_, _, ngettext
from operator_tui.tui.messages import SearchDone
from operator_tui.tui.screens.dialog import Dialog
from operator_tui.tui.widgets.customer_card import pretty_phone
from operator_tui.tui.widgets.field import Field
from operator_tui.tui.workers import ReportsWorkerErrors

_MOVES = {
    "down": "action_cursor_down",
    "up": "action_cursor_up",
    "pagedown": "action_page_down",
    "pageup": "action_page_up",
}


NAME = 30  # cells a name may take before it is cut
WHERE = 12  # cells kept for where the customer is, when the room is short


def result_lines(found: list[search.Found], room: int) -> list[Content]:
    """One line per customer found, in columns: name, phone, stage, then where they are (or DO NOT CALL), cut to
    ``room`` cells (no cut while it is not known: 0), so that a long place never wraps under the next name."""
    stages = max((cell_len(f.stage) for f in found), default=0)
    phones = [pretty_phone(f.phone) for f in found]
    numbers = max((cell_len(p) for p in phones), default=0)
    names = min(NAME, max((cell_len(f.name) for f in found), default=0))
    if room:  # where they are keeps room for DO NOT CALL, whole: the names give way first
        where_room = max(WHERE, cell_len(_("DO NOT CALL")))
        names = max(8, min(names, room - numbers - stages - 6 - where_room))
    left = room - names - numbers - stages - 6 if room else 0  # two spaces between the columns
    lines = []
    for f, phone in zip(found, phones, strict=True):
        where = _("DO NOT CALL") if f.dnc else f.place
        if room:
            where = cut(where, max(left, 0)) if left > 1 else ""
        lines.append(
            Content.from_markup(
                "[b]$name[/b]  $phone  [dim]$stage[/dim]  " + ("[b $text-error]$where[/]" if f.dnc else "$where"),
                name=column(f.name, names),
                phone=column(phone, numbers),
                stage=column(f.stage, stages),
                where=where,
            ).rstrip()
        )
    return lines


class SearchScreen(ReportsWorkerErrors, Dialog[int | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Close"), id="search.close")]
    AUTO_FOCUS = "#search-input"

    def __init__(self, db: Database, actor: Actor) -> None:
        super().__init__()
        self.db = db
        self.actor = actor
        self._listed: str | None = None  # the text whose results the list shows

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box", classes="dialog") as box:
            box.border_title = _("Find a customer")
            box.border_subtitle = _("Enter searches, then opens · ↑↓ choose · Esc closes")
            yield Field(placeholder=_("phone, or a name: last and first, either first"), id="search-input")
            yield Static(_("Type at least two characters, then Enter."), id="search-message")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one("#search-results", OptionList).display = False

    @on(Input.Submitted, "#search-input")
    def _search(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        results = self.query_one("#search-results", OptionList)
        if text == self._listed and results.highlighted is not None:
            self._open_option(results.get_option_at_index(results.highlighted))
            return
        if len(text) < 2:
            self._say(_("Type at least two characters: digits of a phone, or the start of a last name."))
            return
        self._say(_("Searching…"))
        self._run(text)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _run(self, text: str) -> None:
        found = search.search(self.db, self.actor, text)
        if not get_current_worker().is_cancelled:
            self.post_message(SearchDone(text, found))

    def on_search_done(self, message: SearchDone) -> None:
        message.stop()
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        results.display = bool(message.found)
        self._listed = message.text if message.found else None
        if not message.found:
            self._say(
                _("Nobody found for {text}. Check the number, or try the last name.").format(text=repr(message.text))
            )
            return
        box = results.parent  # laid out, as the list itself may not be yet: its width less the list's padding and
        room = max(box.content_region.width - 4, 0) if isinstance(box, Widget) else 0  # a scroll bar
        for found, line in zip(message.found, result_lines(message.found, room), strict=True):
            results.add_option(Option(line, id=str(found.customer_id)))
        count = len(message.found)
        if count >= search.LIMIT:
            said = _(
                "The first {n} found; there may be more: type more to narrow it. Enter opens the highlighted card, "
                "↑↓ move."
            )
        else:
            said = ngettext(
                "{n} found: Enter opens the highlighted card, ↑↓ move.",
                "{n} found: Enter opens the highlighted card, ↑↓ move.",
                count,
            )
        self._say(said.format(n=count))
        results.highlighted = 0

    def on_key(self, event: events.Key) -> None:
        """In the field, ↑↓ (and the page keys) move over the results. Should a click have put the focus in the
        results, typing edits the search again (a wrong digit is common), and Up from the first result goes back
        to the field."""
        results = self.query_one("#search-results", OptionList)
        field = self.query_one("#search-input", Input)
        if field.has_focus:
            move = _MOVES.get(event.key)
            if move is not None and results.display:
                event.stop()
                getattr(results, move)()
            return
        if not results.has_focus:
            return
        if event.key == "backspace" or (event.is_printable and event.character):
            event.stop()
            field.focus()
            field.cursor_position = len(field.value)
            if event.key == "backspace":
                field.value = field.value[:-1]
            elif event.character:
                field.insert_text_at_cursor(event.character)
        elif event.key == "up" and not results.highlighted:
            event.stop()
            field.focus()

    @on(OptionList.OptionSelected, "#search-results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open_option(event.option)

    def _open_option(self, option: Option) -> None:
        assert option.id is not None
        self.dismiss(int(option.id))

    def _say(self, text: str) -> None:
        self.query_one("#search-message", Static).update(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
