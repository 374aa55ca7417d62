"""Vector tiles kept in memory until the land state changes.

A tile depends only on its collection, its address, the date shown and the stored land
state; every write to the land state adds rows, so the highest row id says whether a kept
tile is still the answer. A national map at low zoom is asked for the same few tiles by
every user: they are built once per change of the ledger.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from sqlalchemy import Connection, text

MAX_BYTES = 64 * 1024 * 1024

_lock = threading.Lock()
_tiles: OrderedDict[tuple, bytes] = OrderedDict()
_size = 0


def state_version(conn: Connection) -> tuple[int, int]:
    """Changes whenever land-state rows or regions are written (both only ever gain rows
    or are replaced whole)."""
    row = conn.execute(
        text("SELECT coalesce((SELECT max(id) FROM land_state), 0), (SELECT count(*) FROM regions)")
    ).one()
    return (int(row[0]), int(row[1]))


def etag(key: tuple) -> str:
    return '"' + hashlib.sha256(repr(key).encode()).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an If-None-Match header names ``tag``: by the weak comparison RFC 9110 asks
    for (a proxy that compresses marks tags weak, W/"..."), in a list, or as "*"."""
    if not if_none_match:
        return False
    named = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in named or tag in named


def get(key: tuple) -> bytes | None:
    with _lock:
        found = _tiles.get(key)
        if found is not None:
            _tiles.move_to_end(key)
        return found


def put(key: tuple, tile: bytes) -> None:
    global _size
    with _lock:
        if key in _tiles:
            return
        _tiles[key] = tile
        _size += len(tile)
        while _size > MAX_BYTES and _tiles:
            _, dropped = _tiles.popitem(last=False)
            _size -= len(dropped)
