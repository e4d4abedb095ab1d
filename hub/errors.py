"""One root error type with a machine-readable code (sent to clients as extensions.code)."""

from __future__ import annotations

from typing import Any


class HubError(Exception):
    """An expected failure a client can act on. ``code`` is stable; ``message`` is for people."""

    code = "HUB_ERROR"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.details = details

    @property
    def extensions(self) -> dict[str, Any]:
        """Read by graphql-core into the error's ``extensions``."""
        return {"code": self.code, **self.details}


class InvalidInput(HubError):
    code = "BAD_USER_INPUT"


class InvalidUscc(InvalidInput):
    code = "INVALID_USCC"


class InvalidIdNumber(InvalidInput):
    code = "INVALID_ID_NUMBER"


class NotFound(HubError):
    code = "NOT_FOUND"


class Forbidden(HubError):
    code = "FORBIDDEN"


class Unauthenticated(HubError):
    code = "UNAUTHENTICATED"


class Conflict(HubError):
    code = "CONFLICT"


class StoreUnavailable(HubError):
    code = "STORE_UNAVAILABLE"


class StoreTimeout(HubError):
    code = "TIMEOUT"


class LimitExceeded(HubError):
    code = "LIMIT_EXCEEDED"


class RateLimited(HubError):
    """Too many requests (or lookups) for now: HTTP 429 with Retry-After."""

    code = "RATE_LIMITED"
