"""The message for a value the database refused, which the API and the OGC API both give."""

from __future__ import annotations

from sqlalchemy.exc import DataError


def unusable_value(error: DataError) -> str:
    """PostgreSQL refused a value the request carried (a NUL character in text, a number out
    of range): the caller's input, said as such (the transaction is rolled back)."""
    reason = str(error.orig).splitlines()[0] if error.orig is not None else "invalid"
    return f"a value in the request cannot be used: {reason}"
