"""Bodies of requests, bounded before they are read.

A body larger than its limit is refused (413) from its Content-Length alone, and a body that
comes without one, or lies about it, is counted as it arrives: reading stops at the limit,
nothing more is taken in or written to disk. Uploads of field files may be large, but only
for callers allowed to send them: their authentication is checked from the headers before a
byte of the body is read, so an anonymous 2 GiB upload costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

import anyio
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.failures import FAILURES, unavailable
from app.api.security import check, principal_of
from app.auth.policy import Action
from app.db import engine
from app.errors import LandReleaseError, TooLarge, headers_for, status_code_for
from app.i18n.language import current_language
from app.settings import import_settings, input_settings

# Room for the form's other fields and the multipart boundaries around an uploaded file.
MULTIPART_MARGIN = 1024 * 1024


class BodyLimits:
    def __init__(self, app: ASGIApp, uploads: Mapping[tuple[str, str], Action]) -> None:
        """``uploads``: the (method, path) of each route taking a file, and its action."""
        self.app = app
        self.uploads = uploads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        action = self.uploads.get((scope["method"], scope["path"]))
        if action is None and _bodiless(scope):
            await self.app(scope, receive, send)  # nothing to bound (most GETs)
            return
        if action is None:
            limit = input_settings().max_body_bytes
        else:
            limit = import_settings().max_upload_bytes + MULTIPART_MARGIN
        refused = None
        if action is not None:  # who sends comes first: a stranger learns no limit
            refused = await anyio.to_thread.run_sync(_refused_uploader, scope, action)
        refused = refused or _declared_too_large(scope, limit)
        if refused is not None:
            await _answer(refused, scope, send)
            return
        await self._bounded(scope, receive, send, limit)

    async def _bounded(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received = 0
        exceeded = False

        async def counted() -> Message:
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Stop here: the application sees the client gone, and answers 413.
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        answered = False

        async def replaced(message: Message) -> None:
            nonlocal answered
            if exceeded:
                if not answered:
                    answered = True
                    await _answer(_too_large(limit), scope, send)
                return
            await send(message)

        try:
            await self.app(scope, counted, replaced)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not answered:
            await _answer(_too_large(limit), scope, send)


def _bodiless(scope: Scope) -> bool:
    """No body comes: no length, none in chunks."""
    framing = (b"content-length", b"transfer-encoding")
    return not any(name in framing for name, _ in scope["headers"])


def _declared_too_large(scope: Scope, limit: int) -> LandReleaseError | None:
    length = next((v for k, v in scope["headers"] if k == b"content-length"), None)
    if length is not None and length.isdigit() and int(length) > limit:
        return _too_large(limit)
    return None


def _too_large(limit: int) -> TooLarge:
    return TooLarge(
        field="body",
        code="request.too_large",
        params={"max": limit},
    )


def _refused_uploader(scope: Scope, action: Action) -> LandReleaseError | None:
    """Why the caller may not upload here (None: it may), from its headers alone."""
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
    client = scope.get("client")
    try:
        with engine().connect() as conn:
            principal = principal_of(
                conn, headers.get("authorization"), client[0] if client else None
            )
        check(principal, action)
    except LandReleaseError as error:
        return error
    except FAILURES as error:
        return unavailable(error)
    return None


async def _answer(error: LandReleaseError, scope: Scope, send: Send) -> None:
    response = JSONResponse(
        error.as_dict(current_language()),
        status_code=status_code_for(error),
        headers={**(headers_for(error) or {}), "Connection": "close"},
    )
    await response(scope, _nothing, send)


async def _nothing() -> Message:
    return {"type": "http.disconnect"}
