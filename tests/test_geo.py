"""Geometry helpers: geodesic areas, densification along geodesics."""

from __future__ import annotations

import math
import struct

import pytest
import shapely
from pyproj import Geod

from app.geo.area import geodesic_area_m2
from app.geo.curves import linearized
from app.geo.geodesic import densified

GEOD = Geod(ellps="WGS84")


def _geod(polygon: shapely.Polygon) -> float:
    return abs(GEOD.geometry_area_perimeter(polygon)[0])


def _geod_area(geometry: shapely.Geometry) -> float:
    return sum(_geod(p) for p in shapely.get_parts(geometry))


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


def _field_polygons() -> list[shapely.Geometry]:
    """Polygons as field files hold them: small and large, with holes, multi-part."""
    small = shapely.box(102.60, 19.40, 102.601, 19.4012)
    large = shapely.Polygon([(102.0, 19.0), (102.3, 19.05), (102.2, 19.4), (101.95, 19.3)])
    holed = shapely.box(103.0, 19.0, 103.01, 19.01).difference(
        shapely.box(103.002, 19.002, 103.003, 19.003)
    )
    multi = shapely.MultiPolygon([small, shapely.box(102.7, 19.5, 102.702, 19.502).reverse()])
    return [small, large, holed, multi]


def test_batch_footprints_are_the_footprints_of_one_at_a_time() -> None:
    """The vectorised path gives the polygons, messages and areas of the one-by-one path."""
    from app.errors import InvalidGeometry
    from app.geo.area import geodesic_areas
    from app.geo.polygons import (
        _made_valid_on_grid,
        checked_footprint,
        checked_footprints,
        ledger_footprints,
    )

    bowtie = shapely.Polygon([(102.0, 19.0), (102.01, 19.01), (102.01, 19.0), (102.0, 19.01)])
    projected = shapely.box(250_000, 2_150_000, 250_100, 2_150_100)
    z = shapely.force_3d(shapely.box(102.5, 19.5, 102.501, 19.501), 7.0)
    given = [*_field_polygons(), None, shapely.Point(102, 19), bowtie, projected, z]
    batch = checked_footprints(given, field="geometry", repair=False)
    for geometry, result in zip(given, batch, strict=True):
        if geometry is None:
            assert isinstance(result, InvalidGeometry)
            continue
        try:
            one = checked_footprint(geometry, field="geometry", repair=False)
        except InvalidGeometry as error:
            assert isinstance(result, InvalidGeometry) and result.message == error.message
        else:
            assert shapely.equals_exact(result, one, tolerance=0)
    valid = [f for f in batch if not isinstance(f, InvalidGeometry)]
    assert len(valid) == 5
    for dense, footprint in zip(ledger_footprints(valid), valid, strict=True):
        one = _made_valid_on_grid(footprint, "geometry")  # densify, then snap with GEOS
        assert shapely.equals_exact(shapely.normalize(dense), shapely.normalize(one), 0)
    areas = geodesic_areas(valid)
    for area, footprint in zip(areas, valid, strict=True):
        expected = sum(_geod(p) for p in shapely.get_parts(footprint))
        assert area == pytest.approx(expected, rel=1e-12)
        assert area == geodesic_area_m2(footprint)


def test_cutting_pieces_along_regions_conserves_their_areas() -> None:
    from datetime import date

    from app.ledger.boundaries import Boundaries
    from app.ledger.pieces import Piece, Stint
    from app.ledger.states import LandState, LedgerKey

    west, east = shapely.box(101.0, 18.0, 102.6005, 20.0), shapely.box(102.6005, 18.0, 104, 20.0)
    boundaries = Boundaries(["W", "E"], [densified(west), densified(east)])
    polygons = [*_field_polygons(), shapely.box(105, 19, 105.001, 19.001)]
    expected_codes = [["W", "E"], ["W"], ["E"], ["W", "E"], [None]]  # None: outside both
    pieces = []
    for i, polygon in enumerate(polygons):
        stint = Stint(LandState.SHA, None, i, LedgerKey(date(2020, 1, 1), i))
        dense = densified(shapely.MultiPolygon(shapely.get_parts(polygon)))
        pieces.append(Piece(dense, (stint,), geodesic_area_m2(dense)))
    # Cutting them all at once gives the pieces of cutting them one by one, in order.
    one_by_one = [piece for piece in pieces for piece in boundaries.cut(piece)]
    assert boundaries.cut_all(pieces) == one_by_one
    assert [p.region_code for p in one_by_one] == [c for codes in expected_codes for c in codes]
    for piece, codes in zip(pieces, expected_codes, strict=True):
        dense = piece.geometry
        pieces = boundaries.cut(piece)
        assert sum(p.area_m2 for p in pieces) == pytest.approx(geodesic_area_m2(dense), rel=1e-12)
        for piece in pieces:
            region = {"W": west, "E": east, None: None}[piece.region_code]
            if region is None:
                assert not piece.geometry.intersects(west.union(east).buffer(-1e-9))
            else:
                assert piece.geometry.difference(densified(region)).area < 1e-15
                assert piece.area_m2 == pytest.approx(_geod_area(piece.geometry), rel=1e-9)
        assert [p.region_code for p in pieces] == codes


def test_footprints_far_too_large_are_refused_with_the_misplaced_vertex() -> None:
    from app.errors import InvalidGeometry
    from app.geo.polygons import MAX_EXTENT_KM, checked_footprints

    near_equator = shapely.box(106.6, 0.0, 106.6 + MAX_EXTENT_KM * 0.99 / 111.32, 0.01)
    too_wide = shapely.box(106.6, 0.0, 106.6 + MAX_EXTENT_KM * 1.01 / 111.32, 0.01)
    # Far north, a degree of longitude is short: the same width in degrees is allowed.
    far_north = shapely.box(20.0, 69.0, 20.0 + MAX_EXTENT_KM * 2 / 111.32, 69.01)
    glitch = shapely.Polygon([(106.6, 15.8), (0, 0), (106.601, 15.8), (106.601, 15.801)])
    results = checked_footprints(
        [near_equator, too_wide, far_north, glitch], field="geometry", repair=False
    )
    assert [isinstance(r, InvalidGeometry) for r in results] == [False, True, False, True]
    assert "check the vertex at 0.000000, 0.000000" in results[3].message


def _pie_wkb(degrees: tuple[float, float, float], radius: float = 100.0) -> bytes:
    """ISO WKB of a CurvePolygon: an arc of a circle round the origin through the points at
    these angles, closed by two straight lines through the centre."""
    start, middle, end = (
        (radius * math.cos(math.radians(a)), radius * math.sin(math.radians(a))) for a in degrees
    )
    arc = struct.pack("<BII6d", 1, 8, 3, *start, *middle, *end)
    lines = struct.pack("<BII6d", 1, 2, 3, *end, 0.0, 0.0, *start)
    compound = struct.pack("<BII", 1, 9, 2) + arc + lines
    return struct.pack("<BII", 1, 10, 1) + compound


@pytest.mark.parametrize(
    ("degrees", "share"),
    [
        ((0, 135, 270), 0.75),  # counter-clockwise, the long way round
        ((270, 135, 0), 0.75),  # the same arc, clockwise
        ((0, 315, 270), 0.25),  # clockwise, the short way
        ((0, 90, 180), 0.5),
    ],
)
def test_arcs_are_drawn_the_way_their_middle_point_says(degrees, share) -> None:
    pie = linearized(_pie_wkb(degrees))
    disc = shapely.Point(0, 0).buffer(100, quad_segs=2048)
    assert pie.is_valid
    assert pie.area == pytest.approx(share * disc.area, rel=1e-4)
    # The drawn arc lies on the side of the middle point: it covers that point's surroundings.
    middle = math.radians(degrees[1])
    assert pie.contains(shapely.Point(90 * math.cos(middle), 90 * math.sin(middle)))
