"""Domain errors. Each maps to one HTTP status in one place (``STATUS_CODES``)."""

from __future__ import annotations

from typing import Any

from app.i18n.catalogue import DEFAULT_LANGUAGE, translated


class LandReleaseError(Exception):
    """Base of every error a user can cause; the message is written for that user.

    ``code`` is stable and machine-readable (clients act on it); with ``params`` it names the
    message in the catalogues of app/i18n, so the user reads it in their language. ``message``
    is the English text, kept for logs and for languages whose catalogue lacks the code.
    """

    default_code = "error"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code or self.default_code
        self.params = params or {}

    def text(self, language: str) -> str:
        """The message in ``language``."""
        return translated(self.code, self.params, language, self.message)

    def as_dict(self, language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        return {
            "detail": self.text(language),
            "code": self.code,
            "field": self.field,
            "error": type(self).__name__,
        }


class NotFound(LandReleaseError):
    default_code = "not_found"


class Conflict(LandReleaseError):
    default_code = "conflict"


class InvalidInput(LandReleaseError):
    default_code = "invalid_input"


class InvalidGeometry(InvalidInput):
    default_code = "invalid_geometry"

    def __init__(
        self,
        field: str,
        message: str,
        *,
        code: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, field=field, code=code, params=params)


class NoEffect(InvalidInput):
    """A fact that would change no land at all."""

    default_code = "no_effect"


class TooLarge(LandReleaseError):
    """An upload beyond the configured limit."""

    default_code = "too_large"


class Unauthenticated(LandReleaseError):
    """No valid token where one is needed, or a token that is not valid."""

    default_code = "unauthenticated"


class Forbidden(LandReleaseError):
    """A valid caller whose role or organisation may not do this."""

    default_code = "forbidden"


class RetryLater(LandReleaseError):
    """A request to come back after ``retry_after_s`` seconds (the Retry-After header)."""

    def __init__(
        self,
        message: str,
        *,
        retry_after_s: int,
        code: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, params=params)
        self.retry_after_s = retry_after_s


class TooManyRequests(RetryLater):
    """A caller over its rate limit."""

    default_code = "rate_limited"


class ServiceUnavailable(RetryLater):
    """The database is away or busy: nothing is wrong with the request."""

    default_code = "service.unavailable"


STATUS_CODES: dict[type[LandReleaseError], int] = {
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    InvalidInput: 422,
    TooManyRequests: 429,
    ServiceUnavailable: 503,
    LandReleaseError: 400,
}


def status_code_for(error: LandReleaseError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_CODES:
            return STATUS_CODES[cls]
    return 400


def headers_for(error: LandReleaseError) -> dict[str, str] | None:
    """The headers an error's answer carries: how to authenticate, when to come back."""
    if status_code_for(error) == 401:
        return {"WWW-Authenticate": "Bearer"}
    if isinstance(error, RetryLater):
        return {"Retry-After": str(error.retry_after_s)}
    return None
