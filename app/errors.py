"""Domain errors. Each maps to one HTTP status in one place (``STATUS_CODES``)."""

from __future__ import annotations

from typing import Any

from app.i18n.catalogue import API, DEFAULT_LANGUAGE, translated


class LandReleaseError(Exception):
    """Base of every error a user can cause; the message is written for that user.

    ``code`` is stable and machine-readable (clients act on it); with ``params`` it names the
    message in the catalogues of app/i18n, so the user reads it in their language. ``hint``
    is the code of what to do about it, said in the terms of where the user is: the API's and
    the command line's words are in the catalogues (``hint.crs``, ``hint.crs@cli``), a page
    maps the code to its own controls. ``message`` is the English text (from the English
    catalogue when not given), kept for logs and for languages whose catalogue lacks the code.
    """

    default_code = "error"

    def __init__(
        self,
        message: str | None = None,
        *,
        field: str | None = None,
        code: str | None = None,
        params: dict[str, Any] | None = None,
        hint: str | None = None,
    ) -> None:
        self.field = field
        self.code = code or self.default_code
        self.params = params or {}
        self.hint = hint
        self.message = message or translated(self.code, self.params, DEFAULT_LANGUAGE, self.code)
        super().__init__(self.message)

    def text(self, language: str, channel: str = API) -> str:
        """The message in ``language``, with its hint in the words of ``channel``."""
        told = translated(self.code, self.params, language, self.message)
        hint = self.hint_text(language, channel)
        if not hint:
            return told
        return translated("message.with_hint", {"message": told, "hint": hint}, language, told)

    def hint_text(self, language: str, channel: str = API) -> str | None:
        if self.hint is None:
            return None
        return translated(f"{self.hint}@{channel}", self.params, language, "") or translated(
            self.hint, self.params, language, ""
        )

    def as_message(self) -> dict[str, Any]:
        """The message as data (code, params, hint): kept in a report, or a param of another
        message, it is written in the reader's language when it is read."""
        told: dict[str, Any] = {"code": self.code, "params": self.params, "message": self.message}
        if self.hint:
            told["hint"] = self.hint
        return told

    def as_dict(self, language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        """The answer of the API: ``detail`` (the message and its hint, in the API's terms),
        ``message`` (without the hint, for clients that say it in their own terms), the code
        with its params, the hint's code, the field at fault and the error's class."""
        answer: dict[str, Any] = {
            "detail": self.text(language),
            "message": translated(self.code, self.params, language, self.message),
            "code": self.code,
            "params": self.params,
            "field": self.field,
            "error": type(self).__name__,
        }
        if self.hint:
            answer["hint"] = self.hint
        return answer


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
        message: str | None = None,
        *,
        code: str | None = None,
        params: dict[str, Any] | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, field=field, code=code, params=params, hint=hint)


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
        message: str | None = None,
        *,
        retry_after_s: int,
        code: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, params=params)
        self.retry_after_s = retry_after_s


class TooManyRequests(RetryLater):
    """A caller over its rate limit."""

    default_code = "request.rate_limited"


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
