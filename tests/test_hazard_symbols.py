"""Hazards as symbols of the national map: one point per hazard holding land, on that land,
with its SHA and CHA m² as the land state holds them on the date asked."""

from __future__ import annotations

import pytest
import shapely

from tests.support.reference import along_geodesics, area_m2
from tests.support.shapes import new_event, new_hazard, rect

SURVEYED = rect(0, 0, 400, 300)
CLEARED = rect(0, 0, 300, 300)  # all but the eastern quarter
CONFIRMED = rect(1000, 0, 1300, 200)
ERW = rect(2000, 0, 2100, 100)


@pytest.fixture
def recorded(client) -> None:
    for reference, geometry, hazard_class, contamination in (
        ("S-1", SURVEYED, "SHA", "CMR"),
        ("C-1", CONFIRMED, "CHA", "CMR"),
        ("E-1", ERW, "SHA", "other ERW"),
    ):
        body = new_hazard(reference, geometry, "2012-03-01", hazard_class, contamination)
        assert client.post("/api/v1/hazards", json=body).status_code == 201
    clearance = new_event(CLEARED, "clear", "2015-06-01", operator="NPA")
    assert client.post("/api/v1/hazards/S-1/events", json=clearance).status_code == 201


def _by_reference(answer: dict) -> dict[str, dict]:
    return {f["properties"]["reference"]: f for f in answer["features"]}


def test_each_hazard_is_a_point_on_its_remaining_land_with_its_areas(client, recorded) -> None:
    answer = client.get("/api/v1/hazard-symbols", params={"as_of": "2016-01-01"}).json()
    assert answer["scope"] == "all" and answer["as_of"] == "2016-01-01"
    symbols = _by_reference(answer)
    assert set(symbols) == {"S-1", "C-1", "E-1"}
    remaining = {
        "S-1": along_geodesics(SURVEYED).difference(along_geodesics(CLEARED)),
        "C-1": along_geodesics(CONFIRMED),
        "E-1": along_geodesics(ERW),
    }
    for reference, land in remaining.items():
        p = symbols[reference]["properties"]
        expected_class = "CHA" if reference == "C-1" else "SHA"
        assert p["hazard_class"] == expected_class
        assert p[f"{expected_class.lower()}_m2"] == pytest.approx(area_m2(land), rel=1e-6)
        assert p["remaining_m2"] == p["sha_m2"] + p["cha_m2"]
        point = shapely.Point(symbols[reference]["geometry"]["coordinates"])
        assert land.buffer(1e-7).contains(point), reference  # on the land, not beside it
    totals = client.get("/api/v1/totals", params={"as_of": "2016-01-01"}).json()
    assert sum(s["properties"]["remaining_m2"] for s in symbols.values()) == pytest.approx(
        totals["remaining_m2"], rel=1e-9
    )


def test_a_scope_and_a_date_choose_the_symbols(client, recorded) -> None:
    cmr = _by_reference(
        client.get(
            "/api/v1/hazard-symbols", params={"as_of": "2016-01-01", "contamination": "CMR"}
        ).json()
    )
    assert set(cmr) == {"S-1", "C-1"}
    before = _by_reference(
        client.get("/api/v1/hazard-symbols", params={"as_of": "2014-01-01"}).json()
    )
    assert before["S-1"]["properties"]["sha_m2"] == pytest.approx(
        area_m2(along_geodesics(SURVEYED)), rel=1e-6
    )
    assert (
        client.get("/api/v1/hazard-symbols", params={"as_of": "2011-01-01"}).json()["features"]
        == []
    )


def test_symbols_are_for_signed_in_readers_only(call, recorded) -> None:
    assert call("anonymous").get("/api/v1/hazard-symbols").status_code == 401
