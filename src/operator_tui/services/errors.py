"""Errors a service raises on purpose; each message is written to be shown to the user as it is."""

from __future__ import annotations

from datetime import datetime


class ServiceError(Exception):
    """A refusal with a clear message; nothing was changed."""


class NotAllowed(ServiceError):
    """The actor's role does not permit this."""


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
    message ride along, so a front end can say it in the user's language: ``missing`` (no user or no PIN given)
    and ``left`` (wrong PINs still allowed before the lock-out, when the user exists)."""

    def __init__(self, message: str, *, missing: bool = False, left: int | None = None) -> None:
        super().__init__(message)
        self.missing = missing
        self.left = left


class AccountLocked(AuthFailed):
    """Too many wrong PINs: locked ``until`` (UTC)."""

    def __init__(self, message: str, *, until: datetime) -> None:
        super().__init__(message)
        self.until = until
