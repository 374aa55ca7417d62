"""The positional tolerance without the database: which pieces of land are narrow
(app.geo.tolerance), and how a fact takes in or leaves alone a narrow strip beside its polygon
(app.ledger.settling). Strips are laid out on the ellipsoid with pyproj Geod, so their widths
are true ground distances whatever the latitude or direction; areas are checked with Geod."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import shapely
from pyproj import Geod

from app.geo.area import geodesic_area_m2
from app.geo.polygons import difference, ledger_footprint, polygonal_part
from app.geo.tolerance import Tolerance
from app.ledger.pieces import Piece, Stint
from app.ledger.settling import NO_TOLERANCE, settled_split
from app.ledger.states import LandState, LedgerKey
from tests.support.reference import area_m2
from tests.support.shapes import rect

GEOD = Geod(ellps="WGS84")
EPSILON = Tolerance(0.01)  # the default tolerance: 1 cm


def _walk(lon: float, lat: float, azimuth: float, metres: float) -> tuple[float, float]:
    end_lon, end_lat, _ = GEOD.fwd(lon, lat, azimuth, metres)
    return end_lon, end_lat


def _strip(width_m: float, lat: float = 19.4, azimuth: float = 90.0, length_m: float = 50.0):
    """A strip ``length_m`` long along ``azimuth`` and ``width_m`` wide, in lon/lat."""
    start = (102.6, lat)
    end = _walk(*start, azimuth, length_m)
    return shapely.Polygon(
        [start, end, _walk(*end, azimuth - 90, width_m), _walk(*start, azimuth - 90, width_m)]
    )


def _corner(width_m: float, arm_m: float = 30.0):
    """An L of two arms ``width_m`` wide meeting at a right angle, in lon/lat."""
    east = _strip(width_m, azimuth=90.0, length_m=arm_m)
    north = _strip(width_m, azimuth=0.0, length_m=arm_m)
    return shapely.union_all([east, north])


@pytest.mark.parametrize("lat", [0.5, 19.4, 60.0])
@pytest.mark.parametrize("azimuth", [90.0, 0.0, 33.0])
def test_a_strip_is_narrow_when_no_point_of_it_is_farther_than_the_tolerance_from_its_edge(
    lat: float, azimuth: float
) -> None:
    # The middle of a strip w wide lies w/2 from its edge: narrow up to 2 ε wide.
    strips = [_strip(w, lat, azimuth) for w in (0.005, 0.019, 0.021, 0.05)]
    assert EPSILON.narrow(np.array(strips)).tolist() == [True, True, False, False]


def test_a_corner_is_narrow_only_where_no_disc_of_the_tolerance_fits_in_it() -> None:
    # Where two arms w wide meet, the point farthest from the edge lies on the diagonal,
    # w·√2/(1+√2) ≈ 0.586 w from it: arms 1.85 cm wide are narrow on their own (0.925 cm
    # from the edge at most), but their corner holds a disc of 1.08 cm.
    assert EPSILON.narrow(np.array([_strip(0.0185, azimuth=0.0)])).tolist() == [True]
    assert EPSILON.narrow(np.array([_corner(0.0185), _corner(0.014)])).tolist() == [False, True]


def test_without_a_tolerance_nothing_is_narrow() -> None:
    assert NO_TOLERANCE.narrow(np.array([_strip(0.001)])).tolist() == [False]
    assert EPSILON.narrow(np.array([], dtype=object)).tolist() == []


def test_near_reaches_the_tolerance_on_the_ground_from_every_side() -> None:
    land = _strip(10.0)  # runs east from its start, 10 m wide to the north
    start, end = (102.6, 19.4), _walk(102.6, 19.4, 90.0, 50.0)
    # South of the start and east of the end, 5 mm and 2 cm away. Near reaches at least ε in
    # every direction, a little more along the meridian (at 19.4° 5 % more): not 2 cm.
    points = [
        shapely.Point(_walk(*start, 180.0, 0.005)),
        shapely.Point(_walk(*end, 90.0, 0.005)),
        shapely.Point(_walk(*start, 180.0, 0.02)),
        shapely.Point(_walk(*end, 90.0, 0.02)),
    ]
    assert EPSILON.near(np.array(points), land).tolist() == [True, True, False, False]


def _piece(geometry: shapely.Geometry) -> Piece:
    stint = Stint(LandState.SHA, None, hazard_id=1, since=LedgerKey(date(2014, 1, 1), 1))
    return Piece.new(ledger_footprint(geometry), stint)


def test_a_fact_drawn_half_a_centimetre_inside_the_edge_takes_in_the_strip_left() -> None:
    piece = _piece(rect(0, 0, 100, 50))
    footprint = ledger_footprint(rect(-10, -10, 99.995, 60))
    changed, left, absorbed_m2 = settled_split(piece, footprint, EPSILON)
    assert changed is piece and left is None
    # What it took in beyond its polygon: the strip 5 mm wide along the eastern edge.
    assert absorbed_m2 == pytest.approx(area_m2(rect(99.995, 0, 100, 50)), rel=1e-3)
    assert 0.2 < absorbed_m2 < 0.3
    # To the last bit, the area of the piece less the footprint, cut on the overlay grid.
    beyond = polygonal_part(difference(piece.geometry, footprint))
    assert absorbed_m2 == geodesic_area_m2(beyond)


@pytest.mark.parametrize("tolerance", [EPSILON, NO_TOLERANCE])
@pytest.mark.parametrize("margin_m", [0.0, 0.003, 5.0])
def test_a_footprint_over_the_whole_piece_changes_it_whole(
    tolerance: Tolerance, margin_m: float
) -> None:
    piece = _piece(rect(0, 0, 100, 50))
    footprint = ledger_footprint(rect(-margin_m, -margin_m, 100 + margin_m, 50 + margin_m))
    changed, left, absorbed_m2 = settled_split(piece, footprint, tolerance)
    assert changed is piece and left is None and absorbed_m2 == 0.0


def test_a_strip_wider_than_the_tolerance_stays_and_the_area_is_shared_out() -> None:
    piece = _piece(rect(0, 0, 100, 50))
    footprint = ledger_footprint(rect(-10, -10, 99.95, 60))  # 5 cm inside the edge
    changed, left, absorbed_m2 = settled_split(piece, footprint, EPSILON)
    assert changed is not None and left is not None and absorbed_m2 == 0.0
    assert left.area_m2 == pytest.approx(area_m2(rect(99.95, 0, 100, 50)), rel=1e-3)
    assert changed.area_m2 + left.area_m2 == piece.area_m2  # land neither made nor lost


def test_without_a_tolerance_the_half_centimetre_strip_stays() -> None:
    piece = _piece(rect(0, 0, 100, 50))
    footprint = ledger_footprint(rect(-10, -10, 99.995, 60))
    changed, left, absorbed_m2 = settled_split(piece, footprint, NO_TOLERANCE)
    assert changed is not None and left is not None and absorbed_m2 == 0.0
    assert left.area_m2 == pytest.approx(area_m2(rect(99.995, 0, 100, 50)), rel=1e-3)


def test_a_fact_reaching_over_a_neighbour_by_a_narrow_strip_leaves_it_as_it_was() -> None:
    neighbour = _piece(rect(100, 0, 200, 50))
    footprint = ledger_footprint(rect(0, 0, 100.005, 50))  # 5 mm over the shared edge
    changed, left, absorbed_m2 = settled_split(neighbour, footprint, EPSILON)
    assert changed is None and left is neighbour and absorbed_m2 == 0.0
    # Without the tolerance, the fact changes that strip of the neighbour.
    changed, left, _ = settled_split(neighbour, footprint, NO_TOLERANCE)
    assert changed is not None and left is not None
    assert changed.area_m2 == pytest.approx(area_m2(rect(100, 0, 100.005, 50)), rel=1e-3)
