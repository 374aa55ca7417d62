"""The floor of a request on the servers' stack: an ASGI application that answers a fixed
JSON document, served by uvicorn as the others are (one worker, uvloop and httptools)."""


async def app(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b'{"conformsTo": []}'})
