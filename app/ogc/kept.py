"""What the OGC API works out once and keeps until the data changes: each collection's
extent (which also decides the UTM zones it offers), its temporal extent, and the number
of features a selection matches (``numberMatched``: counted on the first page a client
asks for, then kept for the pages that follow).

Every write adds rows or replaces the regions, so ``queries.data_version`` (a few index
lookups) says whether what was kept still holds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date
from typing import Any

from sqlalchemy import Connection

from app.ogc import queries
from app.ogc.collections import Collection
from app.ogc.crs import Crs

MAX_COUNTS = 1024

_lock = threading.Lock()
_version: str | None = None
_kept: OrderedDict[tuple, Any] = OrderedDict()


class DataChanged(Exception):
    """A page and its count were read from different data (a write came between them):
    they must be read again, in one snapshot."""


def _data_version(conn: Connection) -> str:
    """``queries.data_version``, read once per transaction (a read sees one state of the
    data throughout: what it keeps is looked up several times per request)."""
    transaction = conn.get_transaction()
    seen = conn.info.get("ogc_data_version")
    if seen is not None and seen[0] is transaction:
        return seen[1]
    version = queries.data_version(conn)
    conn.info["ogc_data_version"] = (transaction, version)
    return version


def _get(conn: Connection, key: tuple, compute: Any, version: str | None = None) -> Any:
    """The value kept under ``key`` for the current data (``version``: as a statement of
    this request read it), computed when there is none."""
    global _version
    if version is None:
        version = _data_version(conn)
    with _lock:
        if version != _version:
            _kept.clear()
            _version = version
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    value = compute()
    with _lock:
        if version == _version:
            _kept[key] = value
            while len(_kept) > MAX_COUNTS:
                _kept.popitem(last=False)
    return value


def extent(conn: Connection, collection: Collection) -> tuple[float, float, float, float] | None:
    # The land shown is today's: a new day may change it.
    key = ("extent", collection.id, date.today())
    return _get(conn, key, lambda: queries.extent(conn, collection))


def temporal_extent(conn: Connection, collection: Collection) -> tuple[Any, Any] | None:
    return _get(
        conn, ("temporal", collection.id), lambda: queries.temporal_extent(conn, collection)
    )


def count(
    conn: Connection,
    collection: Collection,
    selection: queries.Selection,
    crs: Crs,
    version: str | None = None,
) -> int:
    """``numberMatched`` of a selection; ``version``: of the data its page was read from
    (the count must be of the same: DataChanged when a write came between)."""
    key = ("count", collection.id, selection.key(), crs.srid, crs.decimals)

    def counted() -> int:
        found = queries.count(conn, collection, selection, crs)
        if version is not None and found.data_version != version:
            raise DataChanged
        return found.matched

    return int(_get(conn, key, counted, version))
