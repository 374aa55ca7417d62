"""Geodesic areas on the WGS84 ellipsoid (GeographicLib, as PostGIS geography uses)."""

from __future__ import annotations

from pyproj import Geod
from shapely.geometry.base import BaseGeometry

WGS84 = Geod(ellps="WGS84")


def geodesic_area_m2(geometry: BaseGeometry | None) -> float:
    if geometry is None or geometry.is_empty:
        return 0.0
    area, _ = WGS84.geometry_area_perimeter(geometry)
    return abs(area)
