"""Text cut to the cells it may take on screen, with an ellipsis where it was cut (Cyrillic and wide characters
counted by their width, not their number)."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.content import Content

QUESTION_ROOM = 44  # a question beside its answer, when the width of the line is not known yet


def cut(text: str, width: int) -> str:
    """``text`` if it fits in ``width`` cells, else its start and "…" in exactly ``width`` cells."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)) + "…"


def column(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: cut (:func:`cut`) or padded with spaces, for text laid out in columns."""
    text = cut(text, width)
    return text + " " * (width - cell_len(text))


def beside(answer: str, question: str, *, indent: int, width: int | None) -> Content:
    """An answer in bold and its question after it, cut to what ``width`` leaves (the answer alone when that is too
    little), so that a cut question never wraps a word onto a line of its own."""
    room = QUESTION_ROOM if width is None else width - indent - cell_len(answer) - 2
    line = Content.from_markup(" " * indent + "[b]$a[/b]", a=answer)
    if room >= 8:
        line += Content.from_markup("  [dim]$q[/dim]", q=cut(question, room))
    return line


def hang(text: str, indent: int, width: int | None) -> list[str]:
    """``text`` in lines that fit ``width`` cells, each after ``indent`` spaces, so that a wrapped line keeps its
    indent (the terminal's own wrapping would start it at the frame). One line when the width is not known yet."""
    pad = " " * indent
    room = None if width is None else width - indent
    if room is None or room < 12:
        return [pad + text]
    lines: list[str] = []
    line = ""
    for word in _pieces(text.split(), room):
        if line and cell_len(line) + 1 + cell_len(word) > room:
            lines.append(pad + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, pad + line]


def hang_content(content: Content, indent: int, width: int | None) -> list[Content]:
    """:func:`hang` for styled text: ``content`` wrapped to fit ``width`` cells after ``indent`` spaces, each line
    indented alike. One line when the width is not known yet."""
    pad = Content(" " * indent)
    room = None if width is None else width - indent
    if room is None or room < 12:
        return [pad + content]
    return [pad + line.rstrip() for line in content.wrap(room)]


def hang_after(head: Content, text: str, indent: int, width: int | None) -> list[Content]:
    """``head`` (a label or a mark, ``indent`` cells wide) with ``text`` after it, the lines the text wraps to
    under the text's own start (:func:`hang`)."""
    first, *more = hang(text, indent, width)
    return [head + Content(first[indent:]), *map(Content, more)]


def _pieces(words: list[str], room: int) -> list[str]:
    """The words, with any longer than ``room`` (a recording's path, a link) cut into pieces that fit."""
    pieces: list[str] = []
    for word in words:
        while cell_len(word) > room:
            head = word[:room]
            while cell_len(head) > room:  # wide characters take two cells
                head = head[:-1]
            pieces.append(head)
            word = word[len(head) :]
        pieces.append(word)
    return pieces
