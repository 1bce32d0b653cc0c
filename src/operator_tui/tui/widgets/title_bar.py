"""The title line at the top of every screen: the app's name and the screen's sub-title, as Textual's ``Header``
shows them, without its leak.

``Header`` watches the *app's* title to redraw itself; Textual drops such a watch only when the watched value
changes, which the app's title never does, so every closed screen stayed in memory through its header: about a
megabyte per call (the call screen is made anew for each customer), found with ``operator-tui bench ui`` and a
count of live widgets. This bar reads the app's title once and watches only its own screen, which it dies with.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class TitleBar(Static):
    """``operator-tui — Operator``, centred, on one line."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        content-align: center middle;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def on_mount(self) -> None:
        self.watch(self.screen, "sub_title", self._show)

    def _show(self) -> None:
        title, sub_title = self.app.title, self.screen.sub_title
        self.update(Content.assemble(title, (f" — {sub_title}", "$text-muted")) if sub_title else Content(title))
