"""Hazards drawn over land already recorded: exact duplicates of recorded polygons, and the
hazards whose contaminated land a new hazard lies on, with the area it covers of each."""

from __future__ import annotations

from sqlalchemy import Connection, text

from app.ledger.scopes import NATIONAL
from app.storage.conditions import contaminated, known


def exact_duplicates(conn: Connection, hazard_ids: list[int]) -> dict[int, list[str]]:
    """For each of these hazards, the references of the hazards recorded before it (and not
    rejected) whose polygon is the same."""
    if not hazard_ids:
        return {}
    rows = conn.execute(
        text(
            """
            SELECT n.id, o.reference
              FROM hazards n
              JOIN hazards o
                ON o.footprint ~= n.footprint AND ST_Equals(o.footprint, n.footprint)
             WHERE n.id = ANY(:ids) AND o.id <> n.id AND o.seq < n.seq
               AND o.status <> 'rejected'
             ORDER BY n.id, o.reference
            """
        ),
        {"ids": hazard_ids},
    )
    found: dict[int, list[str]] = {}
    for hazard_id, reference in rows:
        found.setdefault(hazard_id, []).append(reference)
    return found


def land_underneath(conn: Connection, hazard_ids: list[int]) -> dict[int, list[tuple[str, float]]]:
    """For each of these hazards, the other hazards whose contaminated land it lies on, as
    that land stood just before it in ledger order, with the area (m²) it covers of each,
    largest first."""
    if not hazard_ids:
        return {}
    rows = conn.execute(
        text(
            f"""
            SELECT n.id, o.reference,
                   sum(ST_Area(ST_Intersection(s.geom, n.footprint)::geography)) AS m2
              FROM hazards n
              JOIN land_state s ON s.geom && n.footprint AND ST_Intersects(s.geom, n.footprint)
              JOIN hazards o ON o.id = s.hazard_id
             WHERE n.id = ANY(:ids) AND s.scope = :national AND {known("s").sql}
               AND {contaminated("s")} AND s.hazard_id <> n.id
               AND (s.since_on, s.since_seq) < (n.recorded_on, n.seq)
               AND (s.until_seq IS NULL OR (s.until_on, s.until_seq) >= (n.recorded_on, n.seq))
             GROUP BY n.id, o.reference
             ORDER BY n.id, m2 DESC
            """
        ),
        {"ids": hazard_ids, "national": NATIONAL},
    )
    found: dict[int, list[tuple[str, float]]] = {}
    for hazard_id, reference, m2 in rows:
        if m2 > 0:
            found.setdefault(hazard_id, []).append((reference, m2))
    return found
