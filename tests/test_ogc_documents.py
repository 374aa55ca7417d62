"""What GIS clients and browsers rely on beyond the features themselves: dates as OGC API –
Features Part 1 reads them and the land's own date (as_of), counts on every page, sorting
and property selection, ids as properties, queryables as GDAL and JSON Schema read them,
extents and UTM zones per collection, HTML pages that link to HTML, HEAD, CORS, and the
tilesets' metadata and TileJSON. Expected values come from the fixture, not the service."""

from __future__ import annotations

import pyogrio
import pytest
import shapely
from fastapi.testclient import TestClient
from pyproj import Transformer
from shapely.geometry import shape

from app.ogc.tiling import tile_range
from tests.support.shapes import new_event, new_hazard, rect

H1 = rect(0, 0, 400, 300)
H2 = rect(1000, 0, 1300, 200)
CLEARED = rect(0, 0, 200, 300)
REMAINING = rect(200, 0, 400, 300).union(H2)
ITEMS = "/ogc/collections/{}/items"


@pytest.fixture
def site(client) -> None:
    """H-1 recorded 2012-03-01, H-2 2014-06-01 (CHA); the west half of H-1 cleared 2015."""
    for reference, geometry, on, hazard_class in (
        ("H-1", H1, "2012-03-01", "SHA"),
        ("H-2", H2, "2014-06-01", "CHA"),
    ):
        body = new_hazard(reference, geometry, on=on, hazard_class=hazard_class)
        assert client.post("/api/v1/hazards", json=body).status_code == 201
    clearance = new_event(CLEARED, "clear", "2015-06-01", operator="NPA")
    assert client.post("/api/v1/hazards/H-1/events", json=clearance).status_code == 201


def _page(http, collection: str, **query) -> dict:
    answer = http.get(ITEMS.format(collection), params=query)
    assert answer.status_code == 200, answer.text
    return answer.json()


# Dates as GDAL (trailing T, ..) and QGIS (year 0 and 9999 sentinels) write them.
DATETIMES = [
    ("2012-03-01", ["H-1"]),
    ("2012-03-01T", ["H-1"]),
    ("2012-03-01T00:00:00Z", ["H-1"]),
    ("2012-03-01T10:00Z", ["H-1"]),
    ("2012-03-02T01:00:00+05:00", ["H-1"]),  # 2012-03-01 in UTC
    ("2012-01-01T/2012-12-31T", ["H-1"]),
    ("2013-01-01/..", ["H-2"]),
    ("../2013-01-01T", ["H-1"]),
    ("0000-01-01T00:00:00Z/2014-06-01", ["H-1", "H-2"]),
    ("2014-06-01/9999-12-31T00:00:00Z", ["H-2"]),
    ("2012-03-02/2014-05-31", []),
]


@pytest.mark.parametrize(("when", "references"), DATETIMES)
def test_datetime_filters_the_hazards_own_date(call, site, when, references) -> None:
    for collection in ("hazards", "hazard-records"):
        page = _page(call("analyst"), collection, datetime=when)
        assert [f["id"] for f in page["features"]] == references, (collection, when)
        assert page["numberMatched"] == len(references)


def test_dates_that_are_not_dates_are_refused_in_the_callers_language(call, site) -> None:
    analyst = call("analyst")
    for when in ("yesterday", "2012-13-01", "2015-01-01/2014-01-01", "../.."):
        refused = analyst.get(ITEMS.format("hazards"), params={"datetime": when})
        assert refused.status_code == 400 and refused.json()["description"].startswith("datetime")
    french = analyst.get(
        ITEMS.format("hazards"), params={"datetime": "hier"}, headers={"Accept-Language": "fr"}
    )
    assert "ni une date" in french.json()["description"]
    # The regions have no date of their own; as_of is theirs, not the events'.
    assert (
        analyst.get(ITEMS.format("regions"), params={"datetime": "2015-01-01"}).status_code == 400
    )
    assert analyst.get(ITEMS.format("events"), params={"as_of": "2015-01-01"}).status_code == 400


def test_land_pieces_by_the_interval_their_state_held(call, site) -> None:
    analyst = call("analyst")
    today = _page(analyst, "land", limit=100)
    assert {f["properties"]["state"] for f in today["features"]} == {"SHA", "cleared", "CHA"}
    assert all(f["properties"]["until"] is None for f in today["features"])
    # Each piece has one history: H-1 is its two halves from the start, the west one
    # cleared on 2015-06-01.
    then = _page(analyst, "land", as_of="2014-12-31", limit=100)
    assert sorted(f["properties"]["state"] for f in then["features"]) == ["CHA", "SHA", "SHA"]
    during = _page(analyst, "land", datetime="2015-01-01/2015-12-31", limit=100)
    states = sorted(f["properties"]["state"] for f in during["features"])
    # The whole SHA piece (until 2015-06-01), then its two halves, and H-2.
    assert states == ["CHA", "SHA", "SHA", "cleared"]
    ended = [f for f in during["features"] if f["properties"]["until"] == "2015-06-01"]
    assert len(ended) == 1 and ended[0]["properties"]["since"] == "2012-03-01"
    before = _page(analyst, "land", datetime="../2015-05-31", limit=100)
    assert "cleared" not in {f["properties"]["state"] for f in before["features"]}


def test_ids_sorting_properties_and_skipping_geometry(call, site) -> None:
    analyst = call("analyst")
    events = _page(analyst, "events")
    assert [f["properties"]["id"] for f in events["features"]] == [
        f["id"] for f in events["features"]
    ]
    land = _page(analyst, "land", limit=100)
    assert all(f["properties"]["id"] == f["id"] for f in land["features"])
    hazards = _page(analyst, "hazards")
    assert all(f["properties"]["reference"] == f["id"] for f in hazards["features"])
    by_area = _page(analyst, "hazards", sortby="-remaining_m2")
    areas = [f["properties"]["remaining_m2"] for f in by_area["features"]]
    assert areas == sorted(areas, reverse=True) and len(areas) == 2
    assert [f["id"] for f in _page(analyst, "hazards", sortby="+recorded_on")["features"]] == [
        "H-1", "H-2"
    ]  # fmt: skip
    slim = _page(analyst, "hazards", properties="reference,cha_m2", skipGeometry="true")
    assert all(f["geometry"] is None for f in slim["features"])
    assert all(set(f["properties"]) == {"reference", "cha_m2"} for f in slim["features"])
    for query in ({"sortby": "colour"}, {"properties": "colour"}, {"skipGeometry": "maybe"}):
        assert analyst.get(ITEMS.format("hazards"), params=query).status_code == 400
    conformance = analyst.get("/ogc/conformance").json()["conformsTo"]
    assert any(c.endswith("/conf/sorting") for c in conformance)
    assert any(c.endswith("/conf/property-selection") for c in conformance)


def test_every_property_is_queryable(call, site) -> None:
    analyst = call("analyst")
    for collection in ("hazards", "hazard-records", "events", "land", "regions"):
        page = _page(analyst, collection, limit=1)
        shown = set(page["features"][0]["properties"]) if page["features"] else set()
        schema = analyst.get(
            f"/ogc/collections/{collection}/queryables",
            headers={"Accept": "application/schema+json"},
        )
        assert schema.headers["content-type"] == "application/schema+json"
        assert shown <= set(schema.json()["properties"]), collection
        # GDAL 3.6 asks for JSON and reads the draft's list of ids.
        plain = analyst.get(
            f"/ogc/collections/{collection}/queryables",
            headers={"Accept": "application/geo+json, application/json"},
        )
        assert plain.headers["content-type"] == "application/json"
        assert shown <= {q["id"] for q in plain.json()["queryables"]}
        described = analyst.get(f"/ogc/collections/{collection}/schema").json()
        assert shown <= set(described["properties"]["properties"]["properties"])
        links = analyst.get(f"/ogc/collections/{collection}").json()["links"]
        assert {"queryables", "describedby"} <= {link["rel"] for link in links}
    land = analyst.get("/ogc/collections/land/queryables").json()["properties"]
    assert land["state"]["enum"] == ["SHA", "CHA", "cancelled", "reduced", "cleared", "corrected"]
    # A filter on a figure the page computes (the land left as of the date shown).
    cha = _page(analyst, "hazards", filter="cha_m2 > 0")
    assert [f["id"] for f in cha["features"]] == ["H-2"]


def test_numbers_matched_on_every_page(call, site) -> None:
    analyst = call("analyst")
    for collection, expected in (("hazards", 2), ("hazard-records", 2), ("events", 1)):
        first = _page(analyst, collection, limit=1)
        assert first["numberMatched"] == expected and first["numberReturned"] == 1
        assert _page(analyst, collection, limit=1, offset=5)["numberMatched"] == expected


def test_extent_and_utm_zones_follow_each_collections_data(call, client, site) -> None:
    analyst = call("analyst")
    hazards = analyst.get("/ogc/collections/hazards").json()
    west, south, east, north = hazards["extent"]["spatial"]["bbox"][0]
    # The hazards' land left today (H-1's west half is cleared): around every feature
    # served (the stored land may hold specks that the digits served leave out).
    _holds((west, south, east, north), _served_bounds(analyst, "hazards"))
    assert (west, south, east, north) == pytest.approx(REMAINING.bounds, abs=3e-4)  # 30 m
    events = analyst.get("/ogc/collections/events").json()["extent"]["spatial"]["bbox"][0]
    assert events == pytest.approx(CLEARED.bounds, abs=1e-6)
    assert analyst.get("/ogc/collections/events").json()["extent"]["temporal"]["interval"] == [
        ["2015-06-01", "2015-06-01"]
    ]
    assert "http://www.opengis.net/def/crs/EPSG/0/32648" in hazards["crs"]
    # A programme in another UTM zone (here 35S, Zimbabwe) gets its zone.
    far = Transformer.from_crs(32735, 4326, always_xy=True)
    x, y = 300_000, 7_900_000
    south_zone = [
        far.transform(x + dx, y + dy) for dx, dy in ((0, 0), (400, 0), (400, 300), (0, 300))
    ]
    body = new_hazard("Z-1", shapely.Polygon(south_zone))
    assert client.post("/api/v1/hazards", json=body).status_code == 201
    records = analyst.get("/ogc/collections/hazard-records").json()
    assert "http://www.opengis.net/def/crs/EPSG/0/32735" in records["crs"]
    assert "http://www.opengis.net/def/crs/EPSG/0/32648" in records["crs"]
    utm35s = analyst.get(
        f"{ITEMS.format('hazard-records')}/Z-1",
        params={"crs": "http://www.opengis.net/def/crs/EPSG/0/32735"},
    ).json()
    ring = utm35s["geometry"]["coordinates"][0][0]
    assert min(p[0] for p in ring) == pytest.approx(x, abs=0.01)


def test_html_pages_link_to_html_and_head_answers_every_get(call, site) -> None:
    analyst = call("analyst")
    landing = analyst.get("/ogc", params={"f": "html"}).text
    assert "/ogc/collections?f=html" in landing and "/ogc/conformance?f=html" in landing
    items = analyst.get(ITEMS.format("hazards"), params={"f": "html", "limit": 1}).text
    assert 'rel="next"' in items and "f=html" in items.split('rel="next" href="')[1].split('"')[0]
    assert "<table>" in analyst.get("/ogc/api", params={"f": "html"}).text
    for path in ("/ogc", "/ogc/collections", ITEMS.format("hazards"), "/ogc/styles/land-release",
                 "/ogc/tiles/WebMercatorQuad", "/ogc/qgis/land-release.qgz"):  # fmt: skip
        head, get = analyst.head(path), analyst.get(path)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]


def test_cors_origins_are_configurable_and_none_by_default(call, monkeypatch) -> None:
    from app.api.main import create_app
    from app.settings import cors_settings

    preflight = {"Origin": "https://maps.example.org", "Access-Control-Request-Method": "GET"}
    closed = call("anonymous").options("/ogc/collections", headers=preflight)
    assert "access-control-allow-origin" not in closed.headers
    monkeypatch.setenv("CORS_ORIGINS", "https://maps.example.org, https://other.example.org")
    cors_settings.cache_clear()
    try:
        with TestClient(create_app()) as open_app:
            allowed = open_app.options("/ogc/collections", headers=preflight)
            assert allowed.headers["access-control-allow-origin"] == "https://maps.example.org"
            stranger = {**preflight, "Origin": "https://elsewhere.example.com"}
            refused = open_app.options("/ogc/collections", headers=stranger)
            assert "access-control-allow-origin" not in refused.headers
    finally:
        cors_settings.cache_clear()


def _layers(tile: bytes, folder, z: int, x: int, y: int) -> dict[str, list[dict]]:
    """The layers of a vector tile and their features' properties (GDAL's MVT reader)."""
    path = folder / f"{z}-{x}-{y}.mvt"
    path.write_bytes(tile)
    source = f"MVT:{path}"
    layers = {}
    for name, _ in pyogrio.list_layers(source):
        info = pyogrio.read_info(source, layer=name)
        _, _, _, fields = pyogrio.raw.read(source, layer=name, X=x, Y=y, Z=z)
        names = list(info["fields"])
        layers[name] = [dict(zip(names, row, strict=True)) for row in zip(*fields, strict=True)]
    return layers


def test_tilesets_limits_tilejson_and_the_dataset_tiles(call, site, tmp_path) -> None:
    analyst = call("analyst")
    for collection in ("land", "hazards"):
        tileset = analyst.get(f"/ogc/collections/{collection}/tiles/WebMercatorQuad").json()
        bbox = tileset["boundingBox"]
        limits = {entry["tileMatrix"]: entry for entry in tileset["tileMatrixSetLimits"]}
        assert set(limits) == {str(z) for z in range(17)}  # zooms 0 to 16
        west, south, east, north = (*bbox["lowerLeft"], *bbox["upperRight"])
        _holds((west, south, east, north), _served_bounds(analyst, collection))
        x0, _, _, y1 = tile_range((west, south, east, north), 14)
        assert (limits["14"]["minTileCol"], limits["14"]["maxTileRow"]) == (x0, y1)
        tilejson = analyst.get(
            f"/ogc/collections/{collection}/tiles/WebMercatorQuad",
            params={"f": "tilejson", "as_of": "2014-01-01"},
        ).json()
        assert tilejson["tilejson"] == "3.0.0" and tilejson["maxzoom"] == 16
        assert tilejson["tiles"][0].endswith("/{z}/{y}/{x}?as_of=2014-01-01")
        assert tilejson["vector_layers"][0]["id"] == collection
    z, y, x = 16, *_tile(H2.centroid, 16)  # a tile of about 570 m: H-2 alone
    hazards = analyst.get(f"/ogc/collections/hazards/tiles/WebMercatorQuad/{z}/{y}/{x}")
    layer = _layers(hazards.content, tmp_path, z, x, y)["hazards"]
    assert {f["reference"] for f in layer} == {"H-2"}
    both = analyst.get(f"/ogc/tiles/WebMercatorQuad/{z}/{y}/{x}")
    assert set(_layers(both.content, tmp_path, z, x, y)) == {"land"}  # no regions loaded
    # Anonymous callers get the regions only: the land is left out of their tiles.
    assert call("anonymous").get(f"/ogc/tiles/WebMercatorQuad/{z}/{y}/{x}").status_code == 204


def _holds(outer: tuple[float, ...], inner: tuple[float, ...]) -> None:
    slack = 1e-9
    assert outer[0] <= inner[0] + slack and outer[1] <= inner[1] + slack, (outer, inner)
    assert outer[2] >= inner[2] - slack and outer[3] >= inner[3] - slack, (outer, inner)
    assert outer == pytest.approx(inner, abs=3e-4)


def _served_bounds(http, collection: str) -> tuple[float, ...]:
    features = _page(http, collection, limit=100)["features"]
    return shapely.union_all([shape(f["geometry"]) for f in features]).bounds


def _tile(point, z: int) -> tuple[int, int]:
    col, row, _, _ = tile_range((point.x, point.y, point.x, point.y), z)
    return row, col
