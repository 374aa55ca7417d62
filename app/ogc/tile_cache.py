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


def state_version(conn: Connection) -> tuple:
    """Changes whenever land-state rows or regions are written (both only ever gain rows
    or are replaced whole): the newest land-state row and the transaction that wrote it
    (ids alone could come again once the table is emptied and its numbering restarted)."""
    row = conn.execute(
        text(
            "SELECT (SELECT ARRAY[id::text, xmin::text] FROM land_state ORDER BY id DESC "
            "LIMIT 1), (SELECT ARRAY[count(*)::text, max(xmin::text)] FROM regions)"
        )
    ).one()
    return (tuple(row[0] or ()), tuple(row[1] or ()))


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
