"""Errors a service raises on purpose; each message is written to be shown to the user as it is."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal with a clear message; nothing was changed."""


class NotAllowed(ServiceError):
    """The actor's role does not permit this."""


class NotFound(ServiceError):
    pass


class InvalidInput(ServiceError):
    """Input that cannot be accepted; ``problems`` lists each one when there are several."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = problems or []
        super().__init__(message)


class AuthFailed(ServiceError):
    """Unknown user or wrong PIN (deliberately the same message, so logins cannot be probed)."""


class AccountLocked(AuthFailed):
    pass
