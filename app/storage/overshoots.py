"""What each event's polygon did beyond its hazard: the policy chosen, the area submitted,
the part outside the hazard and, when it was clipped, the polygon as submitted."""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry import MultiPolygon
from sqlalchemy import Connection, text


@dataclass(frozen=True)
class OvershootRow:
    event_id: int
    policy: str
    submitted_m2: float
    outside_m2: float
    submitted: MultiPolygon | None  # the polygon as submitted, when it was clipped


def insert(conn: Connection, rows: list[OvershootRow]) -> None:
    """Append the rows (events whose polygon reached beyond their hazard)."""
    if not rows:
        return
    conn.execute(
        text(
            """
            INSERT INTO event_overshoots (event_id, policy, submitted_m2, outside_m2,
                                          submitted_footprint)
            VALUES (:event_id, :policy, :submitted_m2, :outside_m2,
                    ST_GeomFromWKB(CAST(:submitted AS bytea), 4326))
            """
        ),
        [
            {
                "event_id": row.event_id,
                "policy": row.policy,
                "submitted_m2": row.submitted_m2,
                "outside_m2": row.outside_m2,
                "submitted": row.submitted.wkb if row.submitted is not None else None,
            }
            for row in rows
        ],
    )
