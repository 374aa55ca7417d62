"""Reading and writing the ledger's facts and land-state pieces in PostGIS."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.geo.polygons import as_multipolygon
from app.ledger.replay import LedgerFact, Piece, Stint
from app.ledger.states import EventKind, HazardClass, LandState, LedgerKey

ALL = "all"

# Every fact of the ledger, hazard records and events alike, in one shape. Voided events are
# left out: the figures behave as if they never happened.
ACTIVE_FACTS = """
    SELECT h.seq, h.recorded_on AS on_date, h.id AS hazard_id, h.hazard_class AS kind,
           h.contamination, h.footprint
      FROM hazards h
    UNION ALL
    SELECT e.seq, e.occurred_on, e.hazard_id, e.kind, h.contamination, e.footprint
      FROM events e JOIN hazards h ON h.id = e.hazard_id
     WHERE NOT EXISTS (SELECT 1 FROM event_voids v WHERE v.event_id = e.id)
"""


def lock_ledger(conn: Connection) -> None:
    """Serialise writers: a fact's effect depends on every fact recorded before it."""
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('landrelease.ledger'))"))


def fact_kind(kind: str) -> EventKind | HazardClass:
    return HazardClass(kind) if kind in HazardClass.__members__ else EventKind(kind)


def active_facts(
    conn: Connection,
    scope: str,
    region: BaseGeometry | None = None,
    start: LedgerKey | None = None,
) -> list[LedgerFact]:
    """Active facts of ``scope`` in ledger order; only those overlapping ``region`` and from
    ``start`` on, when given."""
    conditions = ["(:scope = 'all' OR f.contamination = :scope)"]
    params: dict = {"scope": scope}
    if region is not None:
        conditions.append("ST_Intersects(f.footprint, ST_GeomFromWKB(:region, 4326))")
        params["region"] = region.wkb
    if start is not None:
        conditions.append("(f.on_date, f.seq) >= (:on, :seq)")
        params.update(on=start.on, seq=start.seq)
    rows = conn.execute(
        text(
            f"""
            SELECT f.seq, f.on_date, f.hazard_id, f.kind, ST_AsBinary(f.footprint)
              FROM ({ACTIVE_FACTS}) f
             WHERE {" AND ".join(conditions)}
             ORDER BY f.on_date, f.seq
            """
        ),
        params,
    )
    return [
        LedgerFact(LedgerKey(on, seq), hazard_id, fact_kind(kind), shapely.from_wkb(wkb))
        for seq, on, hazard_id, kind, wkb in rows
    ]


def pieces_overlapping(
    conn: Connection, scope: str, region: BaseGeometry
) -> list[tuple[int, Piece]]:
    """Stored pieces of ``scope`` (of every time) that overlap ``region``, with their ids."""
    rows = conn.execute(
        text(
            """
            SELECT id, ST_AsBinary(geom), state, previous_state, hazard_id,
                   since_on, since_seq, until_on, until_seq
              FROM land_state
             WHERE scope = :scope AND ST_Intersects(geom, ST_GeomFromWKB(:region, 4326))
            """
        ),
        {"scope": scope, "region": region.wkb},
    )
    return [(row[0], _piece(row[1:])) for row in rows]


def _piece(row: Sequence) -> Piece:
    wkb, state, previous, hazard_id, since_on, since_seq, until_on, until_seq = row
    stint = Stint(
        state=LandState(state),
        previous=LandState(previous) if previous else None,
        hazard_id=hazard_id,
        since=LedgerKey(since_on, since_seq),
        until=LedgerKey(until_on, until_seq) if until_seq is not None else None,
    )
    return Piece(shapely.from_wkb(wkb), stint)


def replace_pieces(
    conn: Connection, scope: str, removed_ids: Iterable[int], pieces: Iterable[Piece]
) -> None:
    removed = list(removed_ids)
    if removed:
        conn.execute(text("DELETE FROM land_state WHERE id = ANY(:ids)"), {"ids": removed})
    rows = [_piece_row(scope, p) for p in pieces]
    if rows:
        conn.execute(
            text(
                """
                INSERT INTO land_state (scope, geom, state, previous_state, hazard_id,
                                        since_on, since_seq, until_on, until_seq)
                VALUES (:scope, ST_GeomFromWKB(:geom, 4326), :state, :previous, :hazard_id,
                        :since_on, :since_seq, :until_on, :until_seq)
                """
            ),
            rows,
        )


def _piece_row(scope: str, piece: Piece) -> dict:
    stint = piece.stint
    return {
        "scope": scope,
        "geom": as_multipolygon(piece.geometry).wkb,
        "state": stint.state.value,
        "previous": stint.previous.value if stint.previous else None,
        "hazard_id": stint.hazard_id,
        "since_on": stint.since.on,
        "since_seq": stint.since.seq,
        "until_on": stint.until.on if stint.until else None,
        "until_seq": stint.until.seq if stint.until else None,
    }


def copy_pieces(conn: Connection, scope: str, pieces: Iterable[Piece]) -> int:
    """Bulk-write pieces with COPY (used when the whole ledger is rebuilt)."""
    columns = (
        "scope, geom, state, previous_state, hazard_id, since_on, since_seq, until_on, until_seq"
    )
    count = 0
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY land_state ({columns}) FROM STDIN") as copy:
        for piece in pieces:
            row = _piece_row(scope, piece)
            row["geom"] = shapely.to_wkb(
                shapely.set_srid(as_multipolygon(piece.geometry), 4326),
                hex=True,
                include_srid=True,
            )
            copy.write_row(tuple(row.values()))
            count += 1
    return count


def scopes_of(contamination: str) -> tuple[str, str]:
    """The models a fact takes part in: the national one and its contamination type's."""
    return (ALL, contamination)
