"""Messages the API and the OGC API both give: a value the database refused, and a request
that does not match the API's schema (pydantic's checks), in the caller's language."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import DataError

from app.errors import InvalidInput
from app.i18n.catalogue import translated


def unusable_value(error: DataError) -> InvalidInput:
    """PostgreSQL refused a value the request carried (a NUL character in text, a number out
    of range): the caller's input, said as such (the transaction is rolled back)."""
    reason = str(error.orig).splitlines()[0] if error.orig is not None else "invalid"
    return InvalidInput(code="request.unusable_value", params={"reason": reason})


def validation_problems(errors: list[Any], language: str) -> list[dict[str, Any]]:
    """pydantic's errors, each with the field at fault, a code, its params and the message in
    ``language``: the code is the error's own type when the model raised it with a code of
    the catalogues (a type with a dot), else ``validation.<pydantic's type>``; pydantic's
    English message where the catalogues have no such code."""
    problems = []
    for error in errors:
        field = ".".join(str(p) for p in error["loc"] if p not in ("body", "query", "path", 0))
        kind = str(error["type"])
        code = kind if "." in kind else f"validation.{kind}"
        params = {name: _plain(value) for name, value in (error.get("ctx") or {}).items()}
        message = translated(code, params, language, str(error["msg"]))
        problems.append(
            {"field": field or "body", "message": message, "code": code, "params": params}
        )
    return problems


def _plain(value: Any) -> Any:
    """A value of pydantic's context as JSON has it."""
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)
