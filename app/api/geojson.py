"""GeoJSON in and out."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from shapely.geometry import MultiPolygon, shape

from app.errors import InvalidGeometry
from app.geo.polygons import checked_footprint
from app.settings import input_settings


def footprint_from_geojson(geometry: dict[str, Any] | None, *, repair: bool) -> MultiPolygon:
    if geometry is None:
        raise InvalidGeometry("geometry", code="geometry.missing")
    try:
        parsed = shape(geometry)
    except Exception as error:  # shapely and GEOS refuse malformed input in many ways
        raise InvalidGeometry(
            "geometry", code="geometry.not_geojson", params={"error": str(error)}
        ) from None
    return checked_footprint(
        parsed,
        field="geometry",
        repair=repair,
        max_vertices=input_settings().max_polygon_vertices,
    )


def feature(geometry: dict[str, Any] | None, properties: dict[str, Any], fid: Any = None) -> dict:
    body: dict[str, Any] = {"type": "Feature"}
    if fid is not None:
        body["id"] = fid
    body["geometry"] = geometry
    body["properties"] = properties
    return body


def photo_links(photos: list[dict[str, Any]], fact_path: str) -> list[dict[str, Any]]:
    """Photos of a fact, each with the URL that serves it under the fact's own (which the
    fact's visibility guards)."""
    return [{**p, "href": f"{fact_path}/photos/{quote(p['name'], safe='')}"} for p in photos]


def hazard_feature(hazard: dict[str, Any]) -> dict[str, Any]:
    """A hazard as a Feature: its remaining land as geometry (what was submitted while it
    awaits review), its reference as id."""
    properties = {k: v for k, v in hazard.items() if k not in ("id", "geometry")}
    if "photos" in hazard:
        where = f"/api/v1/hazards/{quote(hazard['reference'], safe='')}"
        properties["photos"] = photo_links(hazard["photos"], where)
    return feature(hazard["geometry"], properties, hazard["reference"])


def event_feature(event: dict[str, Any]) -> dict[str, Any]:
    properties = {k: v for k, v in event.items() if k != "geometry"}
    if "photos" in event:
        properties["photos"] = photo_links(event["photos"], f"/api/v1/events/{event['id']}")
    return feature(event["geometry"], properties, event["id"])
