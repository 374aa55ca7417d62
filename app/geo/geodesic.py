"""Edges are geodesics: polygons are densified along them before any overlay.

Areas are geodesic (the edges of a polygon are geodesics on WGS84), but overlays run in the
lon/lat plane, where an edge is a straight chord. On a long edge the two differ by millimetres,
enough to change an area by a few parts per million whenever an overlay puts a vertex on the
chord. Inserting points on the geodesic every few metres makes chord and geodesic agree
to well below a millimetre, and keeps the geodesic area of the polygon as it was.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from app.geo.area import WGS84

MAX_SEGMENT_M = 20.0


def densified_ring(coords: np.ndarray, max_segment_m: float = MAX_SEGMENT_M) -> np.ndarray:
    """The ring's vertices with points on each geodesic edge at most ``max_segment_m`` apart."""
    lons, lats = coords[:-1, 0], coords[:-1, 1]
    azimuths, _, lengths = WGS84.inv(lons, lats, coords[1:, 0], coords[1:, 1])
    extra = np.maximum(np.ceil(np.asarray(lengths) / max_segment_m).astype(int) - 1, 0)
    if not extra.any():
        return coords
    # Every new point is found from its edge's start along the edge's azimuth, all in one call.
    edge = np.repeat(np.arange(len(extra)), extra)
    step = np.arange(len(edge)) - np.repeat(np.cumsum(extra) - extra, extra) + 1
    fraction = step / (extra[edge] + 1)
    new_lons, new_lats, _ = WGS84.fwd(
        lons[edge], lats[edge], np.asarray(azimuths)[edge], np.asarray(lengths)[edge] * fraction
    )
    order = np.concatenate([np.arange(len(lons), dtype=float), edge + fraction])
    points = np.concatenate([coords[:-1], np.column_stack([new_lons, new_lats])])
    dense = points[np.argsort(order, kind="stable")]
    return np.concatenate([dense, coords[-1:]])


def densified(geometry: BaseGeometry, max_segment_m: float = MAX_SEGMENT_M) -> BaseGeometry:
    """Polygon or MultiPolygon with points on its geodesic edges at most ``max_segment_m`` apart."""
    polygons = shapely.get_parts(geometry)
    result = [
        Polygon(
            densified_ring(np.asarray(p.exterior.coords)[:, :2], max_segment_m),
            [densified_ring(np.asarray(r.coords)[:, :2], max_segment_m) for r in p.interiors],
        )
        for p in polygons
    ]
    return MultiPolygon(result) if isinstance(geometry, MultiPolygon) else result[0]
