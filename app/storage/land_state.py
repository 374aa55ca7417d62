"""The stored land state: one row per stint of a piece of land, in the national scope and in
each contamination type's. Rows are written in bulk and retired (``known_until``) rather
than deleted, so the land state as it stood at any past moment can still be read.

Every write here ends by working out again the land the OGC API serves for each hazard whose
national land it changed (app.storage.served_land), in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.geo.polygons import as_multipolygon
from app.ledger.pieces import Piece, Stint
from app.ledger.scopes import NATIONAL
from app.ledger.states import LandState, LedgerKey
from app.storage import bulk, served_land
from app.storage.conditions import known
from app.storage.sql import merged, numbered_boxes
from app.storage.statistics import analyse

_NOW = known("s").sql

StoredRow = tuple[int, str, int, BaseGeometry, float, str | None, Stint]


def rows_overlapping(
    conn: Connection,
    scopes: Sequence[str],
    polygons: Sequence[BaseGeometry],
    changed_by: Sequence[Sequence[int]] = (),
) -> list[StoredRow]:
    """Current land-state rows whose land overlaps or touches one of ``polygons``, or that a
    fact of ``changed_by[i]`` (sequence numbers, per polygon) started or ended: (polygon
    index, scope, row id, geometry, area, administrative region code, stint); a row may
    come once per polygon. Every row of a piece comes with it.

    The database finds the rows whose boxes meet each polygon's and sends each row once;
    whether its land meets the polygon itself is decided here, in one call over every pair.
    """
    found: list[StoredRow] = []
    if polygons:
        shapes = np.empty(len(polygons), dtype=object)
        shapes[:] = polygons
        boxes = numbered_boxes(shapely.bounds(shapes))
        rows = conn.execute(
            text(
                f"""
                {boxes.sql}
                SELECT array_agg(b.i), {_ROW_COLUMNS}
                  FROM b JOIN land_state s ON s.geom && b.box
                 WHERE s.scope = ANY(:scopes) AND {_NOW}
                 GROUP BY s.id
                """
            ),
            merged(boxes.params, {"scopes": list(scopes)}),
        ).all()
        stored = [_stored_row(-1, row[1:]) for row in rows]
        pairs = [(i, n) for n, row in enumerate(rows) for i in row[0]]
        if pairs:
            left, right = np.array(pairs).T
            geometries = np.empty(len(stored), dtype=object)
            geometries[:] = [row[3] for row in stored]
            meets = shapely.intersects(shapes[left], geometries[right])
            found.extend(
                (i, *stored[n][1:])
                for i, n in sorted(zip(left[meets].tolist(), right[meets].tolist(), strict=True))
            )
    seqs = [(i, seq) for i, chosen in enumerate(changed_by) for seq in chosen]
    if seqs:
        found.extend(_rows_of_pieces_changed_by(conn, scopes, seqs))
    return found


def _rows_of_pieces_changed_by(
    conn: Connection, scopes: Sequence[str], seqs: list[tuple[int, int]]
) -> list[StoredRow]:
    """Every current row of the pieces that a fact of ``seqs`` ((polygon index, sequence
    number) pairs) started or ended, listed with that polygon index."""
    rows = conn.execute(
        text(
            f"""
            WITH changed AS (
                SELECT DISTINCT c.i, s.scope, s.geom
                  FROM unnest(CAST(:seq_polygon AS int[]), CAST(:seqs AS bigint[])) AS c(i, seq)
                  JOIN land_state s ON s.since_seq = c.seq
                 WHERE s.scope = ANY(:scopes) AND {_NOW}
            )
            SELECT c.i, {_ROW_COLUMNS}
              FROM changed c JOIN land_state s
                ON s.geom && c.geom AND s.geom = c.geom AND s.scope = c.scope
             WHERE {_NOW}
            """
        ),
        {
            "scopes": list(scopes),
            "seq_polygon": [i for i, _ in seqs],
            "seqs": [seq for _, seq in seqs],
        },
    )
    return [_stored_row(row[0], row[1:]) for row in rows]


_ROW_COLUMNS = """s.scope, s.id, ST_AsBinary(s.geom), s.area_m2, s.region_code, s.state,
              s.previous_state, s.hazard_id, s.since_on, s.since_seq, s.until_on,
              s.until_seq, s.absorbed_m2"""


def _stored_row(index: int, row: Sequence[Any]) -> StoredRow:
    scope, row_id, wkb, area_m2, code, *rest = row
    return (index, scope, row_id, shapely.from_wkb(wkb), area_m2, code, _stint(rest))


def _stint(row: Sequence[Any]) -> Stint:
    state, previous, hazard_id, since_on, since_seq, until_on, until_seq, absorbed_m2 = row
    return Stint(
        state=LandState(state),
        previous=LandState(previous) if previous else None,
        hazard_id=hazard_id,
        since=LedgerKey(since_on, since_seq),
        until=LedgerKey(until_on, until_seq) if until_seq is not None else None,
        absorbed_m2=absorbed_m2,
    )


def national_change_since(conn: Connection, first_seq: int) -> tuple[float, float]:
    """Land (m²) that the facts from sequence number ``first_seq`` on changed nationally,
    and how much of it they took in beyond their polygons."""
    changed, absorbed = conn.execute(
        text(
            f"""
            SELECT coalesce(sum(s.area_m2), 0), coalesce(sum(s.absorbed_m2), 0)
              FROM land_state s
             WHERE s.since_seq >= :first AND s.scope = :scope AND {_NOW}
            """
        ),
        {"first": first_seq, "scope": NATIONAL},
    ).one()
    return changed, absorbed


_COLUMNS = {
    "scope": "text",
    "geom": "geometry",
    "area_m2": "float8",
    "state": "text",
    "previous_state": "text",
    "hazard_id": "int4",
    "since_on": "date",
    "since_seq": "int8",
    "until_on": "date",
    "until_seq": "int8",
    "known_from": "timestamptz",
    "region_code": "text",
    "absorbed_m2": "float8",
}


def _rows(scoped: list[tuple[str, Piece]], at: datetime) -> Iterator[tuple[Any, ...]]:
    geometries = bulk.ewkb([as_multipolygon(piece.geometry) for _, piece in scoped])
    for (scope, piece), geom in zip(scoped, geometries, strict=True):
        for stint in piece.stints:
            yield (
                scope,
                geom,
                piece.area_m2,
                stint.state.value,
                stint.previous.value if stint.previous else None,
                stint.hazard_id,
                stint.since.on,
                stint.since.seq,
                stint.until.on if stint.until else None,
                stint.until.seq if stint.until else None,
                at,
                piece.region_code,
                stint.absorbed_m2,
            )


def replace_pieces(
    conn: Connection,
    removed_ids: list[int],
    scoped: Iterable[tuple[str, Piece]],
    at: datetime,
) -> set[int]:
    """Retire the removed rows and add the new ones, both at ledger time ``at``: old versions
    stay, so the land state as it stood at any past moment can still be read. Returns the
    hazards whose kept land was worked out again (their national land changed)."""
    changed: set[int] = set()  # hazards whose national land changed
    if removed_ids:
        retired = conn.execute(
            text(
                "UPDATE land_state SET known_until = :at WHERE id = ANY(:ids) "
                f"RETURNING CASE WHEN scope = '{NATIONAL}' THEN hazard_id END"
            ),
            {"ids": removed_ids, "at": at},
        )
        changed.update(h for h in retired.scalars() if h is not None)
    _copy_chunks(conn, scoped, at, changed)
    served_land.refresh(conn, changed)
    return changed


# Pieces are encoded and written this many at a time (a whole rebuild is not held twice).
_COPY_CHUNK = 10_000


def _copy(conn: Connection, scoped: list[tuple[str, Piece]], at: datetime) -> int:
    rows = _rows(scoped, at)
    return bulk.copy_rows(conn, "land_state", list(_COLUMNS), rows, list(_COLUMNS.values()))


def _copy_chunks(
    conn: Connection, scoped: Iterable[tuple[str, Piece]], at: datetime, changed: set[int]
) -> int:
    """Write the pieces a chunk at a time; ``changed`` gains the hazards of their national
    land."""
    count = 0
    chunk: list[tuple[str, Piece]] = []
    for pair in scoped:
        chunk.append(pair)
        if len(chunk) == _COPY_CHUNK:
            count += _copy(conn, chunk, at)
            changed.update(_national_hazards(chunk))
            chunk = []
    if chunk:
        count += _copy(conn, chunk, at)
        changed.update(_national_hazards(chunk))
    return count


def _national_hazards(scoped: list[tuple[str, Piece]]) -> set[int]:
    return {s.hazard_id for scope, piece in scoped if scope == NATIONAL for s in piece.stints}


def copy_pieces(
    conn: Connection, scoped: Iterable[tuple[str, Piece]], at: datetime, served: bool = True
) -> int:
    """Bulk-write (scope, piece) pairs with COPY, one row per stint; with ``served``, the
    kept land of their hazards is worked out again (otherwise the caller does it)."""
    changed: set[int] = set()
    count = _copy_chunks(conn, scoped, at, changed)
    if served:
        served_land.refresh(conn, changed)
    return count


def holds_land(conn: Connection) -> bool:
    return bool(conn.execute(text("SELECT EXISTS (SELECT 1 FROM land_state)")).scalar_one())


def clear_land(conn: Connection, retire_at: datetime | None) -> None:
    """Empty the current land state: its rows retired at ``retire_at`` (kept for figures as
    known before it), or all rows dropped when None."""
    if retire_at is None:
        conn.execute(text("TRUNCATE land_state"))
    else:
        conn.execute(
            text("UPDATE land_state SET known_until = :at WHERE known_until IS NULL"),
            {"at": retire_at},
        )
    served_land.clear(conn)


def analyse_land(conn: Connection) -> None:
    analyse(conn, land_only=True)


# Re-cutting every version of the land state along new regions: the rows are set aside,
# read back a chunk at a time, and each written again as the pieces it is cut into.

SET_ASIDE = "land_set_aside"

# A land-state row as it is, but for its geometry, area and region (see ``copy_recut_rows``).
_KEPT_COLUMNS = (
    "scope", "state", "previous_state", "hazard_id", "since_on", "since_seq", "until_on",
    "until_seq", "known_from", "known_until", "absorbed_m2",
)  # fmt: skip
_RECUT_COLUMNS = {**_COLUMNS, "known_until": "timestamptz"}


def set_aside_land(conn: Connection) -> None:
    conn.execute(text(f"CREATE TEMP TABLE {SET_ASIDE} ON COMMIT DROP AS SELECT * FROM land_state"))
    conn.execute(text("TRUNCATE land_state"))
    served_land.clear(conn)


def drop_set_aside(conn: Connection) -> None:
    conn.execute(text(f"DROP TABLE {SET_ASIDE}"))


def set_aside_rows(conn: Connection, after_id: int, limit: int) -> list[dict[str, Any]]:
    """Rows set aside (every version), in id order after ``after_id``."""
    rows = conn.execute(
        text(
            f"SELECT id, ST_AsBinary(geom) AS geom, area_m2, {', '.join(_KEPT_COLUMNS)} "
            f"FROM {SET_ASIDE} WHERE id > :after ORDER BY id LIMIT :limit"
        ),
        {"after": after_id, "limit": limit},
    )
    return [row._asdict() for row in rows]


def copy_recut_rows(conn: Connection, pieces: list[tuple[dict[str, Any], Piece]]) -> int:
    """Write each piece of a land-state row: the row's own values (its state, its time and
    when it was known) with the piece's geometry, area and region."""
    geometries = bulk.ewkb([as_multipolygon(piece.geometry) for _, piece in pieces])
    values = (
        {
            **row,
            "geom": geom,
            "area_m2": piece.area_m2,
            "region_code": piece.region_code,
            # The row's absorbed land is shared out with its area.
            "absorbed_m2": row["absorbed_m2"] * piece.area_m2 / row["area_m2"]
            if row["area_m2"]
            else 0.0,
        }
        for (row, piece), geom in zip(pieces, geometries, strict=True)
    )
    rows = (tuple(value[name] for name in _RECUT_COLUMNS) for value in values)
    count = bulk.copy_rows(
        conn, "land_state", list(_RECUT_COLUMNS), rows, list(_RECUT_COLUMNS.values())
    )
    served_land.refresh(
        conn,
        {
            row["hazard_id"]
            for row, _ in pieces
            if row["scope"] == NATIONAL and row["known_until"] is None
        },
    )
    return count
