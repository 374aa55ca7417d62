"""Stopping a request's database work when its client leaves.

Route handlers run in worker threads and never hear of a disconnect. This ASGI middleware
reads the request's body first (bodies are bounded: app.api.body_limits), hands it to the
application, and meanwhile listens on the connection: when the client goes away before the
answer is sent, the request's work is stopped (app.cancellation). Uploads, whose bodies are
streamed to disk rather than held, are not watched: they are authenticated writes, bounded by
their statement timeout.
"""

from __future__ import annotations

import asyncio
import threading

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.cancellation import begin_request

# Bodies up to this size are read before the application runs (a JSON body is read whole
# by the application anyway); larger ones are streamed to it and not watched.
WATCHED_BODY_BYTES = 16 * 1024 * 1024


class DisconnectWatch:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        work = begin_request()
        if not _watchable(scope):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # gone before the body arrived: nothing to answer
            messages.append(message)
            if not message.get("more_body", False):
                break
        gone = asyncio.Event()
        answered = False

        async def sending(message: Message) -> None:
            nonlocal answered
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                answered = True

        async def replayed() -> Message:
            if messages:
                return messages.pop(0)
            await gone.wait()
            return {"type": "http.disconnect"}

        async def listen() -> None:
            message = await receive()  # after the body, only a disconnect can come
            # Once the answer is sent the server says "disconnect" too: nothing to stop.
            if message["type"] == "http.disconnect" and not answered:
                gone.set()
                # Cancelling blocks for a round trip to the server: not on the event loop.
                threading.Thread(target=work.stop, daemon=True).start()

        # A bare task rather than a task group: this runs on every request, and a group's
        # cancel scope costs more than the request's own routing.
        listening = asyncio.ensure_future(listen())
        try:
            await self.app(scope, replayed, sending)
        finally:
            listening.cancel()


def _watchable(scope: Scope) -> bool:
    length = next((value for name, value in scope["headers"] if name == b"content-length"), None)
    if length is None:
        # No length: no body (a GET), unless it comes in chunks, which are streamed.
        return not any(name == b"transfer-encoding" for name, _ in scope["headers"])
    try:
        return int(length) <= WATCHED_BODY_BYTES
    except ValueError:
        return False
