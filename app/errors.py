"""Domain errors. Each maps to one HTTP status in one place (``STATUS_CODES``)."""

from __future__ import annotations


class LandReleaseError(Exception):
    """Base of every error a user can cause; the message is written for that user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"detail": self.message, "field": self.field, "error": type(self).__name__}


class NotFound(LandReleaseError):
    pass


class Conflict(LandReleaseError):
    pass


class InvalidInput(LandReleaseError):
    pass


class InvalidGeometry(InvalidInput):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


class NoEffect(InvalidInput):
    """A fact that would change no land at all."""


class TooLarge(LandReleaseError):
    """An upload beyond the configured limit."""


class Unauthenticated(LandReleaseError):
    """No valid token where one is needed, or a token that is not valid."""


class Forbidden(LandReleaseError):
    """A valid caller whose role or organisation may not do this."""


STATUS_CODES: dict[type[LandReleaseError], int] = {
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    InvalidInput: 422,
    LandReleaseError: 400,
}


def status_code_for(error: LandReleaseError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_CODES:
            return STATUS_CODES[cls]
    return 400
