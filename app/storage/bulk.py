"""Writing many rows at once with COPY: the fastest way into PostgreSQL from Python.

Rows with geometries go in binary form: geometries travel as EWKB bytes, which PostGIS reads
without the hex encoding and decoding of the text form.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast

import numpy as np
import psycopg
import shapely
from psycopg.adapt import Dumper
from psycopg.pq import Format
from psycopg.types import TypeInfo
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection


class EWKB(bytes):
    """A geometry as extended WKB (with its SRID), for a geometry column."""


def copy_rows(
    conn: Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[tuple],
    types: Sequence[str] | None = None,
) -> int:
    """COPY ``rows`` (tuples in the order of ``columns``) into ``table``; the count written.

    With ``types`` (the PostgreSQL type of each column) the rows go in binary form.
    """
    count = 0
    # The engine's driver is psycopg 3 (a postgresql+psycopg URL).
    raw = cast(psycopg.Connection, conn.connection.driver_connection)
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    if types is not None:
        statement += " (FORMAT BINARY)"
        if "geometry" in types:
            _know_geometry(raw)
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        if types is not None:
            copy.set_types(list(types))
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def ewkb(geometries: Sequence[BaseGeometry]) -> list[EWKB]:
    """Geometries in lon/lat as EWKB with SRID 4326."""
    array = np.empty(len(geometries), dtype=object)
    array[:] = geometries
    return [EWKB(b) for b in shapely.to_wkb(shapely.set_srid(array, 4326), include_srid=True)]


def _know_geometry(raw: psycopg.Connection) -> None:
    """Teach this connection PostGIS's geometry type, written as EWKB in binary COPY."""
    if raw.adapters.types.get("geometry") is not None:
        return
    info = TypeInfo.fetch(raw, "geometry")
    if info is None:
        raise RuntimeError("PostGIS is not installed in this database")
    info.register(raw)
    geometry_oid = info.oid

    class GeometryDumper(Dumper):
        format = Format.BINARY
        oid = geometry_oid

        def dump(self, obj: EWKB) -> bytes:
            return obj

    raw.adapters.register_dumper(EWKB, GeometryDumper)
