"""No output ever serves an empty geometry.

Overlays leave pieces of land micrometres wide along edges two polygons share. Drawn on the
grid of the digits an output writes (0.1 mm in degrees, 1 mm in metres), such a piece is
nothing. A feature whose land is nothing when drawn is left out (it holds no land you could
show: a hazard of a few mm² of slivers, a sliver of land, an event that changed only a
sliver); a feature with land is served with it, the slivers dropped. Counts and pages agree
with what is served.

Slivers are forced into the land state here (rows written as the replay would write them),
so the tests hold whatever the ledger's overlays leave.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import text

from app.db import engine
from app.storage import served_land
from tests.support.reference import area_m2
from tests.support.shapes import ORIGIN_E, ORIGIN_N, lonlat, new_event, new_hazard, rect
from tests.support.tiles import decoded
from tests.test_release_to_edge import TILE_ZOOM, _irregular, _tiles_over

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
GEOGRAPHIC = [CRS84, f"{EPSG}4326"]
PROJECTED = [f"{EPSG}3857", f"{EPSG}32648"]
FORMATS = ["geojson", "gpkg", "shp", "kml", "csv"]
LAND = rect(0, 0, 300, 200)
SPECK = rect(600, 0, 800, 200)
HAIR = rect(1200, 0, 1400, 200)


def _sliver(beside: BaseGeometry, length_degrees: float, north: float = 0.0) -> BaseGeometry:
    """A strip of land 1e-11° (1 µm) wide, east of ``beside`` (20 m or so away, ``north``
    degrees further north), on the overlay grid and away from the lines of the 1e-9° grid
    (so that its two long sides are drawn on one line of it)."""
    west = round(beside.bounds[2] + 2e-4, 11)
    south = round(beside.bounds[1] + 1e-4 + north, 9) + 2e-10
    return shapely.box(west, south, west + length_degrees, south + 1e-11)


def _on_grid(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.set_precision(geometry, 1e-11)


# 1 µm by 2 or 3 m: nothing on any grid an output draws on.
SLIVER = _sliver(LAND, 2e-5)
SPECK_SLIVER = _sliver(SPECK, 3e-5)
EVENT_SLIVER = _sliver(LAND, 2e-5, north=5e-4)
# 0.3 mm by 5 m, drawn in UTM 48N between two lines of the 1 mm grid of metres (on which it is
# nothing), and three steps of the 0.1 mm grid of degrees (on which it is land).
HAIR_STRIP = _on_grid(rect(1420, 50.0001, 1425, 50.0004))


def _force_land(reference: str, geometry: BaseGeometry, state: str = "SHA") -> None:
    """A piece of land the hazard holds since its record, in the national model and in its
    contamination type's, as the replay writes land-state rows."""
    with engine().begin() as conn:
        written = conn.execute(
            text(
                """
                INSERT INTO land_state (scope, geom, state, previous_state, hazard_id,
                                        since_on, since_seq, known_from, area_m2)
                SELECT scope, ST_Multi(ST_GeomFromText(:wkt, 4326)), :state, NULL, h.id,
                       h.recorded_on, h.seq, now(), :area
                  FROM hazards h, unnest(ARRAY['all', h.contamination]) scope
                 WHERE h.reference = :reference
                RETURNING hazard_id
                """
            ),
            {
                "wkt": geometry.wkt,
                "state": state,
                "area": area_m2(geometry),
                "reference": reference,
            },
        )
        # As the land state's writers do, the hazard's served land follows its rows.
        served_land.refresh(conn, set(written.scalars()))


def _force_event(reference: str, geometry: BaseGeometry, on: str) -> int:
    """An official correction whose land, changed from SHA, is only ``geometry``."""
    with engine().begin() as conn:
        event_id, seq = conn.execute(
            text(
                """
                INSERT INTO events (hazard_id, kind, occurred_on, footprint, requested_m2)
                SELECT h.id, 'correct', :on, ST_Multi(ST_GeomFromText(:wkt, 4326)), :area
                  FROM hazards h WHERE h.reference = :reference
                RETURNING id, seq
                """
            ),
            {"wkt": geometry.wkt, "on": on, "area": area_m2(geometry), "reference": reference},
        ).one()
        written = conn.execute(
            text(
                """
                INSERT INTO land_state (scope, geom, state, previous_state, hazard_id,
                                        since_on, since_seq, known_from, area_m2)
                SELECT scope, ST_Multi(ST_GeomFromText(:wkt, 4326)), 'corrected', 'SHA',
                       h.id, :on, :seq, now(), :area
                  FROM hazards h, unnest(ARRAY['all', h.contamination]) scope
                 WHERE h.reference = :reference
                RETURNING hazard_id
                """
            ),
            {"wkt": geometry.wkt, "on": on, "seq": seq, "area": area_m2(geometry),
             "reference": reference},
        )  # fmt: skip
        served_land.refresh(conn, set(written.scalars()))
    return event_id


@dataclass(frozen=True)
class Site:
    sliver_event: int
    clearances: list[int]


@pytest.fixture
def site(client: httpx.Client) -> Site:
    """LAND holds land and a sliver; SPECK, cleared to its edge, a sliver only; HAIR, cleared
    to its edge, a strip 0.33 mm wide only; a correction changed only a sliver of LAND."""
    clearances = []
    for reference, polygon in (("LAND", LAND), ("SPECK", SPECK), ("HAIR", HAIR)):
        body = new_hazard(reference, polygon, "2014-01-01")
        assert client.post("/api/v1/hazards", json=body).status_code == 201
        if reference != "LAND":
            cleared = client.post(
                f"/api/v1/hazards/{reference}/events",
                json=new_event(polygon, "clear", "2015-01-01", operator="NPA"),
            )
            assert cleared.status_code == 201, cleared.text
            clearances.append(cleared.json()["id"])
    _force_land("LAND", SLIVER)
    _force_land("SPECK", SPECK_SLIVER)
    _force_land("HAIR", HAIR_STRIP)
    sliver_event = _force_event("LAND", EVENT_SLIVER, "2015-02-01")
    return Site(sliver_event, clearances)


def _drawn(geometry: BaseGeometry, crs: str) -> bool:
    """Whether ``geometry`` is some land once drawn in ``crs`` on the grid of the digits the
    OGC API writes there (0.1 mm in degrees, 1 mm in metres), as GEOS snap-rounds it."""
    code = crs.rsplit("/", 1)[1]
    if code in ("CRS84", "4326"):
        return not shapely.set_precision(geometry, 1e-9).is_empty
    to_crs = Transformer.from_crs("EPSG:4326", f"EPSG:{code}", always_xy=True)
    projected = shapely.transform(geometry, lambda xy: np.column_stack(to_crs.transform(*xy.T)))
    return not shapely.set_precision(projected, 1e-3).is_empty


def test_the_slivers_are_nothing_when_drawn_and_the_strip_is_land_in_degrees() -> None:
    for crs in GEOGRAPHIC + PROJECTED:
        assert not any(_drawn(g, crs) for g in (SLIVER, SPECK_SLIVER, EVENT_SLIVER)), crs
    assert _drawn(HAIR_STRIP, CRS84) and not _drawn(HAIR_STRIP, f"{EPSG}32648")


def _geometries_served(features: list[dict]) -> list[BaseGeometry | None]:
    return [None if f["geometry"] is None else shape(f["geometry"]) for f in features]


def _all_items(client: httpx.Client, collection: str, crs: str, limit: int) -> list[dict]:
    """Every feature, page after page; every page but the last is full."""
    features: list[dict] = []
    url: str | None = f"/ogc/collections/{collection}/items"
    query: dict | None = {"crs": crs, "limit": limit}
    while url:
        page = client.get(url, params=query)
        assert page.status_code == 200, page.text
        body = page.json()
        url = next((link["href"] for link in body["links"] if link["rel"] == "next"), None)
        query = None
        if url:
            assert len(body["features"]) == limit, (collection, crs, len(features))
        assert body["numberReturned"] == len(body["features"])
        features += body["features"]
    return features


@pytest.mark.parametrize("crs", GEOGRAPHIC + PROJECTED)
@pytest.mark.parametrize("collection", ["hazards", "land", "events"])
def test_ogc_items_leave_out_features_whose_land_is_nothing_drawn(
    client: httpx.Client, site: Site, collection: str, crs: str
) -> None:
    offered = client.get(f"/ogc/collections/{collection}").json()["crs"]
    assert crs in offered
    features = _all_items(client, collection, crs, limit=1000)
    geometries = _geometries_served(features)
    assert all(g is not None and not g.is_empty and g.area > 0 for g in geometries), [
        (f["id"], f["geometry"]) for f in features
    ]
    # Page by page, the same features (no page left short by a feature left out).
    assert _all_items(client, collection, crs, limit=1) == features
    # HAIR's strip, 0.3 mm wide, is land on the 0.1 mm grid of degrees, nothing on the 1 mm
    # grid of UTM 48N, and what GEOS makes of it on the 1 mm grid of Web Mercator.
    hair = _drawn(HAIR_STRIP, crs)
    if collection == "hazards":
        assert [f["id"] for f in features] == (["HAIR", "LAND"] if hair else ["LAND"])
        land = shape(features[-1]["geometry"])
        assert len(shapely.get_parts(land)) == 1  # without the sliver beside it
        missing = ["SPECK"] if hair else ["SPECK", "HAIR"]
    elif collection == "land":
        served = sorted((f["properties"]["hazard"], f["properties"]["state"]) for f in features)
        expected = [("HAIR", "cleared"), ("LAND", "SHA"), ("SPECK", "cleared")]
        assert served == sorted(expected + ([("HAIR", "SHA")] if hair else []))
        missing = []
    else:
        assert [f["id"] for f in features] == site.clearances
        missing = [str(site.sliver_event)]
    for fid in missing:
        one = client.get(f"/ogc/collections/{collection}/items/{fid}", params={"crs": crs})
        assert one.status_code == 404, one.text


def test_the_api_serves_no_geometry_for_a_hazard_whose_land_is_nothing_drawn(
    client: httpx.Client, site: Site
) -> None:
    speck = client.get("/api/v1/hazards/SPECK").json()
    assert speck["geometry"] is None
    # The figures are the ledger's: the sliver's few mm² are still SHA.
    assert speck["properties"]["sha_m2"] == pytest.approx(area_m2(SPECK_SLIVER), rel=1e-6)
    listed = client.get("/api/v1/hazards").json()
    assert listed["numberMatched"] == len(listed["features"]) == 3
    by_reference = {f["id"]: f["geometry"] for f in listed["features"]}
    assert by_reference["SPECK"] is None
    for reference in ("LAND", "HAIR"):
        land = shape(by_reference[reference])
        assert not land.is_empty and land.area > 0
    # Events are served with the polygon submitted: none where it is 1 µm wide.
    events = client.get("/api/v1/hazards/SPECK/events").json()["features"]
    assert [e["id"] for e in events] == site.clearances[:1]
    assert area_m2(shape(events[0]["geometry"])) == pytest.approx(area_m2(SPECK), rel=1e-6)
    sliver_event = client.get(f"/api/v1/events/{site.sliver_event}").json()
    assert sliver_event["geometry"] is None
    assert sliver_event["properties"]["requested_m2"] == pytest.approx(area_m2(EVENT_SLIVER))


def _read(path: Path) -> list[tuple[dict, BaseGeometry | None]]:
    source = f"/vsizip/{path}" if path.suffix == ".zip" else str(path)
    options = {"GEOM_POSSIBLE_NAMES": "WKT"} if path.suffix == ".csv" else {}
    meta, _, geometries, columns = pyogrio.raw.read(source, **options)
    names = [str(n).lower() for n in meta["fields"]]
    return [
        (
            {n: c[i] for n, c in zip(names, columns, strict=True)},
            None if geometries[i] is None else shapely.from_wkb(geometries[i]),
        )
        for i in range(len(geometries))
    ]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/export/hazards", {}),
        ("/api/v1/export/events", {}),
        ("/api/v1/reports/article-7/areas", {"year": 2015}),
        ("/api/v1/reports/article-4-6/areas", {"as_of": "2016-01-01"}),
    ],
)
def test_files_hold_no_empty_geometry(
    client: httpx.Client, site: Site, tmp_path: Path, path: str, query: dict, fmt: str
) -> None:
    response = client.get(path, params={"format": fmt, **query})
    assert response.status_code == 200, response.text
    name = response.headers["content-disposition"].split("filename=")[1].strip('"')
    file = tmp_path / name
    file.write_bytes(response.content)
    features = _read(file)
    assert all(g is not None and not g.is_empty and g.area > 0 for _, g in features)
    if "events" in path:
        assert sorted(int(p["event_id"]) for p, _ in features) == site.clearances
    else:
        # Written at full precision: HAIR's 0.33 mm strip is land there.
        assert sorted(str(p["reference"]) for p, _ in features) == ["HAIR", "LAND"]


def test_the_article_7_list_of_areas_leaves_out_a_hazard_whose_land_is_nothing_drawn(
    client: httpx.Client, site: Site
) -> None:
    report = client.get("/api/v1/reports/article-7", params={"year": 2015}).json()
    assert sorted(a["reference"] for a in report["areas"]) == ["HAIR", "LAND"]


def _tiles_at_every_zoom(geometry: BaseGeometry) -> Iterator[tuple[int, int, int]]:
    for z in range(TILE_ZOOM - 2, 23):
        *_, (z, y, x) = _tiles_over(geometry.centroid, z)
        yield z, y, x


def test_vector_tiles_hold_no_empty_geometry(
    client: httpx.Client, site: Site, tmp_path: Path
) -> None:
    seen = set()
    for sliver in (SLIVER, SPECK_SLIVER, HAIR_STRIP, EVENT_SLIVER):
        for z, y, x in _tiles_at_every_zoom(sliver):
            tile = client.get(f"/ogc/collections/land/tiles/WebMercatorQuad/{z}/{y}/{x}")
            if tile.status_code == 204:
                continue
            assert tile.status_code == 200, tile.text
            for feature in decoded(tile, tmp_path, z, y, x):
                drawn, hazard = feature["geometry"], feature["hazard"]
                assert not drawn.is_empty and drawn.area > 0, (z, y, x, hazard)
                seen.add(str(hazard))
    assert seen == {"LAND", "SPECK", "HAIR"}  # the tiles were not all empty


def test_a_hazard_recorded_with_anothers_polygon_as_served_is_never_drawn_empty(
    client: httpx.Client,
) -> None:
    """A team records a second hazard with the polygon the API serves for the first (the
    same ground, written to 0.1 mm): whatever land that leaves it, nothing is served empty."""
    first = _irregular(ORIGIN_E, ORIGIN_N, 4.1, 37, seed=7, hole=True)
    body = new_hazard("FIRST", lonlat(first), "2014-01-01")
    assert client.post("/api/v1/hazards", json=body).status_code == 201
    served = client.get("/api/v1/hazards/FIRST").json()["geometry"]
    again = {**body, "geometry": served}
    again["properties"] = {**body["properties"], "reference": "AGAIN", "recorded_on": "2015-01-01"}
    assert client.post("/api/v1/hazards", json=again).status_code == 201
    for crs in GEOGRAPHIC + PROJECTED:
        for collection in ("hazards", "land"):
            features = _all_items(client, collection, crs, limit=1000)
            geometries = _geometries_served(features)
            assert all(g is not None and not g.is_empty for g in geometries), (collection, crs)
    geometry = client.get("/api/v1/hazards/AGAIN").json()["geometry"]
    assert geometry is None or not shape(geometry).is_empty
