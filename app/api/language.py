"""Each request is answered in the language its Accept-Language header asks for: an ASGI
middleware (no extra task per request) that sets the language for the request and says it in
Content-Language."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.security_headers import with_headers
from app.i18n.language import negotiated, set_language


class LanguageMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = next(
            (value for name, value in scope["headers"] if name == b"accept-language"), b""
        )
        language = negotiated(header.decode("latin-1"))
        set_language(language)
        said = with_headers(send, [(b"content-language", language.encode())])
        await self.app(scope, receive, said)
