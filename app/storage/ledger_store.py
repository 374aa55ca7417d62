"""Reading and writing the ledger's facts and land-state pieces in PostGIS."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.geo.polygons import as_multipolygon
from app.ledger.facts import LedgerFact, fact_kind
from app.ledger.pieces import Piece, Stint
from app.ledger.states import LandState, LedgerKey
from app.storage import bulk

ALL = "all"

# Every fact of the ledger, hazard records and events alike, in one shape: those approved,
# and those of :with_seqs (pending facts being previewed). Voided events are left out: the
# figures behave as if they never happened.
FACTS = """
    SELECT h.seq, h.recorded_on AS on_date, h.id AS hazard_id, h.hazard_class AS kind,
           h.contamination, h.footprint
      FROM hazards h
     WHERE h.status = 'approved' OR h.seq = ANY(:with_seqs)
    UNION ALL
    SELECT e.seq, e.occurred_on, e.hazard_id, e.kind, h.contamination, e.footprint
      FROM events e JOIN hazards h ON h.id = e.hazard_id
     WHERE (e.status = 'approved' OR e.seq = ANY(:with_seqs))
       AND (h.status = 'approved' OR h.seq = ANY(:with_seqs))
       AND NOT EXISTS (SELECT 1 FROM event_voids v WHERE v.event_id = e.id)
"""


def lock_ledger(conn: Connection) -> datetime:
    """Serialise writers (a fact's effect depends on every fact recorded before it) and return
    the ledger time of this transaction: taken once the lock is held, so that ledger times
    follow the order in which writes become visible."""
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('landrelease.ledger'))"))
    return conn.execute(text("SELECT clock_timestamp()")).scalar_one()


def knowledge(known_at: datetime | None, alias: str = "") -> tuple[str, dict]:
    """SQL condition on land-state rows: as the database stands now, or as it stood then."""
    prefix = f"{alias}." if alias else ""
    if known_at is None:
        return f"{prefix}known_until IS NULL", {}
    return (
        f"{prefix}known_from <= :known_at "
        f"AND ({prefix}known_until IS NULL OR {prefix}known_until > :known_at)",
        {"known_at": known_at},
    )


def active_facts(conn: Connection) -> list[LedgerFact]:
    """Every approved fact, in ledger order (rebuilding the whole land state)."""
    rows = conn.execute(
        text(
            f"""
            SELECT f.seq, f.on_date, f.hazard_id, f.kind, ST_AsBinary(f.footprint),
                   f.contamination
              FROM ({FACTS}) f
             ORDER BY f.on_date, f.seq
            """
        ),
        {"with_seqs": []},
    )
    return [
        LedgerFact(LedgerKey(on, seq), hazard_id, fact_kind(kind), shapely.from_wkb(wkb), c)
        for seq, on, hazard_id, kind, wkb, c in rows
    ]


# The polygons of a batch of changes, numbered from 0, as a table to join with.
_POLYGONS = """
    WITH r AS (
        SELECT t.ord - 1 AS i, ST_GeomFromWKB(t.wkb, 4326) AS geom
          FROM unnest(CAST(:polygons AS bytea[])) WITH ORDINALITY AS t(wkb, ord)
    )
"""


def rows_overlapping(
    conn: Connection,
    scopes: Sequence[str],
    polygons: Sequence[BaseGeometry],
    changed_by: Sequence[Sequence[int]] = (),
) -> list[tuple[int, str, int, BaseGeometry, float, str | None, Stint]]:
    """Current land-state rows whose land overlaps or touches one of ``polygons``, or that a
    fact of ``changed_by[i]`` (sequence numbers, per polygon) started or ended: (polygon
    index, scope, row id, geometry, area, administrative region code, stint); a row may
    come once per polygon. Every row of a piece comes with it."""
    seqs = [(i, seq) for i, chosen in enumerate(changed_by) for seq in chosen]
    columns = """s.scope, s.id, ST_AsBinary(s.geom), s.area_m2, s.region_code, s.state,
                 s.previous_state, s.hazard_id, s.since_on, s.since_seq, s.until_on,
                 s.until_seq, s.absorbed_m2"""
    rows = conn.execute(
        text(
            f"""
            {_POLYGONS},
            changed AS (
                SELECT DISTINCT c.i, s.scope, s.geom
                  FROM unnest(CAST(:seq_polygon AS int[]), CAST(:seqs AS bigint[])) AS c(i, seq)
                  JOIN land_state s ON s.since_seq = c.seq
                 WHERE s.scope = ANY(:scopes) AND s.known_until IS NULL
            )
            SELECT r.i, {columns}
              FROM r JOIN land_state s
                ON s.geom && r.geom AND ST_Intersects(s.geom, r.geom)
             WHERE s.scope = ANY(:scopes) AND s.known_until IS NULL
            UNION ALL
            SELECT c.i, {columns}
              FROM changed c JOIN land_state s
                ON s.geom && c.geom AND s.geom = c.geom AND s.scope = c.scope
             WHERE s.known_until IS NULL
            """
        ),
        {
            "scopes": list(scopes),
            "polygons": [g.wkb for g in polygons],
            "seq_polygon": [i for i, _ in seqs],
            "seqs": [seq for _, seq in seqs],
        },
    )
    return [
        (i, scope, row_id, shapely.from_wkb(wkb), area_m2, code, _stint(rest))
        for i, scope, row_id, wkb, area_m2, code, *rest in rows
    ]


def facts_overlapping(
    conn: Connection,
    polygons: Sequence[BaseGeometry],
    with_seqs: Sequence[int] = (),
    known_geometry: dict[int, BaseGeometry] | None = None,
) -> list[tuple[int, LedgerFact]]:
    """Approved facts (and pending ones of ``with_seqs``) overlapping each polygon. Facts whose
    polygon the caller holds (``known_geometry``, by sequence number) are not read back."""
    known_geometry = known_geometry or {}
    rows = conn.execute(
        text(
            f"""
            {_POLYGONS}
            SELECT r.i, h.seq, h.recorded_on, h.id, h.hazard_class, h.contamination,
                   CASE WHEN h.seq = ANY(:known) THEN NULL ELSE ST_AsBinary(h.footprint) END
              FROM r JOIN hazards h
                ON h.footprint && r.geom AND ST_Intersects(h.footprint, r.geom)
             WHERE h.status = 'approved' OR h.seq = ANY(:with_seqs)
            UNION ALL
            SELECT r.i, e.seq, e.occurred_on, e.hazard_id, e.kind, h.contamination,
                   CASE WHEN e.seq = ANY(:known) THEN NULL ELSE ST_AsBinary(e.footprint) END
              FROM r JOIN events e
                ON e.footprint && r.geom AND ST_Intersects(e.footprint, r.geom)
              JOIN hazards h ON h.id = e.hazard_id
             WHERE (e.status = 'approved' OR e.seq = ANY(:with_seqs))
               AND (h.status = 'approved' OR h.seq = ANY(:with_seqs))
               AND NOT EXISTS (SELECT 1 FROM event_voids v WHERE v.event_id = e.id)
            """
        ),
        {
            "polygons": [g.wkb for g in polygons],
            "with_seqs": list(with_seqs),
            "known": list(known_geometry),
        },
    )
    return [
        (
            i,
            LedgerFact(
                LedgerKey(on, seq),
                hazard_id,
                fact_kind(kind),
                known_geometry[seq] if wkb is None else shapely.from_wkb(wkb),
                c,
            ),
        )
        for i, seq, on, hazard_id, kind, c, wkb in rows
    ]


def facts_in_boxes(
    conn: Connection, bounds: np.ndarray, before_seq: int
) -> list[tuple[int, LedgerFact]]:
    """Approved facts recorded before ``before_seq`` (voided events left out) whose bounding
    boxes meet the boxes of ``bounds`` (rows of min lon, min lat, max lon, max lat):
    (box index, fact); a fact meeting several boxes is read once and listed for each."""
    if len(bounds) == 0:
        return []
    rows = conn.execute(
        text(
            """
            WITH b AS (
                SELECT t.ord - 1 AS i, ST_MakeEnvelope(t.x0, t.y0, t.x1, t.y1, 4326) AS box
                  FROM unnest(CAST(:x0 AS float8[]), CAST(:y0 AS float8[]),
                              CAST(:x1 AS float8[]), CAST(:y1 AS float8[]))
                       WITH ORDINALITY AS t(x0, y0, x1, y1, ord)
            ),
            near AS (
                SELECT h.seq, h.recorded_on AS on_date, h.id AS hazard_id,
                       h.hazard_class AS kind, h.contamination, h.footprint,
                       array_agg(b.i) AS boxes
                  FROM b JOIN hazards h ON h.footprint && b.box
                 WHERE h.status = 'approved' AND h.seq < :before
                 GROUP BY h.id
                UNION ALL
                SELECT e.seq, e.occurred_on, e.hazard_id, e.kind, h.contamination, e.footprint,
                       array_agg(b.i)
                  FROM b JOIN events e ON e.footprint && b.box
                  JOIN hazards h ON h.id = e.hazard_id
                 WHERE e.status = 'approved' AND h.status = 'approved' AND e.seq < :before
                   AND NOT EXISTS (SELECT 1 FROM event_voids v WHERE v.event_id = e.id)
                 GROUP BY e.id, h.contamination
            )
            SELECT seq, on_date, hazard_id, kind, contamination, ST_AsBinary(footprint), boxes
              FROM near
            """
        ),
        {
            "x0": bounds[:, 0].tolist(),
            "y0": bounds[:, 1].tolist(),
            "x1": bounds[:, 2].tolist(),
            "y1": bounds[:, 3].tolist(),
            "before": before_seq,
        },
    ).all()
    geometries = shapely.from_wkb([row[5] for row in rows])
    return [
        (i, LedgerFact(LedgerKey(on, seq), hazard_id, fact_kind(kind), geometry, contamination))
        for (seq, on, hazard_id, kind, contamination, _, boxes), geometry in zip(
            rows, geometries, strict=True
        )
        for i in boxes
    ]


def national_change_since(conn: Connection, first_seq: int) -> tuple[float, float]:
    """Land (m²) that the facts from sequence number ``first_seq`` on changed nationally,
    and how much of it they took in beyond their polygons."""
    changed, absorbed = conn.execute(
        text(
            """
            SELECT coalesce(sum(area_m2), 0), coalesce(sum(absorbed_m2), 0) FROM land_state
             WHERE since_seq >= :first AND scope = :scope AND known_until IS NULL
            """
        ),
        {"first": first_seq, "scope": ALL},
    ).one()
    return changed, absorbed


def _stint(row: Sequence) -> Stint:
    state, previous, hazard_id, since_on, since_seq, until_on, until_seq, absorbed_m2 = row
    return Stint(
        state=LandState(state),
        previous=LandState(previous) if previous else None,
        hazard_id=hazard_id,
        since=LedgerKey(since_on, since_seq),
        until=LedgerKey(until_on, until_seq) if until_seq is not None else None,
        absorbed_m2=absorbed_m2,
    )


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


def _rows(scoped: list[tuple[str, Piece]], at: datetime) -> Iterator[tuple]:
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


# A land-state row as it is, but for its geometry, area and region (see ``recut_rows``).
_KEPT_COLUMNS = (
    "scope", "state", "previous_state", "hazard_id", "since_on", "since_seq", "until_on",
    "until_seq", "known_from", "known_until", "absorbed_m2",
)  # fmt: skip
_RECUT_COLUMNS = {**_COLUMNS, "known_until": "timestamptz"}


def land_rows(conn: Connection, table: str, after_id: int, limit: int) -> list[dict[str, Any]]:
    """Rows of a copy of the land state (every version), in id order after ``after_id``."""
    rows = conn.execute(
        text(
            f"SELECT id, ST_AsBinary(geom) AS geom, area_m2, {', '.join(_KEPT_COLUMNS)} "
            f"FROM {table} WHERE id > :after ORDER BY id LIMIT :limit"
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
    return bulk.copy_rows(
        conn, "land_state", list(_RECUT_COLUMNS), rows, list(_RECUT_COLUMNS.values())
    )


def replace_pieces(
    conn: Connection,
    removed_ids: list[int],
    scoped: Iterable[tuple[str, Piece]],
    at: datetime,
) -> None:
    """Retire the removed rows and add the new ones, both at ledger time ``at``: old versions
    stay, so the land state as it stood at any past moment can still be read."""
    if removed_ids:
        conn.execute(
            text("UPDATE land_state SET known_until = :at WHERE id = ANY(:ids)"),
            {"ids": removed_ids, "at": at},
        )
    copy_pieces(conn, scoped, at)


# Pieces are encoded and written this many at a time (a whole rebuild is not held twice).
_COPY_CHUNK = 10_000


def _copy(conn: Connection, scoped: list[tuple[str, Piece]], at: datetime) -> int:
    rows = _rows(scoped, at)
    return bulk.copy_rows(conn, "land_state", list(_COLUMNS), rows, list(_COLUMNS.values()))


def copy_pieces(conn: Connection, scoped: Iterable[tuple[str, Piece]], at: datetime) -> int:
    """Bulk-write (scope, piece) pairs with COPY, one row per stint."""
    count = 0
    chunk: list[tuple[str, Piece]] = []
    for pair in scoped:
        chunk.append(pair)
        if len(chunk) == _COPY_CHUNK:
            count += _copy(conn, chunk, at)
            chunk = []
    if chunk:
        count += _copy(conn, chunk, at)
    return count


class Statistics:
    """Keeps the planner's statistics of the ledger tables in step with a long write.

    A large import adds rows faster than autovacuum can see them (they are not committed
    yet), and after a rolled-back dry run the statistics even say the tables are empty: the
    planner then scans whole tables for every batch and an import slows down with its own
    size. Analysing whenever the rows written have grown fourfold since the last analysis
    keeps the plans on the indexes for a few analyses in all (ANALYZE counts the rows this
    transaction wrote; each one of a large ledger takes the better part of a second).
    """

    def __init__(self, conn: Connection, first_after: int = 1_000) -> None:
        self.conn = conn
        self.written = 0
        self.next_analysis = first_after

    def keep_up(self, about_to_write: int) -> None:
        if self.written >= self.next_analysis:
            self.conn.execute(text("ANALYZE hazards, events, land_state"))
            self.next_analysis = 4 * self.written
        self.written += about_to_write


def scopes_of(contamination: str) -> tuple[str, str]:
    """The scopes a fact takes part in: the national one and its contamination type's."""
    return (ALL, contamination)


def land_rule(conn: Connection) -> float | None:
    """The tolerance (m) the current land state was computed with (None: not recorded)."""
    return conn.execute(
        text("SELECT tolerance_m FROM ledger_rules ORDER BY id DESC LIMIT 1")
    ).scalar_one_or_none()


def record_land_rule(conn: Connection, tolerance_m: float, at: datetime) -> None:
    conn.execute(
        text("INSERT INTO ledger_rules (tolerance_m, applied_at) VALUES (:tolerance, :at)"),
        {"tolerance": tolerance_m, "at": at},
    )


def holds_land(conn: Connection) -> bool:
    return conn.execute(text("SELECT EXISTS (SELECT 1 FROM land_state)")).scalar_one()


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


def analyse_land(conn: Connection) -> None:
    conn.execute(text("ANALYZE land_state"))


# Every version of the land state, set aside while it is written again (``recut_all``).
SET_ASIDE = "land_set_aside"


def set_aside_land(conn: Connection) -> None:
    conn.execute(text(f"CREATE TEMP TABLE {SET_ASIDE} ON COMMIT DROP AS SELECT * FROM land_state"))
    conn.execute(text("TRUNCATE land_state"))


def drop_set_aside(conn: Connection) -> None:
    conn.execute(text(f"DROP TABLE {SET_ASIDE}"))
