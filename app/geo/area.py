"""Geodesic areas on the WGS84 ellipsoid (GeographicLib, as PostGIS geography uses)."""

from __future__ import annotations

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
            area, _ = WGS84.polygon_area_perimeter(coords[:, 0], coords[:, 1])
            total += abs(area) if number == 0 else -abs(area)
    return total
