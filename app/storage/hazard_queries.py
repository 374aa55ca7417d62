"""Hazards and their events as a caller may see them: as of a date, as known at a moment."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import shapely
from sqlalchemy import Connection, text

from app.geo.area import without_slivers
from app.geo.polygons import snapped
from app.ledger.states import fact_areas
from app.storage.drawing import as_geojson
from app.storage.ledger_store import knowledge


@dataclass(frozen=True)
class View:
    """What a query shows: the date of the figures, the scope, the moment of knowledge and
    which submissions that are not approved the caller may see."""

    as_of: date
    scope: str = "all"
    known_at: datetime | None = None
    # Pending and rejected submissions: of every organisation (None), of these, or none.
    unapproved_of: frozenset[int] | None = frozenset()

    def conditions(self, alias: str) -> tuple[str, dict[str, Any]]:
        """SQL condition on a hazards or events row (``alias``) for this view."""
        params: dict[str, Any] = {}
        approved = f"{alias}.status = 'approved'"
        if self.known_at is not None:
            # As known at a past moment: the official records of then, nothing pending.
            approved += f" AND coalesce({alias}.reviewed_at, {alias}.recorded_at) <= :known_at"
            params["known_at"] = self.known_at
            return approved, params
        if self.unapproved_of is None:
            visible = f"({approved} OR {alias}.status <> 'approved')"
        elif self.unapproved_of:
            visible = (
                f"({approved} OR ({alias}.status <> 'approved' "
                f"AND {alias}.organisation_id = ANY(:own_orgs)))"
            )
            params["own_orgs"] = list(self.unapproved_of)
        else:
            visible = f"({approved})"
        return visible, params


# The land a hazard holds at :as_of (pieces never overlap, so their union is exact).
_REMAINING = f"""
    LEFT JOIN LATERAL (
        SELECT coalesce(sum(s.area_m2) FILTER (WHERE s.state = 'SHA'), 0) AS sha_m2,
               coalesce(sum(s.area_m2) FILTER (WHERE s.state = 'CHA'), 0) AS cha_m2,
               {as_geojson("ST_Union(s.geom)")} AS remaining_geojson
          FROM land_state s
         WHERE s.hazard_id = h.id AND s.scope = :scope AND s.state IN ('SHA', 'CHA')
           AND s.since_on <= :as_of AND (s.until_on IS NULL OR s.until_on > :as_of)
           AND {{known}}
    ) r ON true
"""

_COLUMNS = f"""
    h.id, h.reference, h.hazard_class, h.contamination, h.munitions, h.recorded_on,
    h.region, h.notes, h.footprint_m2, h.recorded_at, h.recorded_by, h.organisation_id,
    h.status, h.reviewed_by, h.reviewed_at, h.review_reason,
    r.sha_m2, r.cha_m2, r.remaining_geojson,
    CASE WHEN h.status <> 'approved' THEN {as_geojson("h.footprint")} END AS submitted_geojson
"""


# One hazard per reference: the one in force or awaiting review, else the last rejected one
# (a rejected submission gives its reference back to a corrected one).
_LATEST = """
    SELECT DISTINCT ON (h.reference) * FROM hazards h WHERE {where}
     ORDER BY h.reference, h.status = 'rejected', h.id DESC
"""


@dataclass(frozen=True)
class HazardPage:
    hazards: list[dict[str, Any]]
    number_matched: int


def _hazard_filters(
    view: View, bbox: tuple[float, float, float, float] | None
) -> tuple[str, dict[str, Any]]:
    visible, params = view.conditions("h")
    conditions = ["h.recorded_on <= :as_of", visible]
    if view.scope != "all":
        conditions.append("h.contamination = :scope")
    if bbox is not None:
        conditions.append("h.footprint && ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4326)")
        params.update(x0=bbox[0], y0=bbox[1], x1=bbox[2], y1=bbox[3])
    return " AND ".join(conditions), params


def _view_params(view: View) -> tuple[str, dict[str, Any]]:
    known, params = knowledge(view.known_at, "s")
    return _REMAINING.format(known=known), {
        "as_of": view.as_of,
        "scope": view.scope,
        **params,
    }


def list_hazards(
    conn: Connection,
    view: View,
    bbox: tuple[float, float, float, float] | None,
    limit: int,
    offset: int,
) -> HazardPage:
    where, params = _hazard_filters(view, bbox)
    remaining, view_params = _view_params(view)
    params.update(view_params, limit=limit, offset=offset)
    rows = conn.execute(
        text(
            f"""
            SELECT {_COLUMNS}
              FROM (SELECT * FROM ({_LATEST.format(where=where)}) h
                    ORDER BY h.id LIMIT :limit OFFSET :offset) h
              {remaining}
             ORDER BY h.id
            """
        ),
        params,
    )
    hazards = [_hazard(row) for row in rows]
    matched = conn.execute(
        text(f"SELECT count(DISTINCT h.reference) FROM hazards h WHERE {where}"), params
    ).scalar_one()
    return HazardPage(hazards, matched)


def get_hazard(conn: Connection, reference: str, view: View) -> dict | None:
    visible, params = view.conditions("h")
    remaining, view_params = _view_params(view)
    where = f"h.reference = :reference AND {visible}"
    row = conn.execute(
        text(f"SELECT {_COLUMNS} FROM ({_LATEST.format(where=where)}) h {remaining}"),
        {"reference": reference, **params, **view_params},
    ).first()
    return _hazard(row) if row else None


def _hazard(row: Any) -> dict[str, Any]:
    values = row._asdict()
    geojson = values.pop("remaining_geojson")
    submitted = values.pop("submitted_geojson")
    values["remaining_m2"] = values["sha_m2"] + values["cha_m2"]
    # Land not in the official figures yet: show what was submitted. No geometry where the
    # land is nothing when drawn on the grid of the digits written (slivers only).
    values["geometry"] = json.loads(submitted or geojson) if (submitted or geojson) else None
    return values


_EVENTS = f"""
    SELECT e.id, h.reference AS hazard_reference, e.kind, e.occurred_on AS date, e.operator,
           e.method, e.items, e.report_ref, e.requested_m2, e.recorded_at, e.recorded_by,
           e.organisation_id, e.status, e.reviewed_by, e.reviewed_at, e.review_reason,
           coalesce(eff.m2, 0) AS effective_m2, coalesce(eff.absorbed_m2, 0) AS absorbed_m2,
           v.reason AS void_reason, v.recorded_at AS voided_at, v.voided_by,
           {as_geojson("e.footprint")} AS geometry
      FROM events e
      JOIN hazards h ON h.id = e.hazard_id
      LEFT JOIN event_voids v ON v.event_id = e.id {{void_known}}
      LEFT JOIN LATERAL (
          SELECT sum(s.area_m2) AS m2, sum(s.absorbed_m2) AS absorbed_m2 FROM land_state s
           WHERE s.since_seq = e.seq AND s.scope = 'all' AND {{known}}
      ) eff ON true
"""


def _events_sql(view: View) -> tuple[str, dict[str, Any]]:
    known, params = knowledge(view.known_at, "s")
    visible, visible_params = view.conditions("e")
    void_known = "AND v.recorded_at <= :known_at" if view.known_at else ""
    return (
        _EVENTS.format(known=known, void_known=void_known) + f" WHERE {visible}",
        {**params, **visible_params},
    )


def hazard_events(conn: Connection, hazard_id: int, view: View) -> list[dict[str, Any]]:
    """The hazard's events in ledger order, with the land each changed (national scope)."""
    sql, params = _events_sql(view)
    rows = conn.execute(
        text(f"{sql} AND e.hazard_id = :hazard_id ORDER BY e.occurred_on, e.seq"),
        {**params, "hazard_id": hazard_id},
    )
    return [_event(row) for row in rows]


def event_detail(conn: Connection, event_id: int, view: View) -> dict[str, Any] | None:
    sql, params = _events_sql(view)
    row = conn.execute(text(f"{sql} AND e.id = :id"), {**params, "id": event_id}).first()
    return _event(row) if row else None


def _event(row: Any) -> dict[str, Any]:
    values = row._asdict()
    # The polygon submitted; none when it is thinner than the grid it is drawn on.
    values["geometry"] = json.loads(values["geometry"]) if values["geometry"] else None
    values["absorbed_m2"], values["ineffective_m2"] = fact_areas(
        values["requested_m2"], values["effective_m2"], values["absorbed_m2"]
    )
    values["voided"] = values["voided_at"] is not None
    return values


def remaining_land(
    conn: Connection,
    view: View,
    bbox: tuple[float, float, float, float] | None,
    with_regions: bool = False,
) -> list[dict[str, Any]]:
    """Every hazard's contaminated land at the view's date, as WKB (for exports); with
    ``with_regions``, also its m² per region of the finest level (``region_m2``)."""
    where, params = _hazard_filters(view, bbox)
    known, known_params = knowledge(view.known_at, "s")
    per_region = (
        f"""
        , (SELECT jsonb_object_agg(coalesce(x.code, ''), x.m2)
             FROM (SELECT s.region_code AS code, sum(s.area_m2) AS m2
                     FROM land_state s
                    WHERE s.hazard_id = h.id AND s.scope = :scope
                      AND s.state IN ('SHA', 'CHA') AND {known}
                      AND s.since_on <= :as_of AND (s.until_on IS NULL OR s.until_on > :as_of)
                    GROUP BY s.region_code) x) AS region_m2
        """
        if with_regions
        else ""
    )
    rows = conn.execute(
        text(
            f"""
            SELECT h.reference, h.hazard_class AS recorded_class, h.contamination, h.region,
                   h.recorded_on, array_to_string(h.munitions, ', ') AS munitions, h.notes,
                   r.sha_m2, r.cha_m2, ST_AsBinary(r.geom) AS geometry {per_region}
              FROM ({_LATEST.format(where=where)}) h
              JOIN LATERAL (
                  SELECT coalesce(sum(s.area_m2) FILTER (WHERE s.state = 'SHA'), 0) AS sha_m2,
                         coalesce(sum(s.area_m2) FILTER (WHERE s.state = 'CHA'), 0) AS cha_m2,
                         ST_Union(s.geom) AS geom
                    FROM land_state s
                   WHERE s.hazard_id = h.id AND s.scope = :scope
                     AND s.state IN ('SHA', 'CHA') AND {known}
                     AND s.since_on <= :as_of AND (s.until_on IS NULL OR s.until_on > :as_of)
              ) r ON r.geom IS NOT NULL
             WHERE h.status = 'approved'
             ORDER BY h.reference
            """
        ),
        {**params, **known_params, "as_of": view.as_of, "scope": view.scope},
    )
    return drawn(row._asdict() for row in rows)


def drawn(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows whose WKB ``geometry`` is drawn on the overlay grid and without slivers; those
    that are only slivers (land of a few square millimetres) are left out.

    On the grid, every coordinate has at most 14 significant digits: formats that write
    coordinates as text (KML, CSV) then keep them exactly, and a polygon valid here is valid
    again when read back.
    """
    drawn = []
    for row in rows:
        geometry = without_slivers(snapped(shapely.from_wkb(row["geometry"])))
        if not geometry.is_empty:
            drawn.append({**row, "geometry": geometry.wkb})
    return drawn


def effective_land(
    conn: Connection, view: View, bbox: tuple[float, float, float, float] | None
) -> list[dict[str, Any]]:
    """Every official event dated by the view's date with the land it changed (as WKB) and
    the part of its polygon that changed nothing (ineffective_m2)."""
    visible, params = view.conditions("e")
    known, known_params = knowledge(view.known_at, "s")
    conditions = [visible, "e.status = 'approved'", "e.occurred_on <= :as_of"]
    if bbox is not None:
        conditions.append("e.footprint && ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4326)")
        params.update(x0=bbox[0], y0=bbox[1], x1=bbox[2], y1=bbox[3])
    if view.scope != "all":
        conditions.append("h.contamination = :scope")
    void_known = "AND v.recorded_at <= :known_at" if view.known_at else ""
    rows = conn.execute(
        text(
            f"""
            SELECT e.id, e.id AS event_id, h.reference AS hazard, e.kind,
                   e.occurred_on AS date, e.operator, e.method, e.items, e.report_ref,
                   e.requested_m2, eff.m2 AS effective_m2, eff.absorbed_m2,
                   ST_AsBinary(eff.geom) AS geometry
              FROM events e
              JOIN hazards h ON h.id = e.hazard_id
              JOIN LATERAL (
                  SELECT sum(s.area_m2) AS m2, sum(s.absorbed_m2) AS absorbed_m2,
                         ST_Union(s.geom) AS geom
                    FROM land_state s
                   WHERE s.since_seq = e.seq AND s.scope = :scope AND {known}
              ) eff ON eff.geom IS NOT NULL
             WHERE {" AND ".join(conditions)}
               AND NOT EXISTS (SELECT 1 FROM event_voids v WHERE v.event_id = e.id {void_known})
             ORDER BY e.occurred_on, e.seq
            """
        ),
        {**params, **known_params, "as_of": view.as_of, "scope": view.scope},
    )
    return drawn(_with_fact_areas(row._asdict()) for row in rows)


def _with_fact_areas(event: dict[str, Any]) -> dict[str, Any]:
    event["absorbed_m2"], event["ineffective_m2"] = fact_areas(
        event["requested_m2"], event["effective_m2"], event["absorbed_m2"]
    )
    return event


def items_destroyed(
    conn: Connection, view: View, start: date, end: date
) -> list[tuple[int, str, int]]:
    """(year, item type, count) destroyed by official events dated in (start, end]."""
    visible, params = view.conditions("e")
    void_known = "AND v.recorded_at <= :known_at" if view.known_at else ""
    scope = "" if view.scope == "all" else "AND h.contamination = :scope"
    rows = conn.execute(
        text(
            f"""
            SELECT extract(year FROM e.occurred_on)::int AS year, item.key AS type,
                   sum(item.value::bigint) AS count
              FROM events e
              JOIN hazards h ON h.id = e.hazard_id
              CROSS JOIN LATERAL jsonb_each_text(e.items) AS item
             WHERE {visible} AND e.status = 'approved' {scope}
               AND e.occurred_on > :start AND e.occurred_on <= :end
               AND NOT EXISTS (SELECT 1 FROM event_voids v WHERE v.event_id = e.id {void_known})
             GROUP BY 1, 2
             ORDER BY 1, 2
            """
        ),
        {**params, "start": start, "end": end, "scope": view.scope},
    )
    return [(year, kind, int(count)) for year, kind, count in rows]
