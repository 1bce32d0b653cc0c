"""Text cut to the cells it may take on screen, with an ellipsis where it was cut (Cyrillic and wide characters
counted by their width, not their number)."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size


def cut(text: str, width: int) -> str:
    """``text`` if it fits in ``width`` cells, else its start and "…" in exactly ``width`` cells."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)) + "…"
