"""Hazards as a caller may see them (``View``): each with the land it still holds as of a
date, as known at a moment; one page of them, one by reference, or all with their land as
WKB for exports and reports."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from app.geo.bbox import Box
from app.ledger.remaining import remaining_m2
from app.ledger.scopes import NATIONAL
from app.storage.conditions import (
    View,
    holds_reference,
    official,
    remaining_land,
    visible,
    within_boxes,
)
from app.storage.drawing import as_geojson, drawn
from app.storage.figures import contaminated_sums
from app.storage.sql import TRUE, Clause, all_of, merged

_COLUMNS = f"""
    h.id, h.reference, h.hazard_class, h.contamination, h.munitions, h.recorded_on,
    h.region, h.notes, h.footprint_m2, h.recorded_at, h.recorded_by, h.organisation_id,
    h.status, h.reviewed_by, h.reviewed_at, h.review_reason, h.import_id,
    r.sha_m2, r.cha_m2, r.remaining_geojson,
    CASE WHEN h.status <> 'approved' THEN {as_geojson("h.footprint")} END AS submitted_geojson
"""


def _latest(where: str) -> str:
    """One hazard per reference among those ``where`` selects: the one in force or awaiting
    review, else the last rejected or withdrawn one (which gave its reference back to a
    corrected one)."""
    return f"""
        SELECT DISTINCT ON (h.reference) * FROM hazards h WHERE {where}
         ORDER BY h.reference, NOT ({holds_reference("h")}), h.id DESC
    """


def _land_of_hazard(view: View) -> Clause:
    """The land a hazard (``h``) holds at the view's date, as a lateral join ``r`` (pieces
    never overlap, so their union is exact)."""
    land = remaining_land(view.as_of, view.scope, view.known_at)
    return Clause(
        f"""
        LEFT JOIN LATERAL (
            SELECT {contaminated_sums()}, {as_geojson("ST_Union(s.geom)")} AS remaining_geojson
              FROM land_state s
             WHERE s.hazard_id = h.id AND {land.sql}
        ) r ON true
        """,
        land.params,
    )


def _hazard_filter(view: View, boxes: Sequence[Box] | None) -> Clause:
    """The hazards the view shows, recorded by its date, of its scope, in the boxes."""
    return all_of(
        [
            Clause("h.recorded_on <= :as_of", {"as_of": view.as_of}),
            visible("h", view),
            TRUE
            if view.scope == NATIONAL
            else Clause("h.contamination = :scope", {"scope": view.scope}),
            within_boxes("h.footprint", boxes or ()),
        ]
    )


@dataclass(frozen=True)
class HazardPage:
    hazards: list[dict[str, Any]]
    number_matched: int


def list_hazards(
    conn: Connection, view: View, boxes: Sequence[Box] | None, limit: int, offset: int
) -> HazardPage:
    """A page of the hazards of ``view`` in ``boxes`` (lon/lat boxes; None: anywhere), by
    id, and how many there are on all pages."""
    where = _hazard_filter(view, boxes)
    land = _land_of_hazard(view)
    params = merged(where.params, land.params, {"limit": limit, "offset": offset})
    rows = conn.execute(
        text(
            f"""
            SELECT {_COLUMNS}
              FROM (SELECT * FROM ({_latest(where.sql)}) h
                    ORDER BY h.id LIMIT :limit OFFSET :offset) h
              {land.sql}
             ORDER BY h.id
            """
        ),
        params,
    )
    hazards = [_hazard(row) for row in rows]
    matched = conn.execute(
        text(f"SELECT count(DISTINCT h.reference) FROM hazards h WHERE {where.sql}"), params
    ).scalar_one()
    return HazardPage(hazards, matched)


def get_hazard(conn: Connection, reference: str, view: View) -> dict[str, Any] | None:
    """The hazard of ``reference`` as the view shows it (None when it shows none)."""
    where = all_of(
        [Clause("h.reference = :reference", {"reference": reference}), visible("h", view)]
    )
    land = _land_of_hazard(view)
    row = conn.execute(
        text(f"SELECT {_COLUMNS} FROM ({_latest(where.sql)}) h {land.sql}"),
        merged(where.params, land.params),
    ).first()
    return _hazard(row) if row else None


def _hazard(row: Any) -> dict[str, Any]:
    values: dict[str, Any] = row._asdict()
    geojson = values.pop("remaining_geojson")
    submitted = values.pop("submitted_geojson")
    values["remaining_m2"] = remaining_m2(values["sha_m2"], values["cha_m2"])
    # Land not in the official figures yet: show what was submitted. No geometry where the
    # land is nothing when drawn on the grid of the digits written (slivers only).
    values["geometry"] = json.loads(submitted or geojson) if (submitted or geojson) else None
    return values


def remaining_areas(
    conn: Connection, view: View, boxes: Sequence[Box] | None, with_regions: bool = False
) -> list[dict[str, Any]]:
    """Every official hazard's contaminated land at the view's date, as WKB (for exports
    and reports); with ``with_regions``, also its m² per region of the finest level
    (``region_m2``)."""
    where = _hazard_filter(view, boxes)
    land = remaining_land(view.as_of, view.scope, view.known_at)
    per_region = (
        f"""
        , (SELECT jsonb_object_agg(coalesce(x.code, ''), x.m2)
             FROM (SELECT s.region_code AS code, sum(s.area_m2) AS m2
                     FROM land_state s
                    WHERE s.hazard_id = h.id AND {land.sql}
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
              FROM ({_latest(where.sql)}) h
              JOIN LATERAL (
                  SELECT {contaminated_sums()}, ST_Union(s.geom) AS geom
                    FROM land_state s
                   WHERE s.hazard_id = h.id AND {land.sql}
              ) r ON r.geom IS NOT NULL
             WHERE {official("h")}
             ORDER BY h.reference
            """
        ),
        merged(where.params, land.params),
    )
    return drawn(row._asdict() for row in rows)
