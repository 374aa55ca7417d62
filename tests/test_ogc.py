"""OGC API – Features and Tiles over real HTTP: documents, as-of features, paging, CRS
(Part 2), CQL2 filters (Part 3), access rules and vector tiles. Expected geometries and
areas come from Shapely and pyproj, not from the service."""

from __future__ import annotations

import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape

from app.settings import ogc_settings
from tests.support.reference import along_geodesics, area_m2
from tests.support.shapes import new_event, new_hazard, rect
from tests.support.tiles import tile_of

UTM48N = "http://www.opengis.net/def/crs/EPSG/0/32648"
EPSG4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
H1 = rect(0, 0, 400, 300)
H2 = rect(1000, 0, 1300, 200)
CLEARED = rect(0, 0, 200, 300)  # the western half of H1


@pytest.fixture
def site(client) -> None:
    """Two hazards in 2012; half of the first cleared in 2015."""
    for reference, geometry in (("H-1", H1), ("H-2", H2)):
        body = new_hazard(reference, geometry, on="2012-03-01")
        assert client.post("/api/v1/hazards", json=body).status_code == 201
    clearance = new_event(CLEARED, "clear", "2015-06-01", operator="NPA")
    assert client.post("/api/v1/hazards/H-1/events", json=clearance).status_code == 201


def test_landing_page_conformance_and_api_definition(call) -> None:
    anonymous = call("anonymous")
    landing = anonymous.get("/ogc").json()
    relations = {link["rel"] for link in landing["links"]}
    assert {"self", "service-desc", "service-doc", "conformance", "data"} <= relations
    conformance = anonymous.get("/ogc/conformance").json()["conformsTo"]
    for part in ("features-1/1.0/conf/core", "features-2/1.0/conf/crs", "cql2/1.0/conf/cql2-text"):
        assert any(part in c for c in conformance), part
    api = anonymous.get("/ogc/api")
    assert api.headers["content-type"].startswith("application/vnd.oai.openapi+json")
    definition = api.json()
    assert definition["openapi"].startswith("3.0")
    # QGIS reads its page size from components.parameters.limit only.
    operation = definition["paths"]["/collections/hazards/items"]["get"]
    assert {"$ref": "#/components/parameters/limit"} in operation["parameters"]
    limit = definition["components"]["parameters"]["limit"]
    assert limit["schema"]["maximum"] == ogc_settings().max_limit
    assert "<table>" in anonymous.get("/ogc/api.html").text
    assert "<table>" in anonymous.get("/ogc/api?f=html").text
    assert (
        anonymous.get("/ogc", headers={"Accept": "text/html"})
        .headers["content-type"]
        .startswith("text/html")
    )


def test_anonymous_callers_see_regions_only(call, site) -> None:
    anonymous = call("anonymous")
    listed = [c["id"] for c in anonymous.get("/ogc/collections").json()["collections"]]
    assert listed == ["regions"]
    for path in ("/ogc/collections/hazards/items", "/ogc/collections/land/items",
                 "/ogc/collections/events/items/1",
                 "/ogc/collections/land/tiles/WebMercatorQuad/0/0/0"):  # fmt: skip
        refused = anonymous.get(path)
        assert refused.status_code == 401, path
        assert refused.json()["code"] and "sign in" in refused.json()["description"]
        assert "Basic" in refused.headers["www-authenticate"]
    analyst = call("analyst")
    listed = {c["id"] for c in analyst.get("/ogc/collections").json()["collections"]}
    assert listed == {"hazards", "hazard-records", "events", "land", "regions"}


def test_hazards_show_their_remaining_land_as_of_a_date(call, site) -> None:
    analyst = call("analyst")
    before = analyst.get("/ogc/collections/hazards/items/H-1", params={"as_of": "2014-01-01"})
    assert before.status_code == 200 and before.headers["content-crs"] == f"<{CRS84}>"
    feature = before.json()
    assert feature["properties"]["sha_m2"] == pytest.approx(area_m2(along_geodesics(H1)), rel=1e-6)
    after = analyst.get("/ogc/collections/hazards/items/H-1", params={"as_of": "2016-01-01"}).json()
    expected = along_geodesics(H1).difference(along_geodesics(CLEARED))
    assert after["properties"]["sha_m2"] == pytest.approx(area_m2(expected), rel=1e-6)
    assert area_m2(shape(after["geometry"])) == pytest.approx(area_m2(expected), rel=1e-6)
    page = analyst.get("/ogc/collections/hazards/items", params={"as_of": "2016-01-01"})
    total = sum(f["properties"]["remaining_m2"] for f in page.json()["features"])
    # One geometry type throughout, so that GIS clients make one layer of it.
    assert {f["geometry"]["type"] for f in page.json()["features"]} == {"MultiPolygon"}
    national = analyst.get("/api/v1/totals", params={"as_of": "2016-01-01"}).json()
    assert total == pytest.approx(national["remaining_m2"], rel=1e-12)
    assert page.json()["asOf"] == "2016-01-01"
    # datetime filters on the hazards' own date of information (2012-03-01).
    for when, found in (("2012-03-01", 2), ("2012-01-01/2012-12-31", 2), ("2013-01-01/..", 0)):
        dated = analyst.get("/ogc/collections/hazards/items", params={"datetime": when}).json()
        assert dated["numberMatched"] == len(dated["features"]) == found, when
    assert analyst.get("/ogc/collections/hazards/items/H-9").status_code == 404


def test_events_carry_their_effective_land(call, site) -> None:
    analyst = call("analyst")
    page = analyst.get("/ogc/collections/events/items").json()
    (clearance,) = page["features"]
    assert clearance["properties"]["kind"] == "clear"
    assert clearance["properties"]["hazard"] == "H-1"
    expected = area_m2(along_geodesics(CLEARED))
    assert clearance["properties"]["effective_m2"] == pytest.approx(expected, rel=1e-6)
    assert area_m2(shape(clearance["geometry"])) == pytest.approx(expected, rel=1e-6)
    outside = analyst.get("/ogc/collections/events/items", params={"datetime": "../2015-05-31"})
    assert outside.json()["features"] == []


def test_paging_walks_every_feature_once(call) -> None:
    authority = call("authority")
    for i in range(23):
        body = new_hazard(f"P-{i:02d}", rect(i * 500, 0, i * 500 + 300, 300))
        assert authority.post("/api/v1/hazards", json=body).status_code == 201
    seen: list[str] = []
    url: str | None = "/ogc/collections/hazard-records/items?limit=10"
    pages = 0
    while url:
        page = authority.get(url).json()
        pages += 1
        assert page["numberMatched"] == 23
        seen += [f["id"] for f in page["features"]]
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    assert pages == 3 and sorted(seen) == [f"P-{i:02d}" for i in range(23)]
    assert len(set(seen)) == 23
    offset = authority.get("/ogc/collections/hazards/items", params={"limit": 5, "offset": 20})
    assert [f["id"] for f in offset.json()["features"]] == ["P-20", "P-21", "P-22"]
    # A limit above the maximum is cut to it (OGC API – Features Part 1), not refused.
    too_many = authority.get(
        "/ogc/collections/hazards/items", params={"limit": ogc_settings().max_limit + 1}
    )
    assert too_many.status_code == 200 and too_many.json()["numberReturned"] == 23
    assert authority.get("/ogc/collections/hazards/items?limit=0").status_code == 400
    unknown = authority.get("/ogc/collections/hazards/items?colour=red")
    assert unknown.status_code == 400 and "colour" in unknown.json()["description"]


def test_geometries_in_the_crs_asked_for(call, site) -> None:
    analyst = call("analyst")
    path = "/ogc/collections/hazard-records/items/H-2"
    lon_lat = shape(analyst.get(path).json()["geometry"])
    utm = analyst.get(path, params={"crs": UTM48N})
    assert utm.headers["content-crs"] == f"<{UTM48N}>"
    to_utm = Transformer.from_crs(4326, 32648, always_xy=True)
    expected = shapely.transform(lon_lat, lambda xy: _stack(to_utm.transform(*xy.T)))
    got = shape(utm.json()["geometry"])
    # The same outline (each drawing may start its rings elsewhere), to the digits written.
    assert shapely.hausdorff_distance(got, expected) < 0.002  # mm
    lat_lon = shape(analyst.get(path, params={"crs": "EPSG:4326"}).json()["geometry"])
    flipped = shapely.transform(lon_lat, lambda xy: xy[:, ::-1])
    assert shapely.hausdorff_distance(lat_lon, flipped) < 1e-9
    # RFC 7946: outer rings counter-clockwise.
    assert all(p.exterior.is_ccw for p in shapely.get_parts(lon_lat))
    refused = analyst.get(path, params={"crs": "http://www.opengis.net/def/crs/EPSG/0/2154"})
    assert refused.status_code == 400 and "crs" in refused.json()["description"]
    collection = analyst.get("/ogc/collections/hazards").json()
    assert UTM48N in collection["crs"] and collection["storageCrs"] == CRS84


def _stack(xy):
    import numpy as np

    return np.column_stack(xy)


def test_bbox_in_another_crs_selects_the_same_features(call, site) -> None:
    analyst = call("analyst")
    around_h2 = rect(900, -100, 1400, 300)
    west, south, east, north = around_h2.bounds
    lon_lat = analyst.get(
        "/ogc/collections/hazards/items", params={"bbox": f"{west},{south},{east},{north}"}
    ).json()
    to_mercator = Transformer.from_crs(4326, 3857, always_xy=True)
    x0, y0 = to_mercator.transform(west, south)
    x1, y1 = to_mercator.transform(east, north)
    mercator = analyst.get(
        "/ogc/collections/hazards/items",
        params={"bbox": f"{x0},{y0},{x1},{y1}", "bbox-crs": "EPSG:3857"},
    ).json()
    lat_first = analyst.get(
        "/ogc/collections/hazards/items",
        params={"bbox": f"{south},{west},{north},{east}", "bbox-crs": EPSG4326},
    ).json()
    for page in (lon_lat, mercator, lat_first):
        assert [f["id"] for f in page["features"]] == ["H-2"]


def test_a_bbox_across_the_antimeridian_is_two_boxes(call, site) -> None:
    """minx > maxx: the box runs east from minx over ±180 to maxx (OGC API - Features)."""
    analyst = call("analyst")
    west, south, east, north = H2.bounds
    items = "/ogc/collections/hazards/items"
    across = analyst.get(items, params={"bbox": f"{west},{south},-170,{north}"}).json()
    assert [f["id"] for f in across["features"]] == ["H-2"]
    missed = analyst.get(items, params={"bbox": f"{east + 0.01},{south},{west - 0.01},{north}"})
    assert missed.json()["features"] == []  # everything but the hazards' longitudes
    lat_first = analyst.get(
        items, params={"bbox": f"{north},{west},{south},{east}", "bbox-crs": EPSG4326}
    )
    assert lat_first.status_code == 400 and "lower corner" in lat_first.json()["description"]


BAD_QUERIES = [
    ({"bbox": "nan,nan,nan,nan"}, "bbox"),
    ({"bbox": "100,nan,101,20", "bbox-crs": "EPSG:3857"}, "bbox"),
    ({"filter": "recorded_on > TIMESTAMP('0001-01-01T00:00:00+01:00')"}, "filter"),
    ({"filter": "recorded_on < TIMESTAMP('9999-12-31T23:00:00-05:00')"}, "filter"),
    ({"filter": "reference = 'a\x00b'"}, "filter"),
    (
        {"filter": "S_INTERSECTS(geometry, POINT(1e12 1e12))", "filter-crs": UTM48N},
        "filter",
    ),
    ({"filter": "S_INTERSECTS(geometry, BBOX(-1e400,0,1,1))", "filter-crs": "EPSG:3857"}, "filter"),
    ({"filter": "CASEI(" * 1000 + "reference" + ")" * 1000 + " = 'x'"}, "filter"),
]


@pytest.mark.parametrize(("query", "named"), BAD_QUERIES)
def test_bad_queries_get_a_400_that_names_the_parameter(call, site, query, named) -> None:
    answer = call("analyst").get("/ogc/collections/hazard-records/items", params=query)
    assert answer.status_code == 400, answer.text
    assert answer.json()["description"].startswith(named), answer.json()


def test_a_nul_character_in_an_id_is_refused_not_a_crash(call, site) -> None:
    analyst = call("analyst")
    assert analyst.get("/ogc/collections/hazards/items/a%00b").status_code in (400, 404)
    assert call("anonymous").get("/ogc/collections/regions/items/a%00b").status_code in (400, 404)
    assert analyst.get("/api/v1/hazards/a%00b").status_code in (404, 422)


def test_cql2_filters_and_queryables(call, site) -> None:
    analyst = call("analyst")
    queryables = analyst.get("/ogc/collections/hazards/queryables").json()
    assert queryables["properties"]["recorded_on"]["format"] == "date"
    assert "geometry" in queryables["properties"]

    def ids(expression: str, **extra: str) -> list[str]:
        response = analyst.get(
            "/ogc/collections/hazards/items", params={"filter": expression, **extra}
        )
        assert response.status_code == 200, response.text
        return [f["id"] for f in response.json()["features"]]

    assert ids("reference = 'H-2'") == ["H-2"]
    assert ids("reference IN ('H-1', 'H-2') AND NOT reference LIKE '%2'") == ["H-1"]
    # The cleared half of H-1 no longer intersects: spatial filters see the land as of the date.
    cleared_inside = shapely.Polygon(CLEARED.buffer(-1e-5).exterior)
    assert ids(f"S_INTERSECTS(geometry, {cleared_inside.wkt})", as_of="2016-01-01") == []
    assert ids(f"S_INTERSECTS(geometry, {cleared_inside.wkt})", as_of="2014-01-01") == ["H-1"]
    wrong = analyst.get("/ogc/collections/hazards/items", params={"filter": "colour = 'red'"})
    assert wrong.status_code == 400 and "colour" in wrong.json()["description"]


def test_regions_collection_gives_each_region_its_figures(call, site, tmp_path) -> None:
    from app.__main__ import main as cli
    from tests.test_regions import regions_file

    cli(["load-regions", str(regions_file(tmp_path))])
    anonymous = call("anonymous")
    page = anonymous.get(
        "/ogc/collections/regions/items", params={"as_of": "2016-01-01", "limit": 100}
    ).json()
    assert page["numberMatched"] == 6
    by_code = {f["id"]: f["properties"] for f in page["features"]}
    grouped = anonymous.get(
        "/api/v1/totals", params={"as_of": "2016-01-01", "group_by": "region"}
    ).json()["groups"]
    for code in ("W", "E"):
        assert by_code[code]["remaining_m2"] == pytest.approx(grouped[code]["remaining_m2"])
    level_2 = anonymous.get("/ogc/collections/regions/items", params={"filter": "level = 2"})
    assert len(level_2.json()["features"]) == 4


def test_vector_tiles_and_their_description(call, site) -> None:
    analyst = call("analyst")
    tileset = analyst.get("/ogc/collections/land/tiles/WebMercatorQuad").json()
    template = next(link for link in tileset["links"] if link["rel"] == "item")
    assert template["href"].endswith("/{tileMatrix}/{tileRow}/{tileCol}")
    matrix_set = analyst.get("/ogc/tileMatrixSets/WebMercatorQuad").json()
    assert matrix_set["tileMatrices"][10]["matrixWidth"] == 1024
    z = 14
    x, y = tile_of(H1.centroid.x, H1.centroid.y, z)
    tile = analyst.get(f"/ogc/collections/land/tiles/WebMercatorQuad/{z}/{y}/{x}")
    assert tile.status_code == 200
    assert tile.headers["content-type"] == "application/vnd.mapbox-vector-tile"
    assert b"land" in tile.content and b"cleared" in tile.content
    path = f"/ogc/collections/land/tiles/WebMercatorQuad/{z}/{y}/{x}"
    again = analyst.get(path, headers={"If-None-Match": tile.headers["etag"]})
    assert again.status_code == 304  # unchanged since: the browser keeps its copy
    # Weak comparison (a compressing proxy marks the tag weak), lists and "*" (RFC 9110).
    for named in (f"W/{tile.headers['etag']}", f'"other", {tile.headers["etag"]}', "*"):
        assert analyst.get(path, headers={"If-None-Match": named}).status_code == 304, named
    layer = tileset["layers"][0]["propertiesSchema"]["properties"]
    assert (layer["area_m2"]["type"], layer["state"]["type"]) == ("number", "string")
    before = analyst.get(path, params={"as_of": "2013-01-01"})
    assert b"cleared" not in before.content and b"SHA" in before.content
    # A new fact changes the tile at once (kept tiles belong to the previous land state).
    correction = new_event(rect(300, 0, 400, 300), "correct", "2016-02-01")
    authority = call("authority")
    assert authority.post("/api/v1/hazards/H-1/events", json=correction).status_code == 201
    changed = analyst.get(path, headers={"If-None-Match": tile.headers["etag"]})
    assert changed.status_code == 200 and b"corrected" in changed.content
    empty = analyst.get("/ogc/collections/land/tiles/WebMercatorQuad/14/0/0")
    assert empty.status_code == 204
    assert analyst.get("/ogc/collections/land/tiles/WebMercatorQuad/2/9/0").status_code == 404
    style = analyst.get("/ogc/styles/land-release").json()
    assert style["version"] == 8 and list(style["sources"]) == ["landrelease"]


def test_html_views(call, site) -> None:
    analyst = call("analyst")
    page = analyst.get("/ogc/collections/hazards/items", params={"f": "html"})
    assert page.headers["content-type"].startswith("text/html")
    assert "H-1" in page.text and "<table>" in page.text
    assert "H-2" in analyst.get("/ogc/collections/hazards/items/H-2?f=html").text
    assert analyst.get("/ogc/collections?f=xml").status_code == 400
