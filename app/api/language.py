"""Each request is answered in the language its Accept-Language header asks for: an ASGI
middleware (no extra task per request) that sets the language for the request and says it in
Content-Language."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

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

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name == b"content-language" for name, _ in headers):
                    headers.append((b"content-language", language.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_language)
