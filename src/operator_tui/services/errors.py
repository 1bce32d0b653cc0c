"""Errors a service raises on purpose; each message is written to be shown to the user as it is.

A message a user of the TUI may meet is raised with ``said``: the English template and the facts put in it travel
with the error, and a front end that speaks another language translates the template and fills in the same facts
(tui.refusals). The templates are extracted for translation from the calls to ``said`` (tests/tui/test_catalogue.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self


class ServiceError(Exception):
    """A refusal with a clear message; nothing was changed. ``template`` and ``facts``: see the module's docstring
    (None and empty for a message not meant for the TUI, such as a command line's)."""

    template: str | None = None
    facts: dict[str, Any] = {}  # replaced by said(), never changed in place

    @classmethod
    def said(cls, template: str, /, **facts: Any) -> Self:
        """The error whose message is ``template`` with ``facts`` put in (``str.format`` fields)."""
        error = cls(template.format(**facts))
        error.template, error.facts = template, facts
        return error


class NotAllowed(ServiceError):
    """The actor's role does not permit this."""


class AccountDeactivated(NotAllowed):
    """The actor's account was deactivated after they signed in: the front end signs them out."""

    @classmethod
    def refusal(cls) -> AccountDeactivated:
        return cls.said("your account was deactivated: ask an admin")


class NotFound(ServiceError):
    pass


class InvalidInput(ServiceError):
    """Input that cannot be accepted; ``problems`` lists each one when there are several, and ``unanswered`` names
    required questions left without an answer (for a front end to send the user back to them)."""

    def __init__(self, message: str, problems: list[str] | None = None, unanswered: list[str] | None = None):
        self.problems = problems or []
        self.unanswered = unanswered or []
        super().__init__(message)


class AuthFailed(ServiceError):
    """Unknown user or wrong PIN (deliberately the same message, so logins cannot be probed). The facts behind the
    message ride along, so a front end can say it in the user's language: ``missing`` (no user or no PIN given)."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


class AccountLocked(AuthFailed):
    """Too many wrong PINs: locked ``until`` (UTC)."""

    def __init__(self, message: str, *, until: datetime) -> None:
        super().__init__(message)
        self.until = until
