"""Hazard records without a polygon, as a national database holds them (a legacy point, or
text only, with a declared area): kept apart, listed, shown beside the figures and never
counted in them; refused polygons totalled where they can be measured."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Polygon, mapping

from tests.support.reference import area_m2
from tests.support.shapes import new_event, new_hazard, rect

MAPPED = rect(0, 0, 300, 200)
POINT = rect(1000, 0, 1000, 0).centroid
BOWTIE = Polygon(
    [
        rect(2000, 0, 2000, 0).centroid.coords[0],
        rect(2100, 100, 2100, 100).centroid.coords[0],
        rect(2100, 0, 2100, 0).centroid.coords[0],
        rect(2000, 100, 2000, 100).centroid.coords[0],
    ]
)


def _feature(geometry, reference: str, **extra) -> dict:
    return {
        "type": "Feature",
        "geometry": mapping(geometry) if geometry is not None else None,
        "properties": {
            "reference": reference,
            "hazard_class": "SHA",
            "contamination": "CMR",
            "recorded_on": "2015-01-01",
            "declared_m2": None,
            **extra,
        },
    }


@pytest.fixture
def report(client, tmp_path) -> dict:
    features = [
        _feature(MAPPED, "M-1"),
        _feature(POINT, "P-1", declared_m2=5000.0),  # a legacy point
        _feature(None, "T-1", declared_m2=2500.5),  # text only
        _feature(None, "T-2"),  # no polygon and no area: refused
        _feature(BOWTIE, "B-1"),  # an invalid polygon, not repaired: refused, measured
    ]
    path: Path = tmp_path / "national.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with path.open("rb") as f:
        response = client.post(
            "/api/v1/imports",
            files={"file": (path.name, f)},
            data={"target": "hazards", "on_error": "skip"},
        )
    assert response.status_code == 201, response.text
    return response.json()


def test_records_without_a_polygon_are_kept_apart(client, report) -> None:
    assert report["accepted"] == 3 and report["rejected"] == 2
    assert report["not_mapped"] == [
        {"index": 1, "reference": "P-1", "declared_m2": 5000.0},
        {"index": 2, "reference": "T-1", "declared_m2": 2500.5},
    ]
    assert report["not_mapped_m2"] == 7500.5
    # Only the mapped hazard reached the land state.
    assert report["effective_m2"] == pytest.approx(area_m2(MAPPED), rel=1e-6)
    listing = client.get("/api/v1/hazards/not-mapped").json()
    assert listing["numberMatched"] == 2 and listing["declared_m2"] == 7500.5
    point, text_only = listing["hazards"]
    assert (point["reference"], text_only["reference"]) == ("P-1", "T-1")
    assert (point["lon"], point["lat"]) == pytest.approx((POINT.x, POINT.y), abs=1e-9)
    assert text_only["lon"] is None and text_only["lat"] is None


def test_refused_features_are_totalled(report) -> None:
    problems = {p["reference"]: p for p in report["problems"]}
    assert "declared_m2" in problems["T-2"]["message"] and "area_m2" not in problems["T-2"]
    bowtie = area_m2(shapely.make_valid(BOWTIE))
    assert problems["B-1"]["area_m2"] == pytest.approx(bowtie, rel=1e-9)
    assert report["refused_m2"] == pytest.approx(bowtie, rel=1e-9)
    assert report["refused_unmeasured"] == 1


def test_figures_show_the_declared_area_beside_never_in(client, report) -> None:
    totals = client.get("/api/v1/totals", params={"as_of": "2020-01-01"}).json()
    assert totals["sha_m2"] == pytest.approx(area_m2(MAPPED), rel=1e-6)
    assert totals["remaining_m2"] == pytest.approx(area_m2(MAPPED), rel=1e-6)
    assert totals["not_mapped"] == {"hazards": 2, "declared_m2": 7500.5}
    # Before they were recorded, none.
    before = client.get("/api/v1/totals", params={"as_of": "2014-12-31"}).json()
    assert before["not_mapped"] == {"hazards": 0, "declared_m2": 0}
    period = client.get("/api/v1/land-release", params={"from": "2014-12-31", "to": "2020-01-01"})
    body = period.json()
    assert body["discovered_m2"] == pytest.approx(area_m2(MAPPED), rel=1e-6)
    assert body["not_mapped"] == {"hazards": 2, "declared_m2": 7500.5}


def test_a_record_is_mapped_by_its_polygon(client, report) -> None:
    event = client.post("/api/v1/hazards/P-1/events", json=new_event(MAPPED, "clear", "2016-01-01"))
    assert event.status_code == 409 and "not mapped" in event.text
    polygon = rect(900, -100, 1100, 100)
    assert client.post("/api/v1/hazards", json=new_hazard("P-1", polygon)).status_code == 201
    totals = client.get("/api/v1/totals", params={"as_of": "2020-01-01"}).json()
    assert totals["not_mapped"] == {"hazards": 1, "declared_m2": 2500.5}
    assert totals["sha_m2"] == pytest.approx(area_m2(MAPPED) + area_m2(polygon), rel=1e-6)


def test_the_authority_records_one_through_the_api(call) -> None:
    body = {
        "reference": "L-7",
        "hazard_class": "CHA",
        "contamination": "AP mine",
        "recorded_on": "2019-05-01",
        "declared_m2": 1200,
        "lon": 102.5,
        "lat": 19.4,
    }
    assert call("operator").post("/api/v1/hazards/not-mapped", json=body).status_code == 403
    response = call("authority").post("/api/v1/hazards/not-mapped", json=body)
    assert response.status_code == 201, response.text
    again = call("authority").post("/api/v1/hazards/not-mapped", json=body)
    assert again.status_code == 409
    half = call("authority").post("/api/v1/hazards/not-mapped", json={**body, "lat": None})
    assert half.status_code == 422
