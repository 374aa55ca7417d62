"""The kept land of hazards on new land, drawn on a connection of its own while the
recording goes on.

Hazards that meet no recorded fact (most of an import) have all their land in the pieces
written for them, so their kept land (``served_land``) needs nothing of the transaction that
writes it. It is worked out by the same SQL on a second connection, from those pieces sent
as values, while the import's own connection and the client go on with the batch (its COPY,
its replays, its other writes): PostgreSQL's snap-rounding runs on another core. The rows
come back and are written with COPY in the import's transaction. Where GEOS fails, or the
second connection cannot be had, the land is worked out in the transaction as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, cast

import psycopg
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from app.geo.polygons import as_multipolygon
from app.ledger.pieces import Piece
from app.ledger.scopes import NATIONAL
from app.ledger.states import LandState
from app.storage import bulk, served_land
from app.storage.sql import Clause
from app.storage.statistics import plan_for_batches

# Fewer hazards than this are drawn in the transaction: a thread and a second connection
# cost more than they save on a few (a hazard recorded through the API).
MIN_HAZARDS = 200

_REMAINING = (LandState.SHA, LandState.CHA)

# The pieces sent as values, as land-state rows ``s`` in the order they are written (the
# order their union and sums take in the land state). In binary: in text, the driver took
# 0.7 s of a 20 000-hazard import escaping the geometries.
_SENT_PIECES = """
    (SELECT t.hazard_id, ST_GeomFromEWKB(t.geom) AS geom, t.area_m2, t.state
       FROM unnest(CAST(%(ids)b AS integer[]), CAST(%(geoms)b AS bytea[]),
                   CAST(%(areas)b AS double precision[]), CAST(%(states)b AS text[]))
            WITH ORDINALITY AS t(hazard_id, geom, area_m2, state, ord)
      ORDER BY t.hazard_id, t.ord) s
"""

_COLUMNS = {
    "hazard_id": "int4",
    "land": "geometry",
    "sha_m2": "float8",
    "cha_m2": "float8",
    "drawable": "bool",
    "drawn_geojson": "text",
}


@dataclass
class DrawingAside:
    """Kept land being drawn on a connection of its own, for ``hazards``: every hazard some
    national piece sent holds a stint of (those whose kept land the pieces change)."""

    hazards: frozenset[int]
    _drawn: Future[list[tuple[Any, ...]] | None]
    _pool: ThreadPoolExecutor

    def write(self, conn: Connection, refreshed: AbstractSet[int]) -> None:
        """Write the kept land drawn, except that of hazards ``refreshed`` in the transaction
        since the pieces were written (what it holds now is newer)."""
        try:
            rows = self._drawn.result()
        finally:
            self._pool.shutdown()
        todo = self.hazards - refreshed
        if not todo:
            return
        if rows is None:
            served_land.refresh(conn, todo)
            return
        conn.execute(
            text("DELETE FROM hazard_land WHERE hazard_id = ANY(:ids)"), {"ids": sorted(todo)}
        )
        bulk.copy_rows(
            conn,
            "hazard_land",
            list(_COLUMNS),
            (row for row in rows if row[0] in todo),
            list(_COLUMNS.values()),
        )


def draw_aside(engine: Engine, scoped: Sequence[tuple[str, Piece]]) -> DrawingAside | None:
    """Start drawing the kept land of the hazards of ``scoped`` ((scope, piece) pairs about to
    be written, all the land of their hazards); None when there are too few to gain."""
    national = [piece for scope, piece in scoped if scope == NATIONAL]
    hazards = frozenset(s.hazard_id for piece in national for s in piece.stints)
    if len(hazards) < MIN_HAZARDS:
        return None
    remaining = [
        (stint, piece)
        for piece in national
        for stint in piece.stints
        if stint.until is None and stint.state in _REMAINING
    ]
    params = {
        "ids": [stint.hazard_id for stint, _ in remaining],
        "geoms": [
            bytes(g) for g in bulk.ewkb([as_multipolygon(piece.geometry) for _, piece in remaining])
        ],
        "areas": [piece.area_m2 for _, piece in remaining],
        "states": [stint.state.value for stint, _ in remaining],
    }
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="served-land")
    return DrawingAside(hazards, pool.submit(_drawn, engine, params), pool)


def _drawn(engine: Engine, params: dict[str, Any]) -> list[tuple[Any, ...]] | None:
    """The kept land of the pieces ``params``, as rows of ``hazard_land``; None when it could
    not be drawn here (GEOS failed on some land, or no connection)."""
    served = served_land.served_rows(
        _SENT_PIECES, Clause("TRUE", params), mended=False, land="ST_AsEWKB(a.land)"
    )
    try:
        with engine.connect() as aside:
            plan_for_batches(aside)
            raw = cast(psycopg.Connection, aside.connection.driver_connection)
            with raw.cursor(binary=True) as cursor:
                found = cursor.execute(served.sql, served.params).fetchall()
    except (SQLAlchemyError, psycopg.Error):
        return None
    return [
        (hazard_id, bulk.EWKB(land), sha_m2, cha_m2, drawable, geojson)
        for hazard_id, land, sha_m2, cha_m2, drawable, geojson in found
    ]
