"""Every refused request says which field is wrong and why, and changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import shapely
from shapely.geometry import Polygon
from sqlalchemy import text

from app.db import engine
from tests.support.reference import area_m2
from tests.support.shapes import hazard_feature, rect

H1 = rect(0, 0, 400, 300)


def _snapshot() -> tuple:
    with engine().connect() as conn:
        return conn.execute(
            text(
                """
                SELECT (SELECT count(*) FROM hazards), (SELECT count(*) FROM events),
                       (SELECT count(*) FROM event_voids), (SELECT count(*) FROM land_state),
                       (SELECT coalesce(sum(area_m2), 0) FROM land_state),
                       (SELECT coalesce(max(id), 0) FROM land_state)
                """
            )
        ).one()


def _hazard(reference="A", geometry=None, **properties):
    props = {
        "reference": reference,
        "hazard_class": "SHA",
        "contamination": "CMR",
        "recorded_on": "2012-03-01",
        **properties,
    }
    return {"type": "Feature", "geometry": geometry, "properties": props}


def _feature(geometry_json, **properties):
    return {"type": "Feature", "geometry": geometry_json, "properties": properties}


BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[102.0, 19.0], [102.01, 19.01], [102.01, 19.0], [102.0, 19.01], [102.0, 19.0]]
    ],
}


def _polygon(*points: tuple[float, float]) -> dict:
    """A GeoJSON polygon through ``points``, closed."""
    return {"type": "Polygon", "coordinates": [[*map(list, points), list(points[0])]]}


NULL_ISLAND = {
    "type": "Polygon",
    "coordinates": [
        [
            [106.6, 15.8],
            [0.0, 0.0],
            [106.601, 15.8],
            [106.601, 15.801],
            [106.6, 15.801],
            [106.6, 15.8],
        ]
    ],
}
ANTIMERIDIAN = {
    "type": "Polygon",
    "coordinates": [
        [[179.9, -16.1], [-179.9, -16.1], [-179.9, -16.0], [179.9, -16.0], [179.9, -16.1]]
    ],
}


@pytest.fixture
def seeded(client):
    """One SHA hazard and one CHA hazard, with a cleared strip."""
    client.post(
        "/api/v1/hazards",
        json=hazard_feature(
            H1, reference="A", hazard_class="SHA", contamination="CMR", recorded_on="2012-03-01"
        ),
    )
    client.post(
        "/api/v1/hazards",
        json=hazard_feature(
            rect(1000, 0, 1300, 300),
            reference="C",
            hazard_class="CHA",
            contamination="CMR",
            recorded_on="2012-03-01",
        ),
    )
    response = client.post(
        "/api/v1/hazards/A/events",
        json=hazard_feature(rect(0, 0, 100, 300), kind="clear", date="2014-01-01"),
    )
    assert response.status_code == 201
    return response.json()["id"]


CASES: list[tuple[str, str, Callable[[int], tuple[str, str, dict]], int, str, str]] = [
    # name, expected field, request factory, status, message fragment
    (
        "self-intersection",
        "geometry",
        lambda _: ("post", "/api/v1/hazards", _hazard("B", BOWTIE)),
        422,
        "crosses itself at lon",
    ),
    (
        "point",
        "geometry",
        lambda _: (
            "post",
            "/api/v1/hazards",
            _hazard("B", {"type": "Point", "coordinates": [102.0, 19.0]}),
        ),
        422,
        "not an area",
    ),
    (
        "empty polygon",
        "geometry",
        lambda _: ("post", "/api/v1/hazards", _hazard("B", {"type": "Polygon", "coordinates": []})),
        422,
        "empty",
    ),
    (
        "no geometry",
        "geometry",
        lambda _: ("post", "/api/v1/hazards", _hazard("B", None)),
        422,
        "no geometry",
    ),
    (
        "projected coordinates",
        "geometry",
        lambda _: (
            "post",
            "/api/v1/hazards",
            _hazard("B", _polygon((250000, 2150000), (250400, 2150000), (250400, 2150300))),
        ),
        422,
        "look projected",
    ),
    (
        "a vertex at 0,0 (a GPS without a fix)",
        "geometry",
        lambda _: (
            "post",
            "/api/v1/hazards",
            _hazard("B", NULL_ISLAND),
        ),
        422,
        "check the vertex at 0.000000, 0.000000",
    ),
    (
        "across the antimeridian",
        "geometry",
        lambda _: (
            "post",
            "/api/v1/hazards",
            _hazard("B", ANTIMERIDIAN),
        ),
        422,
        "antimeridian",
    ),
    (
        "longitude and latitude swapped",
        "geometry",
        lambda _: (
            "post",
            "/api/v1/hazards",
            _hazard("B", _polygon((14.95, 107.34), (14.951, 107.34), (14.951, 107.341))),
        ),
        422,
        "look swapped",
    ),
    (
        "garbage coordinates",
        "geometry",
        lambda _: (
            "post",
            "/api/v1/hazards",
            _hazard("B", {"type": "Polygon", "coordinates": [[1, 2]]}),
        ),
        422,
        "not a GeoJSON geometry",
    ),
    (
        "duplicate reference",
        "reference",
        lambda _: (
            "post",
            "/api/v1/hazards",
            hazard_feature(
                rect(5000, 0, 5100, 100),
                reference="A",
                hazard_class="SHA",
                contamination="CMR",
                recorded_on="2013-01-01",
            ),
        ),
        409,
        "exists",
    ),
    (
        "unknown class",
        "properties.hazard_class",
        lambda _: (
            "post",
            "/api/v1/hazards",
            hazard_feature(
                rect(5000, 0, 5100, 100),
                reference="B",
                hazard_class="XHA",
                contamination="CMR",
                recorded_on="2013-01-01",
            ),
        ),
        422,
        "'SHA' or 'CHA'",
    ),
    (
        "unknown contamination",
        "properties.contamination",
        lambda _: (
            "post",
            "/api/v1/hazards",
            hazard_feature(
                rect(5000, 0, 5100, 100),
                reference="B",
                hazard_class="SHA",
                contamination="IED",
                recorded_on="2013-01-01",
            ),
        ),
        422,
        "CMR",
    ),
    (
        "hazard in the future",
        "recorded_on",
        lambda _: (
            "post",
            "/api/v1/hazards",
            hazard_feature(
                rect(5000, 0, 5100, 100),
                reference="B",
                hazard_class="SHA",
                contamination="CMR",
                recorded_on="2099-01-01",
            ),
        ),
        422,
        "in the future",
    ),
    (
        "unknown hazard",
        "reference",
        lambda _: (
            "post",
            "/api/v1/hazards/NOPE/events",
            hazard_feature(rect(0, 0, 100, 100), kind="clear", date="2014-01-01"),
        ),
        404,
        "no hazard",
    ),
    (
        "unknown kind",
        "properties.kind",
        lambda _: (
            "post",
            "/api/v1/hazards/A/events",
            hazard_feature(rect(0, 0, 100, 100), kind="demine", date="2014-01-01"),
        ),
        422,
        "confirm",
    ),
    (
        "event before its hazard",
        "date",
        lambda _: (
            "post",
            "/api/v1/hazards/A/events",
            hazard_feature(rect(200, 0, 300, 100), kind="clear", date="2011-01-01"),
        ),
        422,
        "before hazard A",
    ),
    (
        "event in the future",
        "date",
        lambda _: (
            "post",
            "/api/v1/hazards/A/events",
            hazard_feature(rect(200, 0, 300, 100), kind="clear", date="2099-01-01"),
        ),
        422,
        "in the future",
    ),
    (
        "cancel on confirmed land",
        "geometry",
        lambda _: (
            "post",
            "/api/v1/hazards/C/events",
            hazard_feature(rect(1000, 0, 1100, 100), kind="cancel", date="2014-01-01"),
        ),
        422,
        "changes no land",
    ),
    (
        "clearance of land already cleared",
        "geometry",
        lambda _: (
            "post",
            "/api/v1/hazards/A/events",
            hazard_feature(rect(0, 0, 100, 100), kind="clear", date="2015-01-01"),
        ),
        422,
        "changes no land",
    ),
    (
        "mostly outside its hazard",
        "geometry",
        lambda _: (
            "post",
            "/api/v1/hazards/A/events",
            hazard_feature(rect(300, 0, 500, 300), kind="reduce", date="2014-01-01"),
        ),
        422,
        "lies outside hazard A",
    ),
    (
        "unknown property",
        "properties.colour",
        lambda _: (
            "post",
            "/api/v1/hazards/A/events",
            hazard_feature(rect(200, 0, 300, 100), kind="clear", date="2014-01-01", colour="red"),
        ),
        422,
        "not expected here",
    ),
    (
        "negative items",
        "properties.items.BLU-26",
        lambda _: (
            "post",
            "/api/v1/hazards/A/events",
            hazard_feature(
                rect(200, 0, 300, 100), kind="clear", date="2014-01-01", items={"BLU-26": -1}
            ),
        ),
        422,
        "a number of at least 0",
    ),
    (
        "void without reason",
        "reason",
        lambda event_id: ("post", f"/api/v1/events/{event_id}/void", {"reason": "  "}),
        422,
        "reason",
    ),
    (
        "void of unknown event",
        "id",
        lambda _: ("post", "/api/v1/events/999999/void", {"reason": "x"}),
        404,
        "no event",
    ),
    (
        "period backwards",
        "to",
        lambda _: ("get", "/api/v1/land-release?from=2015-01-01&to=2014-01-01", {}),
        422,
        "before",
    ),
    (
        "limit above maximum",
        "limit",
        lambda _: ("get", "/api/v1/hazards?limit=100000", {}),
        422,
        "maximum",
    ),
    ("bad bbox", "bbox", lambda _: ("get", "/api/v1/hazards?bbox=1,2,3", {}), 422, "four numbers"),
]


@pytest.mark.parametrize(
    ("field", "make", "status", "fragment"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_refused_and_nothing_changes(client, seeded, field, make, status, fragment) -> None:
    before = _snapshot()
    method, url, body = make(seeded)
    response = client.request(method, url, json=body if method == "post" else None)
    assert response.status_code == status, response.text
    error = response.json()
    assert error["field"] == field
    assert fragment in error["detail"], error["detail"]
    assert _snapshot() == before


def test_repair_on_request(client) -> None:
    refused = client.post("/api/v1/hazards", json=_hazard("B", BOWTIE))
    assert refused.status_code == 422
    repaired = client.post("/api/v1/hazards?repair=true", json=_hazard("B", BOWTIE))
    assert repaired.status_code == 201, repaired.text
    assert repaired.json()["properties"]["footprint_m2"] > 0


def test_a_vertex_without_coordinates_is_refused_even_with_repairs(client) -> None:
    """NaN, as a GPS without a fix writes it: no repair can know where the outline goes."""
    polygon = {
        "type": "Polygon",
        "coordinates": [
            [[106.6, 15.8], [106.601, 15.8], ["NaN", "NaN"], [106.601, 15.801], [106.6, 15.8]]
        ],
    }
    body = json.dumps(_hazard("B", polygon)).replace('"NaN"', "NaN")  # as JavaScript writes it
    before = _snapshot()
    for url in ("/api/v1/hazards", "/api/v1/hazards?repair=true"):
        response = client.post(url, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 422, response.text
        assert "vertex 3 of 5 has coordinates that are not numbers" in response.json()["detail"]
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("holes", "meant"),
    [
        # A hole drawn beside the area cuts nothing: the area is the outline's.
        ([(300, 0, 400, 100)], lambda outline, holes: outline),
        # Overlapping holes are both cut out, their overlap too.
        (
            [(20, 20, 120, 120), (80, 80, 180, 180)],
            lambda outline, holes: outline.difference(shapely.union_all(holes)),
        ),
        # A hole across the outline cuts the part inside.
        ([(150, 50, 250, 100)], lambda outline, holes: outline.difference(holes[0])),
    ],
    ids=["hole outside", "overlapping holes", "hole across the outline"],
)
def test_repairs_keep_the_area_the_team_meant(client, holes, meant) -> None:
    outline = rect(0, 0, 200, 200)
    cut = [rect(*h) for h in holes]
    drawn = Polygon(outline.exterior, [h.exterior for h in cut])
    assert not drawn.is_valid
    response = client.post(
        "/api/v1/hazards?repair=true", json=hazard_feature(drawn, **_hazard("R")["properties"])
    )
    assert response.status_code == 201, response.text
    expected = area_m2(meant(outline, cut))
    assert response.json()["properties"]["footprint_m2"] == pytest.approx(expected, rel=1e-6)
