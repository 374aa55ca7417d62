"""Geometry helpers: geodesic areas, densification along geodesics."""

from __future__ import annotations

import pytest
import shapely
from pyproj import Geod

from app.geo.area import geodesic_area_m2
from app.geo.geodesic import densified

GEOD = Geod(ellps="WGS84")


def _geod(polygon: shapely.Polygon) -> float:
    return abs(GEOD.geometry_area_perimeter(polygon)[0])


def test_area_of_multipolygons_whatever_the_orientation_of_their_parts() -> None:
    counter_clockwise = shapely.box(102.6, 19.4, 102.61, 19.41)
    clockwise = shapely.box(103.0, 19.0, 103.001, 19.001).reverse()
    with_hole = counter_clockwise.difference(shapely.box(102.602, 19.402, 102.603, 19.403))
    multi = shapely.MultiPolygon([with_hole, clockwise])
    assert geodesic_area_m2(multi) == pytest.approx(_geod(with_hole) + _geod(clockwise), rel=1e-12)


def test_densifying_along_geodesics_keeps_the_area() -> None:
    polygon = shapely.Polygon([(102.0, 19.0), (102.3, 19.05), (102.2, 19.4), (101.95, 19.3)])
    dense = densified(polygon, max_segment_m=20)
    assert len(dense.exterior.coords) > 1000
    assert geodesic_area_m2(dense) == pytest.approx(geodesic_area_m2(polygon), rel=1e-9)
    coords = shapely.get_coordinates(dense)
    lengths = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])[2]
    assert max(lengths) <= 20.0 + 1e-6
