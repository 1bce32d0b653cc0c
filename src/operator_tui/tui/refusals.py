"""A service's refusal in the interface's language: the service sends its English template and the facts put in
it (``ServiceError.said``); here the template is translated and the same facts are put in again."""

from __future__ import annotations

from operator_tui.services.errors import ServiceError
from operator_tui.tui.i18n import _


def worded(error: ServiceError) -> str:
    """The refusal as the user should read it, as a sentence (the services write theirs in lower case, to go after
    "error: " on the command line); a message raised without a template as it is."""
    text = str(error) if error.template is None else _(error.template).format(**error.facts)
    return text[:1].upper() + text[1:]
