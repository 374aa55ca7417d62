"""The parts of event polygons outside their hazards, worked out for a batch at once, are
exactly those worked out one polygon at a time, and measured with Shapely + pyproj Geod."""

from __future__ import annotations

from datetime import date

from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon

from app.geo.polygons import as_multipolygon, ledger_footprint
from app.services.overshoot import outside_of, outsides
from app.storage.records import HazardRow
from tests.support.shapes import rect

_GEOD = Geod(ellps="WGS84")


def _hazard(reference: str, footprint: Polygon) -> HazardRow:
    return HazardRow(
        1, 1, reference, "SHA", "CMR", date(2014, 1, 1), ledger_footprint(footprint), "approved",
        None,
    )  # fmt: skip


def _footprint(polygon: Polygon) -> MultiPolygon:
    return ledger_footprint(as_multipolygon(polygon))


HAZARD = _hazard("A", rect(0, 0, 200, 200))
FAR = _hazard("B", rect(5000, 0, 5200, 200))
PAIRS = [
    (_footprint(rect(100, 0, 300, 200)), HAZARD),  # half outside
    (_footprint(rect(20, 20, 80, 80)), HAZARD),  # inside
    None,  # a polygon refused before (no footprint or no hazard)
    (_footprint(rect(0, 0, 200, 200)), HAZARD),  # its hazard, to the edge
    (_footprint(rect(-50, -50, 250, 250)), FAR),  # wholly outside, a hole's worth of land
    (_footprint(rect(-50, 50, 250, 150)), HAZARD),  # outside on two sides: two parts
]


def test_a_batch_gives_what_each_polygon_gives_alone() -> None:
    batch = outsides(PAIRS)
    assert len(batch) == len(PAIRS)
    for pair, found in zip(PAIRS, batch, strict=True):
        if pair is None:
            assert found is None
            continue
        alone = outside_of(*pair)
        assert found is not None and found.m2 == alone.m2
        assert (found.part is None) == (alone.part is None)
        if found.part is not None and alone.part is not None:
            assert found.part.equals_exact(alone.part, 0)
    inside, edge = batch[1], batch[3]
    assert inside is not None and inside.part is None and inside.m2 == 0
    assert edge is not None and edge.part is None and edge.m2 == 0


def test_the_outside_is_measured_on_the_ellipsoid() -> None:
    batch = outsides(PAIRS)
    # Shares of the land drawn in metres: 100 by 200 m, 300 by 300 m, twice 50 by 100 m.
    for index, drawn_m2 in ((0, 20_000), (4, 90_000), (5, 10_000)):
        found = batch[index]
        assert found is not None and found.part is not None
        assert abs(found.m2 - drawn_m2) < 0.01 * drawn_m2  # UTM's scale, near 1 there
        expected = abs(_GEOD.geometry_area_perimeter(found.part)[0])
        assert abs(found.m2 - expected) < 1e-6 * expected
