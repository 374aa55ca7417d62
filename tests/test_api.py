"""The REST API over real HTTP: recording, reading as of a date, and the figures."""

from __future__ import annotations

from datetime import date

import pytest
import shapely
from shapely.geometry import mapping, shape

from tests.support.reference import ReferenceModel, RefFact, along_geodesics, area_m2
from tests.support.shapes import hazard_feature, rect

H1 = rect(0, 0, 400, 300)
H2 = rect(300, 0, 700, 300)


def _post_hazard(client, reference, geometry, hazard_class="SHA", on="2012-03-01", **extra):
    props = {
        "reference": reference,
        "hazard_class": hazard_class,
        "contamination": extra.pop("contamination", "CMR"),
        "recorded_on": on,
        **extra,
    }
    return client.post("/api/v1/hazards", json=hazard_feature(geometry, **props))


def _post_event(client, reference, kind, on, geometry, **extra):
    props = {"kind": kind, "date": on, **extra}
    return client.post(
        f"/api/v1/hazards/{reference}/events", json=hazard_feature(geometry, **props)
    )


def test_health_reports_the_database(client) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["postgis"].startswith("3.")


def test_record_hazards_and_events_and_read_them_back(client) -> None:
    first = _post_hazard(client, "LA-XK-001", H1, munitions=["BLU-26"], region="Xiangkhouang")
    assert first.status_code == 201, first.text
    assert first.headers["location"] == "/api/v1/hazards/LA-XK-001"
    body = first.json()
    assert body["properties"]["discovered_m2"] == pytest.approx(area_m2(H1), rel=1e-7)
    assert body["properties"]["munitions"] == ["BLU-26"]

    second = _post_hazard(client, "LA-XK-002", H2, on="2013-01-10").json()
    # H2 shares 100 m x 300 m with H1: only the rest is new contamination.
    assert second["properties"]["discovered_m2"] == pytest.approx(
        area_m2(H2.difference(H1)), rel=1e-6
    )

    clearance = rect(350, 0, 450, 300)
    event = _post_event(
        client,
        "LA-XK-002",
        "clear",
        "2015-05-20",
        clearance,
        operator="NPA",
        items={"BLU-26": 14, "M42": 2},
        report_ref="CR-2015-77",
    )
    assert event.status_code == 201, event.text
    result = event.json()["properties"]
    assert result["requested_m2"] == pytest.approx(area_m2(clearance), rel=1e-7)
    assert result["effective_m2"] == pytest.approx(area_m2(clearance), rel=1e-6)
    assert result["ineffective_m2"] == pytest.approx(0, abs=0.01)
    assert result["items"] == {"BLU-26": 14, "M42": 2}

    # The clearance took land from both hazards: H1 keeps x 0..350, H2 keeps x 450..700.
    h1 = client.get("/api/v1/hazards/LA-XK-001", params={"as_of": "2016-01-01"}).json()
    assert h1["properties"]["sha_m2"] == pytest.approx(area_m2(rect(0, 0, 350, 300)), rel=1e-6)
    assert shape(h1["geometry"]).area == pytest.approx(rect(0, 0, 350, 300).area, rel=1e-6)
    before = client.get("/api/v1/hazards/LA-XK-001", params={"as_of": "2015-05-19"}).json()
    assert before["properties"]["sha_m2"] == pytest.approx(area_m2(H1), rel=1e-6)

    timeline = client.get("/api/v1/hazards/LA-XK-002/events").json()["features"]
    assert [f["properties"]["kind"] for f in timeline] == ["clear"]
    assert timeline[0]["properties"]["operator"] == "NPA"


def test_hazard_list_pages_and_filters(client) -> None:
    for i in range(5):
        assert (
            _post_hazard(client, f"P-{i}", rect(i * 1000, 0, i * 1000 + 200, 200)).status_code
            == 201
        )
    page = client.get("/api/v1/hazards", params={"limit": 2}).json()
    assert page["numberMatched"] == 5 and page["numberReturned"] == 2
    seen = [f["id"] for f in page["features"]]
    while any(link["rel"] == "next" for link in page["links"]):
        url = next(link["href"] for link in page["links"] if link["rel"] == "next")
        page = client.get(url).json()
        seen += [f["id"] for f in page["features"]]
    assert seen == [f"P-{i}" for i in range(5)]

    minx, miny, maxx, maxy = rect(1900, -10, 3100, 210).bounds
    boxed = client.get("/api/v1/hazards", params={"bbox": f"{minx},{miny},{maxx},{maxy}"}).json()
    assert sorted(f["id"] for f in boxed["features"]) == ["P-2", "P-3"]
    too_early = client.get("/api/v1/hazards", params={"as_of": "2012-02-29"}).json()
    assert too_early["numberMatched"] == 0


def test_totals_and_land_release_match_the_reference(client) -> None:
    facts = [
        RefFact(date(2012, 3, 1), 1, "record SHA", H1, "A"),
        RefFact(date(2013, 1, 10), 2, "record CHA", H2, "B"),
        RefFact(date(2014, 6, 1), 3, "cancel", rect(0, 0, 150, 300), "A"),
        RefFact(date(2015, 6, 1), 4, "clear", rect(320, 50, 500, 250), "B"),
        RefFact(date(2016, 6, 1), 5, "reduce", rect(100, 0, 350, 100), "A"),
    ]
    assert _post_hazard(client, "A", H1, on="2012-03-01").status_code == 201
    assert _post_hazard(client, "B", H2, "CHA", on="2013-01-10").status_code == 201
    for fact in facts[2:]:
        response = _post_event(client, fact.hazard, fact.kind, fact.on.isoformat(), fact.geometry)
        assert response.status_code == 201, response.text

    reference = ReferenceModel(facts)
    for on in ("2012-02-29", "2012-03-01", "2014-06-01", "2015-12-31", "2020-01-01"):
        totals = client.get("/api/v1/totals", params={"as_of": on}).json()
        expected = reference.totals(date.fromisoformat(on))
        assert totals["sha_m2"] == pytest.approx(expected["SHA"], rel=1e-6, abs=0.01)
        assert totals["cha_m2"] == pytest.approx(expected["CHA"], rel=1e-6, abs=0.01)
        assert totals["remaining_m2"] == pytest.approx(totals["sha_m2"] + totals["cha_m2"])

    period = client.get("/api/v1/land-release", params={"from": "2012-12-31", "to": "2016-12-31"})
    body = period.json()
    flows = reference.flows(date(2012, 12, 31), date(2016, 12, 31))
    for flow in ("discovered", "confirmed", "cancelled", "reduced", "cleared", "corrected"):
        assert body[f"{flow}_m2"] == pytest.approx(flows[flow], rel=1e-6, abs=0.01), flow
    assert abs(body["balance_error_m2"]) < 1e-6
    cmr = client.get("/api/v1/totals", params={"contamination": "CMR", "as_of": "2020-01-01"})
    assert cmr.json()["contamination"] == "CMR"


def test_back_dated_fact_changes_figures_from_its_date_only(client) -> None:
    _post_hazard(client, "A", H1, on="2012-03-01")
    _post_event(client, "A", "clear", "2018-01-01", rect(0, 0, 200, 300))
    dates = ["2012-03-01", "2014-12-31", "2015-01-01", "2017-12-31", "2018-01-01", "2020-01-01"]
    before = {d: client.get("/api/v1/totals", params={"as_of": d}).json() for d in dates}

    # Recorded now, true since 2015: a cancellation of land the 2018 clearance later covered.
    late = _post_event(client, "A", "cancel", "2015-01-01", rect(100, 0, 400, 300))
    assert late.status_code == 201, late.text
    after = {d: client.get("/api/v1/totals", params={"as_of": d}).json() for d in dates}
    for d in ("2012-03-01", "2014-12-31"):
        assert after[d] == before[d]
    cancelled = area_m2(rect(100, 0, 400, 300))
    assert after["2015-01-01"]["sha_m2"] == pytest.approx(area_m2(H1) - cancelled, rel=1e-6)
    # The clearance now only changes what the cancellation left: x 0..100.
    assert after["2018-01-01"]["sha_m2"] == pytest.approx(0, abs=0.01)
    clear = client.get("/api/v1/hazards/A/events").json()["features"][-1]["properties"]
    assert clear["kind"] == "clear"
    assert clear["effective_m2"] == pytest.approx(area_m2(rect(0, 0, 100, 300)), rel=1e-6)


def test_voided_event_is_as_if_it_never_happened(client) -> None:
    _post_hazard(client, "A", H1, on="2012-03-01")
    baseline = {
        d: client.get("/api/v1/totals", params={"as_of": d}).json()
        for d in ("2013-01-01", "2016-01-01")
    }
    mistake = _post_event(client, "A", "cancel", "2014-01-01", rect(0, 0, 200, 300)).json()
    later = _post_event(client, "A", "clear", "2015-01-01", rect(100, 0, 300, 300)).json()
    assert later["properties"]["effective_m2"] == pytest.approx(
        area_m2(rect(200, 0, 300, 300)), rel=1e-6
    )
    voided = client.post(f"/api/v1/events/{mistake['id']}/void", json={"reason": "wrong hazard"})
    assert voided.status_code == 200, voided.text
    assert voided.json()["properties"]["voided"] is True
    # The clearance now takes effect on all of its polygon.
    after_void = client.get(f"/api/v1/events/{later['id']}").json()["properties"]
    assert after_void["effective_m2"] == pytest.approx(area_m2(rect(100, 0, 300, 300)), rel=1e-6)
    assert (
        client.get("/api/v1/totals", params={"as_of": "2013-01-01"}).json()
        == baseline["2013-01-01"]
    )
    expected = ReferenceModel(
        [
            RefFact(date(2012, 3, 1), 1, "record SHA", H1, "A"),
            RefFact(date(2015, 1, 1), 3, "clear", rect(100, 0, 300, 300), "A"),
        ]
    ).totals(date(2016, 1, 1))
    now = client.get("/api/v1/totals", params={"as_of": "2016-01-01"}).json()
    assert now["sha_m2"] == pytest.approx(expected["SHA"], rel=1e-6)
    # History keeps both: the voided event is listed with who voided it and why.
    timeline = client.get("/api/v1/hazards/A/events").json()["features"]
    assert [(f["properties"]["kind"], f["properties"]["voided"]) for f in timeline] == [
        ("cancel", True),
        ("clear", False),
    ]
    assert timeline[0]["properties"]["void_reason"] == "wrong hazard"
    assert timeline[0]["properties"]["effective_m2"] == 0
    again = client.post(f"/api/v1/events/{mistake['id']}/void", json={"reason": "twice"})
    assert again.status_code == 409


def test_geojson_round_trip_of_a_multipolygon_with_a_hole(client) -> None:
    outer = rect(0, 0, 500, 500)
    hole = rect(200, 200, 300, 300)
    polygon = outer.difference(hole)
    other = rect(1000, 0, 1200, 200)
    multi = {
        "type": "MultiPolygon",
        "coordinates": [mapping(polygon)["coordinates"], mapping(other)["coordinates"]],
    }
    body = {
        "type": "Feature",
        "geometry": multi,
        "properties": {
            "reference": "M-1",
            "hazard_class": "CHA",
            "contamination": "AP mine",
            "recorded_on": "2011-01-01",
        },
    }
    response = client.post("/api/v1/hazards", json=body)
    assert response.status_code == 201, response.text
    stored = shape(response.json()["geometry"])
    assert stored.geom_type == "MultiPolygon" and len(stored.geoms) == 2
    assert len(list(stored.geoms[0].interiors)) + len(list(stored.geoms[1].interiors)) == 1
    expected = area_m2(polygon) + area_m2(other)
    assert response.json()["properties"]["cha_m2"] == pytest.approx(expected, rel=1e-6)


def test_totals_grouped_by_contamination_and_hazard_class(client) -> None:
    # A CMR SHA and an AP-mine CHA that overlaps it: each type's model counts the shared land.
    assert _post_hazard(client, "C", H1, "SHA", contamination="CMR").status_code == 201
    assert (
        _post_hazard(client, "M", H2, "CHA", on="2013-01-10", contamination="AP mine").status_code
        == 201
    )
    params = {"as_of": "2020-01-01"}
    national = client.get("/api/v1/totals", params=params).json()
    by_type = client.get("/api/v1/totals", params={**params, "group_by": "contamination"}).json()
    groups = by_type["groups"]
    assert groups["CMR"]["sha_m2"] == pytest.approx(area_m2(H1), rel=1e-6)
    assert groups["AP mine"]["cha_m2"] == pytest.approx(area_m2(H2), rel=1e-6)
    assert groups["CMR"]["remaining_m2"] + groups["AP mine"]["remaining_m2"] > (
        national["remaining_m2"] + 1
    )  # the shared land is in both
    by_class = client.get("/api/v1/totals", params={**params, "group_by": "hazard_class"}).json()
    parts = by_class["groups"]
    assert parts["SHA"]["remaining_m2"] + parts["CHA"]["remaining_m2"] == pytest.approx(
        national["remaining_m2"], rel=1e-12
    )
    # The CHA record took the shared land from the SHA hazard.
    assert parts["CHA"]["remaining_m2"] == pytest.approx(area_m2(H2), rel=1e-6)
    # No regions loaded: all land is outside every region, in one group.
    regions = client.get("/api/v1/totals", params={**params, "group_by": "region"}).json()
    assert list(regions["groups"]) == ["outside-regions"]
    assert regions["groups"]["outside-regions"]["remaining_m2"] == national["remaining_m2"]


def test_land_served_as_geojson_is_valid_at_the_digits_written(client) -> None:
    """A clearance drawn a hair inside its hazard's edge leaves a strip thinner than the
    0.1 mm the API writes: served, the land is still valid polygons (the strip is dropped
    from the drawing, the figures keep its area)."""
    hazard = shapely.box(102.0, 19.0, 102.02, 19.02)
    _post_hazard(client, "H", hazard)
    west = 102.0 + 3e-10  # 0.03 mm: the team meant the hazard's edge
    cleared = shapely.box(west, 19.0, 102.01, 19.02)
    _post_event(client, "H", "clear", "2014-01-01", cleared)
    served = client.get("/api/v1/hazards/H").json()
    land = shape(served["geometry"])
    assert land.is_valid, shapely.is_valid_reason(land)
    left = along_geodesics(hazard).difference(along_geodesics(cleared))
    assert served["properties"]["remaining_m2"] == pytest.approx(area_m2(left), rel=1e-6)
    ogc = client.get("/ogc/collections/hazards/items", params={"f": "json"}).json()
    assert all(shape(f["geometry"]).is_valid for f in ogc["features"] if f["geometry"])
