"""F1: every key of the screen underneath and of the app, with the binding ids a keymap file can remap."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from operator_tui.tui.i18n import N_, _
from operator_tui.tui.keymap import keymap_path, latin
from operator_tui.tui.screens.dialog import Dialog

THIS_SCREEN, EVERYWHERE = N_("This screen"), N_("Everywhere")
TEXTUAL_KEYS = (N_("Focus Next"), N_("Focus Previous"), N_("Copy selected text"))
"""Textual's own keys the help lists: their descriptions come in English from Textual, and are translated here."""


@dataclass(frozen=True)
class KeyRow:
    where: str  # THIS_SCREEN or EVERYWHERE
    keys: str
    description: str  # in the interface language
    binding_id: str


def key_rows(screen: Screen[object]) -> list[KeyRow]:
    """The keys that work on ``screen`` now (after the user's keymap): the screen's and its widgets', then the app's.

    Textual's own keys (Tab, Shift+Tab, copy) have no id and work on every screen: they come last.
    """
    grouped: dict[tuple[str, str], tuple[list[tuple[str, str]], Binding]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if active.node is not screen and active.node is not screen.app and not binding.id:
            continue  # the focused widget's own editing keys (ours, like the script runner's, have ids)
        if binding.system or not binding.description:
            continue
        where = THIS_SCREEN if active.node is not screen.app and binding.id else EVERYWHERE
        keys, _binding = grouped.setdefault((where, binding.id or binding.action), ([], binding))
        keys.append((binding.key, screen.app.get_key_display(binding)))
    rows = [  # a key's tooltip, where it has one, says in full what its short label on the key bar stands for
        KeyRow(
            where, ", ".join(_without_layout_twins(keys)), _(binding.tooltip or binding.description), binding.id or ""
        )
        for (where, _action), (keys, binding) in grouped.items()
    ]
    return sorted(rows, key=lambda row: (row.where != THIS_SCREEN, not row.binding_id))


def _without_layout_twins(keys: list[tuple[str, str]]) -> list[str]:
    """The keys' displays, leaving out a Russian letter added beside its Latin key (tui.keymap.in_both_layouts):
    the help's note says once that letter keys work in both layouts."""
    names = {key for key, _display in keys}
    return [display for key, display in keys if latin(key) == key or latin(key) not in names]


class HelpScreen(Dialog[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1,q", "dismiss", N_("Close"), id="help.close")]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self._title = screen.sub_title or screen.app.title
        self._rows = key_rows(screen)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box") as box:
            box.border_title = _("Keys · {screen}").format(screen=self._title)
            box.border_subtitle = _("Escape closes")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(
                Content.from_markup(
                    _(
                        "Remap any key with an id in [b]$path[/b], one [i]id: keys[/i] per line, "
                        "e.g. [b]operator.next: space[/b]. Letter keys work in the Russian layout too."
                    ),
                    path=str(keymap_path()),
                ),
                id="help-keymap",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("Key"), _("What it does"), _("Where"), _("Id"))
        table.add_rows((row.keys, row.description, _(row.where), row.binding_id) for row in self._rows)
