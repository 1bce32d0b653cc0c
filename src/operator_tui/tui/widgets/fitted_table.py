"""A table whose columns fit the width it has: at 120 columns every column at its widest, narrower the columns
that can give way (names, mostly) shrink in turn, so every column stays on screen, cut with an ellipsis, instead
of the table scrolling sideways with the last columns out of sight.

The table says when its size changed (``Resized``, with the cells the columns have); its screen asks
``fitted_widths`` for the widths and lays the columns and rows out again when they changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import events
from textual.message import Message
from textual.widgets import DataTable

Column = tuple[str, str, int]
"""(key, header in English, widest cells)."""


def fitted_widths(columns: Sequence[Column], narrowest: Mapping[str, int], room: int) -> dict[str, int]:
    """Column widths for a table ``room`` cells wide (a cell's padding of 2 included): each column at its widest,
    then, as long as they do not fit, those in ``narrowest`` shrink in its order, each down to its narrowest. With
    room to spare, those same columns (the names, which are the ones cut) share it, so no name is cut beside empty
    cells."""
    widths = {key: width for key, _header, width in columns}
    over = sum(widths.values()) + 2 * len(widths) - room
    if over < 0 and narrowest:
        share, extra = divmod(-over, len(narrowest))
        for index, key in enumerate(narrowest):
            widths[key] += share + (index < extra)
        return widths
    for key, least in narrowest.items():
        if over <= 0:
            break
        give = min(over, widths[key] - least)
        widths[key] -= give
        over -= give
    return widths


class FittedTable(DataTable[object]):
    class Resized(Message):
        """The table has a new size: its screen fits the columns to it."""

        def __init__(self, room: int) -> None:
            super().__init__()
            self.room = room  # cells for the columns, the scroll bar left out

    def on_resize(self, event: events.Resize) -> None:
        # The event's size is the new one, border included (the regions may still be the old ones); the vertical
        # scroll bar's room is kept whether it shows or not, so rows that come and go never move the columns.
        room = event.size.width - self.styles.gutter.width - self.styles.scrollbar_size_vertical
        self.post_message(self.Resized(room))
