"""The SQL of the data-quality checks: recorded polygons that meet (found with the GiST
index, measured on the ellipsoid), events that reached far beyond their hazard, hazards with
land remaining and no recent fact, land outside every region, and the geometry repairs and
refusals the import reports keep. The rules that decide are in app/quality/rules.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, text

from app.ledger.scopes import NATIONAL
from app.storage.conditions import not_voided, official, remaining_land
from app.storage.sql import merged


@dataclass(frozen=True)
class MeetingPair:
    """Two official hazards whose recorded polygons meet: ``earlier`` was recorded first."""

    earlier: str
    later: str
    overlap_m2: float
    earlier_m2: float
    later_m2: float
    earlier_perimeter_m: float
    later_perimeter_m: float
    differ_m2: float  # infinite where the areas alone show they differ by more than ``band``


def meeting_pairs(conn: Connection, tolerance_m: float) -> list[MeetingPair]:
    """Every pair of official hazards whose recorded polygons (their record facts) meet.

    The symmetric difference, the costly measure, is taken only where the two areas differ
    by no more than a band ``tolerance_m`` wide along both outlines: elsewhere it cannot be
    that small.
    """
    rows = conn.execute(
        text(
            f"""
            WITH pair AS (
                SELECT a.reference AS earlier, b.reference AS later,
                       a.footprint AS ga, b.footprint AS gb,
                       a.footprint_m2 AS earlier_m2, b.footprint_m2 AS later_m2,
                       ST_Perimeter(a.footprint::geography) AS earlier_perimeter_m,
                       ST_Perimeter(b.footprint::geography) AS later_perimeter_m
                  FROM hazards a
                  JOIN hazards b
                    ON a.footprint && b.footprint AND a.seq < b.seq
                   AND ST_Intersects(a.footprint, b.footprint)
                 WHERE {official("a")} AND {official("b")}
            )
            SELECT earlier, later, earlier_m2, later_m2, earlier_perimeter_m, later_perimeter_m,
                   ST_Area(ST_Intersection(ga, gb)::geography) AS overlap_m2,
                   CASE WHEN abs(earlier_m2 - later_m2)
                             <= :tolerance_m * (earlier_perimeter_m + later_perimeter_m)
                        THEN ST_Area(ST_SymDifference(ga, gb)::geography)
                        ELSE 'Infinity'::float8 END AS differ_m2
              FROM pair
             ORDER BY later, earlier
            """
        ),
        {"tolerance_m": tolerance_m},
    )
    return [MeetingPair(**row._asdict()) for row in rows]


def overshoots(conn: Connection, at_least_m2: float) -> list[dict[str, Any]]:
    """The official events in force whose polygon as submitted reached at least
    ``at_least_m2`` beyond their hazard, by date."""
    voided = not_voided("e")
    rows = conn.execute(
        text(
            f"""
            SELECT h.reference, e.id AS event_id, e.kind, e.occurred_on, o.policy,
                   o.submitted_m2, o.outside_m2
              FROM event_overshoots o
              JOIN events e ON e.id = o.event_id
              JOIN hazards h ON h.id = e.hazard_id
             WHERE o.outside_m2 >= :at_least_m2 AND {official("e")} AND {voided.sql}
             ORDER BY e.occurred_on, e.seq
            """
        ),
        merged(voided.params, {"at_least_m2": at_least_m2}),
    )
    return [row._asdict() for row in rows]


def stale(conn: Connection, today: date, before: date) -> list[dict[str, Any]]:
    """Official hazards with land remaining today whose own latest fact (their record or an
    event of theirs in force) is dated before ``before``, oldest first."""
    land = remaining_land(today, NATIONAL, None)
    voided = not_voided("e")
    rows = conn.execute(
        text(
            f"""
            SELECT reference, remaining_m2, latest_on FROM (
                SELECT h.reference, l.m2 AS remaining_m2,
                       greatest(h.recorded_on,
                                (SELECT max(e.occurred_on) FROM events e
                                  WHERE e.hazard_id = h.id AND {official("e")}
                                    AND {voided.sql})) AS latest_on
                  FROM (SELECT s.hazard_id, sum(s.area_m2) AS m2 FROM land_state s
                         WHERE {land.sql} GROUP BY s.hazard_id) l
                  JOIN hazards h ON h.id = l.hazard_id
            ) x
             WHERE latest_on < :before
             ORDER BY latest_on, reference
            """
        ),
        merged(land.params, voided.params, {"before": before}),
    )
    return [row._asdict() for row in rows]


def outside_regions(conn: Connection, today: date) -> list[dict[str, Any]]:
    """Hazards whose land remaining today lies, wholly or partly, outside every region (none
    while no region is recorded), with that part and the whole, largest part first."""
    land = remaining_land(today, NATIONAL, None)
    rows = conn.execute(
        text(
            f"""
            SELECT h.reference,
                   sum(s.area_m2) FILTER (WHERE s.region_code IS NULL) AS outside_m2,
                   sum(s.area_m2) AS remaining_m2
              FROM land_state s JOIN hazards h ON h.id = s.hazard_id
             WHERE {land.sql} AND EXISTS (SELECT 1 FROM regions)
             GROUP BY h.reference
            HAVING sum(s.area_m2) FILTER (WHERE s.region_code IS NULL) > 0
             ORDER BY outside_m2 DESC, h.reference
            """
        ),
        dict(land.params),
    )
    return [row._asdict() for row in rows]


def geometry_fixes(conn: Connection) -> list[dict[str, Any]]:
    """The uploads (applied or refused, not dry runs) whose report names a geometry repaired
    or refused: each feature so named, upload by upload, in file order."""
    rows = conn.execute(
        text(
            """
            SELECT i.id AS import_id, i.file_name, i.target, i.recorded_at, f.fix,
                   CAST(f.feature->>'index' AS integer) AS feature_index,
                   f.feature->>'reference' AS reference, f.feature->>'code' AS code
              FROM imports i
              CROSS JOIN LATERAL (
                  SELECT 'repaired' AS fix, r AS feature
                    FROM jsonb_array_elements(coalesce(i.report->'repaired_features',
                                                       '[]'::jsonb)) r
                  UNION ALL
                  SELECT 'refused', p
                    FROM jsonb_array_elements(coalesce(i.report->'problems', '[]'::jsonb)) p
                   WHERE p->>'field' = 'geometry'
              ) f
             WHERE i.status <> 'dry run'
             ORDER BY i.recorded_at, i.id, feature_index
            """
        )
    )
    return [row._asdict() for row in rows]
