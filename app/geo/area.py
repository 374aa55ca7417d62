"""Geodesic areas on the WGS84 ellipsoid (GeographicLib, as PostGIS geography uses)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

WGS84 = Geod(ellps="WGS84")


def geodesic_area_m2(geometry: BaseGeometry | None) -> float:
    """Area of a Polygon or MultiPolygon with geodesic edges: shells minus holes."""
    if geometry is None or geometry.is_empty:
        return 0.0
    total = 0.0
    for polygon in shapely.get_parts(geometry):
        for number, ring in enumerate(shapely.get_rings(polygon)):
            coords = shapely.get_coordinates(ring)
            total += _ring_area(coords[:, 0], coords[:, 1], shell=number == 0)
    return total


def geodesic_areas(geometries: Sequence[BaseGeometry | None]) -> np.ndarray:
    """``geodesic_area_m2`` of many geometries: their rings are listed in a few vectorised
    calls, and only the area of each ring is left to a call of its own."""
    array = np.empty(len(geometries), dtype=object)
    array[:] = geometries
    areas = np.zeros(len(array))
    parts, part_owner = shapely.get_parts(array, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    if len(rings) == 0:
        return areas
    is_shell = np.ones(len(rings), dtype=bool)
    is_shell[1:] = ring_part[1:] != ring_part[:-1]  # a polygon's first ring is its shell
    coords = shapely.get_coordinates(rings)
    ends = np.cumsum(shapely.get_num_coordinates(rings))
    starts = ends - shapely.get_num_coordinates(rings)
    lons, lats = coords[:, 0], coords[:, 1]
    owner = part_owner[ring_part]
    for ring, (start, end) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        areas[owner[ring]] += _ring_area(lons[start:end], lats[start:end], bool(is_shell[ring]))
    return areas


def _ring_area(lons: np.ndarray, lats: np.ndarray, shell: bool) -> float:
    """A shell adds its area, a hole takes it away, whichever way the ring turns."""
    area, _ = WGS84.polygon_area_perimeter(lons, lats)
    return abs(area) if shell else -abs(area)


# A part or hole narrower than this on average (twice its area over its perimeter) is a
# sliver: overlays of polygons densified at different points leave some micrometres wide.
# Wider strips are land the ledger holds (a clearance drawn in UTM a fraction of a
# millimetre inside its hazard's geodesic edge leaves one): they are drawn, so that the
# drawing's area is the ledger's.
SLIVER_WIDTH_M = 0.00001


def without_slivers(geometry: BaseGeometry) -> BaseGeometry:
    """``geometry`` (Polygon or MultiPolygon) without the parts and holes that are slivers,
    for drawing and exporting; figures keep the area the ledger measured. May be empty."""
    polygons = []
    for polygon in shapely.get_parts(geometry):
        if _is_sliver(polygon.exterior.coords):
            continue
        holes = [ring.coords for ring in polygon.interiors if not _is_sliver(ring.coords)]
        polygons.append(shapely.Polygon(polygon.exterior.coords, holes))
    return shapely.MultiPolygon(polygons)


def _is_sliver(coords: Sequence[tuple[float, ...]]) -> bool:
    lons, lats = np.asarray(coords)[:, :2].T
    area, perimeter = WGS84.polygon_area_perimeter(lons, lats)
    return perimeter == 0 or 2 * abs(area) / perimeter < SLIVER_WIDTH_M
