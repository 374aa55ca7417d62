"""The facts of the ledger as the replay reads them: those in force (official, and pending
ones being previewed), all of them or those meeting some polygons or boxes, and the pending
ones awaiting review."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.ledger.facts import LedgerFact, fact_kind
from app.ledger.scopes import NATIONAL
from app.ledger.states import LedgerKey
from app.storage.conditions import in_force, not_voided, official
from app.storage.sql import numbered_polygons

_NOT_VOIDED = not_voided("e").sql

# Every fact in force, hazard records and events alike, in one shape: the official ones,
# and those of :with_seqs (pending facts being previewed). Voided events are left out: the
# figures behave as if they never happened.
_IN_FORCE = f"""
    SELECT h.seq, h.recorded_on AS on_date, h.id AS hazard_id, h.hazard_class AS kind,
           h.contamination, h.footprint
      FROM hazards h
     WHERE {in_force("h")}
    UNION ALL
    SELECT e.seq, e.occurred_on, e.hazard_id, e.kind, h.contamination, e.footprint
      FROM events e JOIN hazards h ON h.id = e.hazard_id
     WHERE {in_force("e")} AND {in_force("h")} AND {_NOT_VOIDED}
"""


def active_facts(conn: Connection) -> list[LedgerFact]:
    """Every official fact, in ledger order (rebuilding the whole land state)."""
    rows = conn.execute(
        text(
            f"""
            SELECT f.on_date, f.seq, f.hazard_id, f.kind, ST_AsBinary(f.footprint),
                   f.contamination
              FROM ({_IN_FORCE}) f
             ORDER BY f.on_date, f.seq
            """
        ),
        {"with_seqs": []},
    )
    return [
        LedgerFact(LedgerKey(on, seq), hazard_id, fact_kind(kind), shapely.from_wkb(wkb), c)
        for on, seq, hazard_id, kind, wkb, c in rows
    ]


def pending_seqs(conn: Connection) -> list[int]:
    """Sequence numbers of every fact awaiting review."""
    return list(
        conn.execute(
            text(
                "SELECT seq FROM hazards WHERE status = 'pending' "
                "UNION ALL SELECT seq FROM events WHERE status = 'pending'"
            )
        ).scalars()
    )


def pending_polygons(
    conn: Connection, scope: str, seqs: Sequence[int] | None = None
) -> list[tuple[LedgerKey, BaseGeometry]]:
    """The key and polygon of every fact awaiting review (of the sequence numbers ``seqs``,
    if given) that takes part in ``scope`` and could enter the ledger: not an event of a
    hazard that is not official, nor a voided one."""
    rows = conn.execute(
        text(
            f"""
            SELECT f.on_date, f.seq, ST_AsBinary(f.footprint)
              FROM ({_IN_FORCE}) f
             WHERE f.seq = ANY(:with_seqs) AND (:scope = :national OR f.contamination = :scope)
            """
        ),
        {
            "with_seqs": pending_seqs(conn) if seqs is None else list(seqs),
            "scope": scope,
            "national": NATIONAL,
        },
    ).all()
    return [(LedgerKey(on, seq), shapely.from_wkb(wkb)) for on, seq, wkb in rows]


def keys_of(conn: Connection, seqs: Sequence[int]) -> list[LedgerKey]:
    """The ledger keys of the facts in force of these sequence numbers."""
    rows = conn.execute(
        text(f"SELECT f.on_date, f.seq FROM ({_IN_FORCE}) f WHERE f.seq = ANY(:with_seqs)"),
        {"with_seqs": list(seqs)},
    )
    return [LedgerKey(on, seq) for on, seq in rows]


def facts_overlapping(
    conn: Connection,
    polygons: Sequence[BaseGeometry],
    with_seqs: Sequence[int] = (),
    known_geometry: dict[int, BaseGeometry] | None = None,
) -> list[tuple[int, LedgerFact]]:
    """Facts in force (official, and pending ones of ``with_seqs``) overlapping each
    polygon. Facts whose polygon the caller holds (``known_geometry``, by sequence number)
    are not read back."""
    known_geometry = known_geometry or {}
    rows = conn.execute(
        text(
            f"""
            {numbered_polygons()}
            SELECT r.i, h.seq, h.recorded_on, h.id, h.hazard_class, h.contamination,
                   CASE WHEN h.seq = ANY(:known) THEN NULL ELSE ST_AsBinary(h.footprint) END
              FROM r JOIN hazards h
                ON h.footprint && r.geom AND ST_Intersects(h.footprint, r.geom)
             WHERE {in_force("h")}
            UNION ALL
            SELECT r.i, e.seq, e.occurred_on, e.hazard_id, e.kind, h.contamination,
                   CASE WHEN e.seq = ANY(:known) THEN NULL ELSE ST_AsBinary(e.footprint) END
              FROM r JOIN events e
                ON e.footprint && r.geom AND ST_Intersects(e.footprint, r.geom)
              JOIN hazards h ON h.id = e.hazard_id
             WHERE {in_force("e")} AND {in_force("h")} AND {_NOT_VOIDED}
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
    """Official facts recorded before ``before_seq`` (voided events left out) whose bounding
    boxes meet the boxes of ``bounds`` (rows of min lon, min lat, max lon, max lat):
    (box index, fact); a fact meeting several boxes is read once and listed for each."""
    if len(bounds) == 0:
        return []
    rows = conn.execute(
        text(
            f"""
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
                 WHERE {official("h")} AND h.seq < :before
                 GROUP BY h.id
                UNION ALL
                SELECT e.seq, e.occurred_on, e.hazard_id, e.kind, h.contamination, e.footprint,
                       array_agg(b.i)
                  FROM b JOIN events e ON e.footprint && b.box
                  JOIN hazards h ON h.id = e.hazard_id
                 WHERE {official("e")} AND {official("h")} AND e.seq < :before
                   AND {_NOT_VOIDED}
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
