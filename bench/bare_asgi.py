"""The floors of a request on the servers' stack, served by uvicorn as the others are (one
worker, uvloop and httptools): a fixed JSON document (``/``), and the same plus one indexed
query on an async connection of its own (``/item/{reference}``: a hazard's kept land as
GeoJSON text, the least an item by id can cost in Python)."""

import asyncio
import os

import psycopg

HELLO = b'{"conformsTo": []}'
ITEM = """
    SELECT json_build_object('type', 'Feature', 'id', h.reference,
                             'geometry', k.drawn_geojson::json)::text
      FROM hazards h JOIN hazard_land k ON k.hazard_id = h.id
     WHERE h.reference = %s
"""
_idle: asyncio.Queue[psycopg.AsyncConnection] | None = None


async def _feature(reference: str) -> bytes | None:
    """The feature's GeoJSON text, on one of 8 connections opened on first use."""
    global _idle
    if _idle is None:
        _idle = asyncio.Queue()
        for _ in range(8):
            connection = await psycopg.AsyncConnection.connect(os.environ["BARE_DSN"])
            await connection.set_autocommit(True)
            _idle.put_nowait(connection)
    conn = await _idle.get()
    try:
        row = await (await conn.execute(ITEM, (reference,))).fetchone()
    finally:
        _idle.put_nowait(conn)
    return None if row is None else row[0].encode()


async def app(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    body: bytes | None = HELLO
    if scope["path"].startswith("/item/"):
        body = await _feature(scope["path"].removeprefix("/item/"))
    headers = [(b"content-type", b"application/json")]
    status = 200 if body is not None else 404
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body or b""})
