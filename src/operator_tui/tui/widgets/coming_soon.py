"""A framed panel that names what a part of a screen will hold, until the release that fills it."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from operator_tui.tui.i18n import _


def coming(what: str, commands: tuple[str, ...]) -> Content:
    """``what`` the panel will hold, and where to do it until then: the ``commands`` of ``operator-tui`` that do it
    from a shell."""
    lines = [
        Content(what),
        Content(""),
        Content.styled(_("On this screen soon; today from a shell, with operator-tui:"), "dim"),
    ]
    lines += [Content.styled(f"  {command}", "bold") for command in commands]
    return Content("\n").join(lines)


class ComingSoon(Static):
    """A titled panel with a short text; screens replace it with the real widget when it exists."""

    def __init__(self, title: str, text: str | Content, *, id: str | None = None) -> None:
        super().__init__(text, id=id)
        self.border_title = title
