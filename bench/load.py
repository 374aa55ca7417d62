"""A lean HTTP/1.1 load client: keep-alive connections on raw asyncio streams.

A general client (httpx) spends about as much processor time per request as a lean server,
and on a 2-core machine it shares the cores with the servers it measures: measured against
a bare ASGI application it answers about 400 requests per second where this one reaches
thousands. Its own ceiling is what bench_ogc prints as the bare-ASGI floor.
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """Send one request, read its whole answer; its status."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n"))[:-2].split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def rate(base: str, paths: list[str], clients: int, seconds: float, headers: dict) -> float:
    """Requests per second that ``clients`` concurrent keep-alive clients get through in
    ``seconds``, each asking for ``paths`` in turn (client k starts at path k)."""
    parts = urlsplit(base)
    extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    requests = [
        f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n{extra}\r\n".encode() for path in paths
    ]
    done = 0
    failures: dict[int, int] = {}
    stop = time.perf_counter() + seconds

    async def client(offset: int) -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port, limit=2**24)
        i = offset
        try:
            while time.perf_counter() < stop:
                status = await _get(reader, writer, requests[i % len(requests)])
                i += clients
                if status in (200, 204):
                    done += 1
                else:
                    failures[status] = failures.get(status, 0) + 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    if failures:
        print(f"    (failed requests at {base}{paths[0]}, by status: {failures})")
    return done / (time.perf_counter() - started)
