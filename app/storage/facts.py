"""The facts of the ledger as the replay reads them: those in force (official, and pending
ones being previewed), all of them or those meeting some polygons or boxes, and the pending
ones awaiting review."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.ledger.facts import LedgerFact, fact_kind
from app.ledger.scopes import NATIONAL
from app.ledger.states import LedgerKey
from app.storage.conditions import in_force, not_voided, official
from app.storage.sql import merged, numbered_boxes

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
    polygon: (polygon index, fact). Facts whose polygon the caller holds (``known_geometry``,
    by sequence number) are not read back.

    The database finds the facts whose boxes meet each polygon's and sends each fact once;
    whether it meets the polygon itself is decided here, in one call over every pair, on
    geometries already decoded rather than read from storage again for each pair.
    """
    if not polygons:
        return []
    shapes = np.empty(len(polygons), dtype=object)
    shapes[:] = polygons
    found = _facts_meeting_boxes(
        conn,
        shapely.bounds(shapes),
        hazards_where=in_force("h"),
        events_where=f"{in_force('e')} AND {in_force('h')} AND {_NOT_VOIDED}",
        params={"with_seqs": list(with_seqs)},
        known_geometry=known_geometry or {},
    )
    pairs = [(i, n) for n, (_, boxes) in enumerate(found) for i in boxes]
    if not pairs:
        return []
    left, right = np.array(pairs).T
    geometries = np.empty(len(found), dtype=object)
    geometries[:] = [fact.geometry for fact, _ in found]
    meets = shapely.intersects(shapes[left], geometries[right])
    return [(int(i), found[n][0]) for i, n in zip(left[meets], right[meets].tolist(), strict=True)]


def facts_in_boxes(
    conn: Connection, bounds: np.ndarray, before_seq: int
) -> list[tuple[int, LedgerFact]]:
    """Official facts recorded before ``before_seq`` (voided events left out) whose bounding
    boxes meet the boxes of ``bounds`` (rows of min lon, min lat, max lon, max lat):
    (box index, fact); a fact meeting several boxes is read once and listed for each."""
    if len(bounds) == 0:
        return []
    found = _facts_meeting_boxes(
        conn,
        bounds,
        hazards_where=f"{official('h')} AND h.seq < :before",
        events_where=f"{official('e')} AND {official('h')} AND e.seq < :before AND {_NOT_VOIDED}",
        params={"before": before_seq},
        known_geometry={},
    )
    return [(i, fact) for fact, boxes in found for i in boxes]


def _facts_meeting_boxes(
    conn: Connection,
    bounds: np.ndarray,
    hazards_where: str,
    events_where: str,
    params: dict[str, Any],
    known_geometry: dict[int, BaseGeometry],
) -> list[tuple[LedgerFact, list[int]]]:
    """Hazard records (``hazards_where``, alias h) and events (``events_where``, aliases e
    and h) whose bounding boxes meet boxes of ``bounds``: each fact once, with the indexes
    of the boxes it meets."""
    boxes = numbered_boxes(bounds)
    rows = conn.execute(
        text(
            f"""
            {boxes.sql},
            near AS (
                SELECT h.seq, h.recorded_on AS on_date, h.id AS hazard_id,
                       h.hazard_class AS kind, h.contamination, h.footprint,
                       array_agg(b.i) AS boxes
                  FROM b JOIN hazards h ON h.footprint && b.box
                 WHERE {hazards_where}
                 GROUP BY h.id
                UNION ALL
                SELECT e.seq, e.occurred_on, e.hazard_id, e.kind, h.contamination, e.footprint,
                       array_agg(b.i)
                  FROM b JOIN events e ON e.footprint && b.box
                  JOIN hazards h ON h.id = e.hazard_id
                 WHERE {events_where}
                 GROUP BY e.id, h.contamination
            )
            SELECT seq, on_date, hazard_id, kind, contamination,
                   CASE WHEN seq = ANY(:known) THEN NULL ELSE ST_AsBinary(footprint) END, boxes
              FROM near
            """
        ),
        merged(boxes.params, params, {"known": list(known_geometry)}),
    ).all()
    read = shapely.from_wkb([row[5] for row in rows])
    return [
        (
            LedgerFact(
                LedgerKey(on, seq),
                hazard_id,
                fact_kind(kind),
                known_geometry[seq] if wkb is None else geometry,
                contamination,
            ),
            boxes,
        )
        for (seq, on, hazard_id, kind, contamination, wkb, boxes), geometry in zip(
            rows, read, strict=True
        )
    ]
