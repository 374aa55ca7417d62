"""Where each hazard with remaining land is, as one point, and how much land it still holds:
what a map draws at scales where the land itself would be smaller than a pixel."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, text

from app.storage.conditions import remaining_land
from app.storage.sql import where


def remaining_points(
    conn: Connection, as_of: date, scope: str, known_at: datetime | None
) -> list[dict[str, Any]]:
    """One row per hazard holding contaminated land of ``scope`` on ``as_of``: its
    reference, a point on its largest remaining piece (lon/lat) and its SHA and CHA m²."""
    found = where([remaining_land(as_of, scope, known_at)])
    sql = f"""
        SELECT h.reference,
               ST_X(p.point) AS lon, ST_Y(p.point) AS lat,
               p.sha_m2, p.cha_m2
          FROM (SELECT s.hazard_id,
                       (array_agg(ST_PointOnSurface(s.geom) ORDER BY s.area_m2 DESC))[1]
                           AS point,
                       coalesce(sum(s.area_m2) FILTER (WHERE s.state = 'SHA'), 0) AS sha_m2,
                       coalesce(sum(s.area_m2) FILTER (WHERE s.state = 'CHA'), 0) AS cha_m2
                  FROM land_state s
                 {found.sql}
                 GROUP BY s.hazard_id) p
          JOIN hazards h ON h.id = p.hazard_id
         ORDER BY h.reference
    """
    return [dict(row) for row in conn.execute(text(sql), found.params).mappings()]
