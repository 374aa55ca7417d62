"""Edges are geodesics: polygons are densified along them before any overlay.

Areas are geodesic (the edges of a polygon are geodesics on WGS84), but overlays run in the
lon/lat plane, where an edge is a straight chord. On a long edge the two differ by millimetres,
enough to change an area by a few parts per million whenever an overlay puts a vertex on the
chord. Inserting points on the geodesic every few metres makes chord and geodesic agree
to well below a millimetre, and keeps the geodesic area of the polygon as it was.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from app.geo.area import WGS84

MAX_SEGMENT_M = 20.0


def densified_ring(coords: np.ndarray, max_segment_m: float = MAX_SEGMENT_M) -> np.ndarray:
    lons, lats = coords[:, 0], coords[:, 1]
    _, _, lengths = WGS84.inv(lons[:-1], lats[:-1], lons[1:], lats[1:])
    if float(np.max(lengths, initial=0.0)) <= max_segment_m:
        return coords
    points: list[np.ndarray] = []
    for i, length in enumerate(lengths):
        points.append(coords[i : i + 1])
        extra = math.ceil(length / max_segment_m) - 1
        if extra > 0:
            between = WGS84.npts(lons[i], lats[i], lons[i + 1], lats[i + 1], extra)
            points.append(np.asarray(between, dtype=float))
    points.append(coords[-1:])
    return np.concatenate(points)


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
