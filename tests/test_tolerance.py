"""The positional tolerance: land a fact would leave as a strip narrower than ε goes with it,
no narrower piece is kept apart, and a database computed under another tolerance is replayed
once, keeping every earlier version of its land state.

The figures here are checked against areas computed independently in UTM (Shapely) and on the
ellipsoid (pyproj Geod); the property tests of the rule against the slow reference are in
test_ledger_tolerance.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np
import pytest
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import Polygon
from sqlalchemy import text

from app.accounting import figures
from app.db import engine
from app.settings import ledger_settings
from tests.support.shapes import ORIGIN_E, ORIGIN_N, lonlat, new_event, new_hazard, rect

GEOD = Geod(ellps="WGS84")
_TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)


def _area_m2(geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geometry)[0])


def _inset(geometry, metres: float):
    """``geometry`` (lon/lat) moved ``metres`` inwards, measured in UTM."""
    utm = shapely.transform(geometry, lambda c: np.column_stack(_TO_UTM.transform(*c.T)))
    return lonlat(utm.buffer(-metres, join_style="mitre"))


def _remaining(client, reference: str) -> float:
    return client.get(f"/api/v1/hazards/{reference}").json()["properties"]["remaining_m2"]


def _current_parts() -> list:
    with engine().connect() as conn:
        rows = conn.execute(
            text("SELECT ST_AsBinary(geom) FROM land_state WHERE known_until IS NULL")
        ).scalars()
        return list(shapely.get_parts(shapely.from_wkb(list(rows))))


def _deepest_m(part) -> float:
    """How far the point of ``part`` farthest from its edge lies from it, in metres: the
    radius of the largest disc inside (UTM, independent of the application's own measure)."""
    utm = shapely.transform(part, lambda c: np.column_stack(_TO_UTM.transform(*c.T)))
    return shapely.length(shapely.maximum_inscribed_circle(utm, 1e-5))


@pytest.fixture
def tolerance_m(monkeypatch) -> Iterator:
    """Set LEDGER_TOLERANCE_M for the service in this process (the API server included)."""

    def setting(metres: float) -> None:
        monkeypatch.setenv("LEDGER_TOLERANCE_M", str(metres))
        ledger_settings.cache_clear()

    yield setting
    monkeypatch.delenv("LEDGER_TOLERANCE_M", raising=False)
    ledger_settings.cache_clear()


def _irregular(x0: float, seed: int) -> Polygon:
    """A hazard of some 4 ha with 24 vertices, in metres from the test site."""
    rng = np.random.default_rng(seed)
    angles = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    radii = 110 * (0.8 + 0.4 * rng.random(24))
    ring = np.column_stack((x0 + radii * np.cos(angles), radii * np.sin(angles)))
    return lonlat(Polygon(ring + np.array([ORIGIN_E, ORIGIN_N])))


@pytest.mark.parametrize("inside_m", [0.0, 0.0005, 0.004, 0.009])
def test_a_release_to_the_edge_closes_the_hazard(client, inside_m) -> None:
    """A clearance drawn with the polygon the API serves, or up to ε inside its edge, changes
    all of the hazard's land; a second one is refused as changing nothing."""
    client.post("/api/v1/hazards", json=new_hazard("H", _irregular(0, 1)))
    served = shapely.geometry.shape(client.get("/api/v1/hazards/H").json()["geometry"])
    drawn = _inset(served, inside_m) if inside_m else served
    answer = client.post("/api/v1/hazards/H/events", json=new_event(drawn, "clear", "2015-01-01"))
    assert answer.status_code == 201, answer.text
    released = answer.json()["properties"]
    assert _remaining(client, "H") == 0.0
    assert released["effective_m2"] == pytest.approx(_area_m2(served), rel=1e-6)
    # What it took in beyond its polygon is the strip between its edge and the hazard's.
    strip_m2 = _area_m2(served) - _area_m2(drawn)
    assert released["absorbed_m2"] == pytest.approx(max(strip_m2, 0), abs=0.01)
    assert released["effective_m2"] <= released["requested_m2"] + released["absorbed_m2"]
    again = client.post("/api/v1/hazards/H/events", json=new_event(drawn, "clear", "2016-01-01"))
    assert again.status_code == 422
    assert "changes no land" in again.json()["detail"]
    timeline = client.get("/api/v1/hazards/H/events").json()["features"]
    assert timeline[0]["properties"]["absorbed_m2"] == pytest.approx(released["absorbed_m2"])


def test_a_strip_wider_than_the_tolerance_stays(client) -> None:
    client.post("/api/v1/hazards", json=new_hazard("H", _irregular(0, 2)))
    served = shapely.geometry.shape(client.get("/api/v1/hazards/H").json()["geometry"])
    drawn = _inset(served, 0.05)  # 5 cm: land a field team left, not a drawing artefact
    answer = client.post("/api/v1/hazards/H/events", json=new_event(drawn, "clear", "2015-01-01"))
    assert answer.json()["properties"]["absorbed_m2"] == 0.0
    assert _remaining(client, "H") == pytest.approx(_area_m2(served) - _area_m2(drawn), rel=1e-3)


def test_no_piece_narrower_than_the_tolerance_is_kept(client) -> None:
    """Two teams draw neighbouring hazards edge to edge, a few millimetres apart or over each
    other; a CHA record and clearances reach over the shared edge by millimetres."""
    left = rect(0, 0, 200, 200)
    over = lonlat(
        Polygon(
            [
                (ORIGIN_E + x, ORIGIN_N + y)
                for x, y in [(199.996, 0), (400, 0), (400, 200), (199.994, 200)]
            ]
        )
    )
    client.post("/api/v1/hazards", json=new_hazard("A", left, on="2012-01-01"))
    client.post("/api/v1/hazards", json=new_hazard("B", over, on="2013-01-01", hazard_class="CHA"))
    # A's land is untouched by B's record: a 4-6 mm strip is no confirmation.
    assert _remaining(client, "A") == pytest.approx(_area_m2(left), rel=1e-9)
    client.post("/api/v1/hazards/B/events", json=new_event(over, "clear", "2014-01-01"))
    assert _remaining(client, "A") == pytest.approx(_area_m2(left), rel=1e-9)
    assert _remaining(client, "B") == 0.0
    assert min(_deepest_m(part) for part in _current_parts()) >= 0.01


def test_a_duplicate_drawn_from_a_served_polygon_discovers_nothing(client) -> None:
    client.post("/api/v1/hazards", json=new_hazard("A", _irregular(0, 3), on="2012-01-01"))
    served = shapely.geometry.shape(client.get("/api/v1/hazards/A").json()["geometry"])
    answer = client.post("/api/v1/hazards", json=new_hazard("A2", served, on="2013-01-01"))
    assert answer.status_code == 201
    assert answer.json()["properties"]["discovered_m2"] == 0.0
    assert min(_deepest_m(part) for part in _current_parts()) >= 0.01


def test_a_hazard_polygon_with_a_part_narrower_than_the_tolerance_is_refused(client) -> None:
    sliver = lonlat(shapely.box(ORIGIN_E + 300, ORIGIN_N, ORIGIN_E + 340, ORIGIN_N + 0.004))
    body = new_hazard("S", shapely.MultiPolygon([rect(0, 0, 100, 100), sliver]))
    answer = client.post("/api/v1/hazards", json=body)
    assert answer.status_code == 422
    assert answer.json()["field"] == "geometry"
    assert "part 2 of 2" in answer.json()["detail"] and "1 cm" in answer.json()["detail"]
    assert client.get("/api/v1/hazards").json()["features"] == []


def test_a_new_tolerance_replays_the_land_and_keeps_what_was_known(client, tolerance_m) -> None:
    """A database whose land was computed without the tolerance (as every database was
    before it) is replayed under it at the next write; figures as known before stay."""
    tolerance_m(0)
    client.post("/api/v1/hazards", json=new_hazard("H", _irregular(0, 4), on="2012-01-01"))
    served = shapely.geometry.shape(client.get("/api/v1/hazards/H").json()["geometry"])
    client.post("/api/v1/hazards/H/events", json=new_event(served, "clear", "2015-01-01"))
    with engine().connect() as conn:
        known_at = conn.execute(text("SELECT clock_timestamp()")).scalar_one()
        before = figures.totals(conn, date(2016, 1, 1))
    leftover = before.remaining_m2
    assert 0 < leftover < 1  # the specks the clearance left without a tolerance
    tolerance_m(0.01)
    client.post("/api/v1/hazards", json=new_hazard("K", rect(2000, 0, 2100, 100)))
    with engine().connect() as conn:
        as_known = figures.totals(conn, date(2016, 1, 1), known_at=known_at)
        now = figures.totals(conn, date(2016, 1, 1))
        rules = conn.execute(text("SELECT tolerance_m FROM ledger_rules ORDER BY id")).scalars()
        assert list(rules)[-2:] == [0.0, 0.01]
    assert as_known.remaining_m2 == before.remaining_m2
    assert now.remaining_m2 == pytest.approx(_area_m2(rect(2000, 0, 2100, 100)), rel=1e-6)
    assert _remaining(client, "H") == 0.0
    assert min(_deepest_m(part) for part in _current_parts()) >= 0.01


@pytest.mark.parametrize("load_regions_first", [True, False])
def test_a_hazard_over_a_boundary_by_millimetres_stays_in_its_region(
    client, tmp_path, load_regions_first
) -> None:
    """A hazard whose edge was drawn 5 mm over a district boundary (x = 200 m) keeps all its
    land in the district it lies in, whether the regions come before or after it."""
    from app.__main__ import main as cli
    from tests.test_regions import DISTRICTS, regions_file

    hazard = lonlat(
        Polygon(
            [
                (ORIGIN_E + x, ORIGIN_N + y)
                for x, y in [(20, 20), (200.005, 20), (200.005, 120), (20, 120)]
            ]
        )
    )
    if load_regions_first:
        cli(["load-regions", str(regions_file(tmp_path))])
    client.post("/api/v1/hazards", json=new_hazard("H", hazard))
    if not load_regions_first:
        cli(["load-regions", str(regions_file(tmp_path))])
    params = {"as_of": "2020-01-01", "group_by": "region", "region_level": 2}
    groups = client.get("/api/v1/totals", params=params).json()["groups"]
    assert groups["W-1"]["sha_m2"] == pytest.approx(_area_m2(hazard), rel=1e-6)
    assert groups["E-1"]["sha_m2"] == 0.0
    assert min(_deepest_m(part) for part in _current_parts()) >= 0.01
    assert set(groups) <= set(DISTRICTS)


def test_an_import_report_shows_the_land_each_release_absorbed(client, tmp_path) -> None:
    from tests.support.files import write_layer, zip_folder

    hazards = [_irregular(400 * i, 10 + i) for i in range(3)]
    for i, polygon in enumerate(hazards):
        client.post("/api/v1/hazards", json=new_hazard(f"H{i}", polygon))
    drawn = [_inset(polygon, 0.005) for polygon in hazards]
    folder = tmp_path / "clearances"
    folder.mkdir()
    write_layer(
        folder / "clearances.shp",
        "ESRI Shapefile",
        drawn,
        [{"hazard": f"H{i}", "kind": "clear", "date": date(2015, 1, 1)} for i in range(3)],
        crs="EPSG:32648",
    )
    with zip_folder(folder, tmp_path / "clearances.zip").open("rb") as file:
        answer = client.post(
            "/api/v1/imports",
            data={"target": "events"},
            files={"file": ("clearances.zip", file, "application/zip")},
        )
    assert answer.status_code == 201, answer.text
    report = answer.json()
    strips = [_area_m2(h) - _area_m2(d) for h, d in zip(hazards, drawn, strict=True)]
    for row, strip in zip(report["accepted_features"], strips, strict=True):
        assert row["absorbed_m2"] == pytest.approx(strip, rel=0.01)
        assert row["effective_m2"] <= row["requested_m2"] + row["absorbed_m2"]
    assert report["absorbed_m2"] == pytest.approx(sum(strips), rel=0.01)
    assert all(_remaining(client, f"H{i}") == 0.0 for i in range(3))


def test_the_demo_holds_no_narrow_piece_and_no_empty_drawing(client) -> None:
    from app.__main__ import main as cli
    from tests.conftest import ROOT

    cli(["load-regions", f"{ROOT}/geodata/regions/lao-regions.geojson"])
    cli(["load-demo", "--path", f"{ROOT}/geodata/demo"])
    parts = _current_parts()
    assert len(parts) > 10_000
    tolerance = ledger_settings().tolerance_m
    from app.geo.tolerance import Tolerance

    narrow = Tolerance(tolerance).narrow(np.array(parts, dtype=object))
    assert not narrow.any()
    with engine().connect() as conn:
        empty = conn.execute(
            text(
                "SELECT count(*) FROM land_state WHERE known_until IS NULL "
                "AND drawn_on_grid(geom, 1e-9) IS NULL"
            )
        ).scalar_one()
    assert empty == 0
