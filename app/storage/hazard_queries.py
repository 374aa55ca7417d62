"""Hazards as of a date: their records with the land each still holds."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, text

# The land a hazard holds at :as_of (pieces never overlap, so their union is exact).
_REMAINING = """
    LEFT JOIN LATERAL (
        SELECT coalesce(sum(s.area_m2) FILTER (WHERE s.state = 'SHA'), 0) AS sha_m2,
               coalesce(sum(s.area_m2) FILTER (WHERE s.state = 'CHA'), 0) AS cha_m2,
               ST_AsGeoJSON(ST_Union(s.geom), 9) AS remaining_geojson
          FROM land_state s
         WHERE s.hazard_id = h.id AND s.scope = :scope AND s.state IN ('SHA', 'CHA')
           AND s.since_on <= :as_of AND (s.until_on IS NULL OR s.until_on > :as_of)
    ) r ON true
"""

_COLUMNS = """
    h.id, h.reference, h.hazard_class, h.contamination, h.munitions, h.recorded_on,
    h.region, h.notes, h.footprint_m2, h.recorded_at, h.recorded_by,
    r.sha_m2, r.cha_m2, r.remaining_geojson
"""


@dataclass(frozen=True)
class HazardPage:
    hazards: list[dict[str, Any]]
    number_matched: int


def _filters(
    scope: str, bbox: tuple[float, float, float, float] | None
) -> tuple[str, dict[str, Any]]:
    conditions = ["h.recorded_on <= :as_of"]
    params: dict[str, Any] = {}
    if scope != "all":
        conditions.append("h.contamination = :scope")
    if bbox is not None:
        conditions.append("h.footprint && ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4326)")
        params.update(x0=bbox[0], y0=bbox[1], x1=bbox[2], y1=bbox[3])
    return " AND ".join(conditions), params


def list_hazards(
    conn: Connection,
    as_of: date,
    scope: str,
    bbox: tuple[float, float, float, float] | None,
    limit: int,
    offset: int,
) -> HazardPage:
    where, params = _filters(scope, bbox)
    params.update(as_of=as_of, scope=scope, limit=limit, offset=offset)
    rows = conn.execute(
        text(
            f"""
            SELECT {_COLUMNS}
              FROM (SELECT * FROM hazards h WHERE {where}
                    ORDER BY h.id LIMIT :limit OFFSET :offset) h
              {_REMAINING}
             ORDER BY h.id
            """
        ),
        params,
    )
    hazards = [_hazard(row) for row in rows]
    matched = conn.execute(
        text(f"SELECT count(*) FROM hazards h WHERE {where}"), params
    ).scalar_one()
    return HazardPage(hazards, matched)


def get_hazard(conn: Connection, reference: str, as_of: date, scope: str) -> dict | None:
    row = conn.execute(
        text(f"SELECT {_COLUMNS} FROM hazards h {_REMAINING} WHERE h.reference = :reference"),
        {"reference": reference, "as_of": as_of, "scope": scope},
    ).first()
    return _hazard(row) if row else None


def _hazard(row: Any) -> dict[str, Any]:
    values = row._asdict()
    geojson = values.pop("remaining_geojson")
    values["remaining_m2"] = values["sha_m2"] + values["cha_m2"]
    values["remaining_geometry"] = json.loads(geojson) if geojson else None
    return values


_EVENTS = """
    SELECT e.id, h.reference AS hazard_reference, e.kind, e.occurred_on AS date, e.operator,
           e.method, e.items, e.report_ref, e.requested_m2, e.recorded_at, e.recorded_by,
           coalesce(eff.m2, 0) AS effective_m2,
           v.reason AS void_reason, v.recorded_at AS voided_at, v.voided_by,
           ST_AsGeoJSON(e.footprint, 9) AS geometry
      FROM events e
      JOIN hazards h ON h.id = e.hazard_id
      LEFT JOIN event_voids v ON v.event_id = e.id
      LEFT JOIN LATERAL (
          SELECT sum(s.area_m2) AS m2 FROM land_state s
           WHERE s.since_seq = e.seq AND s.scope = 'all'
      ) eff ON true
"""


def hazard_events(conn: Connection, hazard_id: int) -> list[dict[str, Any]]:
    """The hazard's events in ledger order, with the land each changed (national model)."""
    rows = conn.execute(
        text(f"{_EVENTS} WHERE e.hazard_id = :hazard_id ORDER BY e.occurred_on, e.seq"),
        {"hazard_id": hazard_id},
    )
    return [_event(row) for row in rows]


def event_detail(conn: Connection, event_id: int) -> dict[str, Any] | None:
    row = conn.execute(text(f"{_EVENTS} WHERE e.id = :id"), {"id": event_id}).first()
    return _event(row) if row else None


def _event(row: Any) -> dict[str, Any]:
    values = row._asdict()
    values["geometry"] = json.loads(values["geometry"])
    values["ineffective_m2"] = max(values["requested_m2"] - values["effective_m2"], 0.0)
    values["voided"] = values["voided_at"] is not None
    return values
