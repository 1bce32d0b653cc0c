"""A past answer as stored (services.cards / qa_reviews give option labels already) in the interface's language:
the one stored word that is the interface's own, yes or no."""

from __future__ import annotations

from operator_tui.tui.i18n import _


def said_answer(stored: str) -> str:
    """``yes`` / ``no`` (how a yes/no answer is stored) in the interface's language; anything else as it is."""
    return {"yes": _("yes"), "no": _("no")}.get(stored, stored)
