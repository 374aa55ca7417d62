"""The hazards' kept land (``hazard_land``) follows every write of the land state, and the
OGC API serves from it exactly what it works out from the land state itself.

Each write path is taken in turn (a hazard, a later hazard taking land, a clearance, a void,
a replay keeping history, a re-cut along regions); after each, the kept land is compared
with the union of the land state's open stints, and the hazards collection as served from it
with the collection worked out per request. Areas are checked against Shapely + pyproj."""

from __future__ import annotations

import json
from datetime import date

import pytest
from shapely.geometry import shape

from app.db import engine, owner_engine
from app.ogc import queries, served
from app.ogc.collections import HAZARDS, HAZARDS_KEPT
from app.ogc.crs import LAT_LON, LON_LAT
from app.services import land_rebuild
from app.storage import served_land
from tests.support.reference import along_geodesics, area_m2
from tests.support.shapes import new_event, new_hazard, rect

H1 = rect(0, 0, 400, 300)
H2 = rect(300, 0, 700, 300)  # recorded later: takes the eastern 100 m of H1
CLEARED = rect(0, 0, 150, 300)
REDUCED = rect(600, 0, 700, 300)


def _features(collection, as_of: date, crs=LON_LAT) -> dict[str, dict]:
    with engine().connect() as conn:
        page = queries.page(conn, collection, queries.Selection(as_of), queries.Shape(crs), 1000, 0)
    return {f["id"]: f for f in map(json.loads, page.features)}


def _remaining(features: dict[str, dict]) -> float:
    return sum(f["properties"]["remaining_m2"] for f in features.values())


def _same_as_worked_out(as_of: date) -> dict[str, dict]:
    """The features served from the kept land, once checked against those worked out."""
    with engine().connect() as conn:
        assert served_land.stale_hazards(conn) == []
    served = _features(HAZARDS_KEPT, as_of)
    worked_out = _features(HAZARDS, as_of)
    assert served.keys() == worked_out.keys()
    for reference, feature in served.items():
        other = worked_out[reference]
        assert feature["properties"] == other["properties"], reference
        assert shape(feature["geometry"]).equals(shape(other["geometry"])), reference
        assert feature["geometry"]["type"] == "MultiPolygon"
    return served


def test_kept_land_follows_every_write(client, call) -> None:
    today = date.today()
    for reference, geometry, on in (("K-1", H1, "2012-03-01"), ("K-2", H2, "2013-03-01")):
        body = new_hazard(reference, geometry, on=on)
        assert client.post("/api/v1/hazards", json=body).status_code == 201
    served = _same_as_worked_out(today)
    # The land overlapping hazards share is held once.
    land = along_geodesics(H1).union(along_geodesics(H2))
    assert _remaining(served) == pytest.approx(area_m2(land), rel=1e-6)
    recorded = served

    clearance = new_event(CLEARED, "clear", "2015-06-01", operator="NPA")
    assert client.post("/api/v1/hazards/K-1/events", json=clearance).status_code == 201
    reduction = new_event(REDUCED, "reduce", "2016-02-01")
    made = client.post("/api/v1/hazards/K-2/events", json=reduction)
    assert made.status_code == 201
    served = _same_as_worked_out(today)
    land = land.difference(along_geodesics(CLEARED)).difference(along_geodesics(REDUCED))
    assert _remaining(served) == pytest.approx(area_m2(land), rel=1e-6)
    drawn = shape(served["K-1"]["geometry"]).union(shape(served["K-2"]["geometry"]))
    assert area_m2(drawn) == pytest.approx(area_m2(land), rel=1e-6)

    voided = call("authority").post(
        f"/api/v1/events/{made.json()['id']}/void", json={"reason": "recorded twice"}
    )
    assert voided.status_code == 200, voided.text
    served = _same_as_worked_out(today)
    assert served["K-2"]["properties"] == recorded["K-2"]["properties"]

    for rewrite in (
        lambda conn: land_rebuild.rebuild_all(conn, land_rebuild.begin_write(conn), True),
        land_rebuild.recut_all,
    ):
        with owner_engine().begin() as conn:  # maintenance rewrites run as the owner
            rewrite(conn)
        again = _same_as_worked_out(today)
        for reference, feature in served.items():
            assert again[reference]["properties"] == feature["properties"]
            # A replay from scratch may place a vertex one grid step apart: the same land.
            moved = shape(again[reference]["geometry"]).symmetric_difference(
                shape(feature["geometry"])
            )
            assert area_m2(moved) < 0.01


def test_the_kept_land_is_served_only_where_it_holds(client) -> None:
    body = new_hazard("K-1", H1, on="2012-03-01")
    assert client.post("/api/v1/hazards", json=body).status_code == 201
    clearance = new_event(CLEARED, "clear", "2015-06-01", operator="NPA")
    assert client.post("/api/v1/hazards/K-1/events", json=clearance).status_code == 201
    # On and after the newest date of the land state the kept land holds; before it, the
    # kept form selects nothing, and the land is that of the date asked for.
    assert _features(HAZARDS_KEPT, date(2015, 5, 31)) == {}
    assert _features(HAZARDS_KEPT, date(2015, 6, 1)).keys() == {"K-1"}
    with engine().connect() as conn:
        for as_of, crs, form in (
            (date(2015, 6, 1), LON_LAT, HAZARDS_KEPT),
            (date(2014, 1, 1), LON_LAT, HAZARDS),
            (date(2016, 1, 1), LAT_LON, HAZARDS),  # drawn on that CRS's own grid
        ):
            selection, shape = queries.Selection(as_of), queries.Shape(crs)
            answered, page = served.page(conn, HAZARDS, selection, shape, 10, 0)
            assert answered is form, (as_of, crs)
            (feature,) = map(json.loads, page.features)
            remaining = along_geodesics(H1)
            if as_of >= date(2015, 6, 1):
                remaining = remaining.difference(along_geodesics(CLEARED))
            assert feature["properties"]["sha_m2"] == pytest.approx(area_m2(remaining), rel=1e-6)
            one = served.one(conn, HAZARDS, "K-1", as_of, shape)
            assert one is not None and json.loads(one)["properties"] == feature["properties"]
        assert served.one(conn, HAZARDS, "K-9", date(2016, 1, 1), queries.Shape(LON_LAT)) is None


def test_a_page_and_its_count_read_the_same_data(client, call) -> None:
    """A page read without a snapshot of its own says which data it read; its count must
    be of the same, or the page is read again in one snapshot."""
    from app.ogc import kept

    for reference, geometry, on in (("V-1", H1, "2012-03-01"), ("V-2", H2, "2013-03-01")):
        assert (
            call("authority")
            .post("/api/v1/hazards", json=new_hazard(reference, geometry, on=on))
            .status_code
            == 201
        )
    selection = queries.Selection(date.today())
    with engine().connect() as conn:
        page = queries.page(conn, HAZARDS_KEPT, selection, queries.Shape(LON_LAT), 1, 0)
        assert page.has_next and page.data_version == queries.data_version(conn)
        assert kept.count(conn, HAZARDS_KEPT, selection, LON_LAT, page.data_version) == 2
        with pytest.raises(kept.DataChanged):
            kept.count(conn, HAZARDS_KEPT, selection, LON_LAT, "data no one read")
    answer = call("analyst").get("/ogc/collections/hazards/items", params={"limit": 1})
    assert answer.json()["numberMatched"] == 2 and answer.json()["numberReturned"] == 1
