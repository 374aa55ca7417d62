"""A release drawn with a hazard's own polygon closes the hazard, whatever output served it.

Field teams take a hazard's polygon from whatever the system gives them: the API's GeoJSON,
the OGC API in lon/lat or in a projected CRS, an export file, the Article 7 list of areas.
A cancellation, reduction, clearance or correction drawn with that polygon, as that output
serves it, or drawn 0.5 cm inside its edge, changes all of the hazard's land it can change
(the positional tolerance of the land-release model): nothing is left, the hazard leaves
every list of remaining land, and the same release again changes nothing.

The hazards are irregular polygons of 20 to 50 vertices, 1 to 10 ha, some with holes, two
recorded through the API in lon/lat and two uploaded as a shapefile in UTM 48N; one has part
of its land confirmed before it is released, so it holds SHA and CHA.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from tests.support.files import write_layer, zip_folder
from tests.support.shapes import ORIGIN_E, ORIGIN_N, lonlat, new_event, new_hazard
from tests.support.tiles import decoded, tile_of

UTM48N = "EPSG:32648"  # the local metric CRS of the site
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
KINDS = ["cancel", "reduce", "clear", "correct"]
RECORDED_ON = date(2013, 4, 2)
UPLOADED_ON = date(2013, 6, 10)
CONFIRMED_ON = date(2014, 9, 1)
RELEASED_ON = date(2016, 3, 15)
TILE_ZOOM = 16  # tiles about 570 m wide at the site: a hazard's land is drawn in them
# The projected CRSs the OGC API offers for data at the site: Web Mercator and the UTM zone
# (checked against the collection's own list below).
PROJECTED = ["3857", "32648"]


def _irregular(
    east: float, north: float, hectares: float, vertices: int, seed: int, hole: bool = False
) -> BaseGeometry:
    """An irregular outline of ``vertices`` vertices around a point (metres, UTM 48N) with an
    area of ``hectares`` (and an irregular hole of about 4 % of it): a survey team's polygon."""
    rng = np.random.default_rng(seed)
    angles = np.sort(rng.uniform(0, 2 * np.pi, vertices))
    # Bumps of a few wavelengths, then noise at every vertex: no two sides alike.
    radii = 1 + 0.18 * np.sin(3 * angles + rng.uniform(0, 6)) + rng.uniform(-0.12, 0.12, vertices)
    shell = np.column_stack([np.cos(angles) * radii, np.sin(angles) * radii])
    holes = []
    if hole:
        hole_angles = np.sort(rng.uniform(0, 2 * np.pi, 11))
        hole_radii = 0.22 * (1 + rng.uniform(-0.2, 0.2, 11))
        offset = rng.uniform(-0.15, 0.15, 2)
        holes.append(
            np.column_stack([np.cos(hole_angles), np.sin(hole_angles)]) * hole_radii[:, None]
            + offset
        )
    unit = shapely.Polygon(shell, holes)
    assert unit.is_valid, shapely.is_valid_reason(unit)
    scale = math.sqrt(hectares * 10_000 / unit.area)
    return shapely.affinity.affine_transform(unit, [scale, 0, 0, scale, east, north])


@dataclass(frozen=True)
class Site:
    reference: str
    utm: BaseGeometry  # as the team drew it, UTM 48N
    uploaded: bool  # in a zipped shapefile in UTM 48N (else posted to the API in lon/lat)
    hazard_class: str

    @property
    def lon_lat(self) -> BaseGeometry:
        return lonlat(self.utm)


def _sites(kind: str) -> list[Site]:
    """Four hazards (all SHA for a cancellation, which cannot release confirmed land)."""
    cha = "SHA" if kind == "cancel" else "CHA"
    e, n = ORIGIN_E, ORIGIN_N
    return [
        Site("HZ-A", _irregular(e, n, 2.3, 24, seed=1), False, "SHA"),
        Site("HZ-B", _irregular(e + 900, n + 150, 8.6, 47, seed=2, hole=True), False, cha),
        Site("HZ-C", _irregular(e + 100, n + 800, 1.2, 33, seed=3), True, "SHA"),
        Site("HZ-D", _irregular(e + 1000, n + 1000, 5.4, 41, seed=4, hole=True), True, cha),
    ]


def _record(client: httpx.Client, tmp_path: Path, sites: list[Site], kind: str) -> None:
    for site in sites:
        if not site.uploaded:
            body = new_hazard(site.reference, site.lon_lat, str(RECORDED_ON), site.hazard_class)
            created = client.post("/api/v1/hazards", json=body)
            assert created.status_code == 201, created.text
    uploaded = [s for s in sites if s.uploaded]
    folder = tmp_path / "survey"
    folder.mkdir()
    records = [
        # Shapefile field names are at most 10 characters: the names our exports use.
        {
            "reference": s.reference,
            "haz_class": s.hazard_class,
            "contam": "CMR",
            "recorded": UPLOADED_ON,
        }
        for s in uploaded
    ]
    write_layer(
        folder / "survey.shp",
        "ESRI Shapefile",
        [s.utm for s in uploaded],
        records,
        crs=UTM48N,
        given_in=UTM48N,
    )
    imported = _upload(client, zip_folder(folder, tmp_path / "survey.zip"), "hazards")
    assert imported.status_code == 201, imported.text
    if kind != "cancel":
        # Technical survey confirmed the northern half of HZ-C: it holds SHA and CHA.
        c = next(s for s in sites if s.reference == "HZ-C")
        west, south, east, north = c.utm.bounds
        half = lonlat(c.utm.intersection(shapely.box(west, (south + north) / 2, east, north)))
        confirm = new_event(half, "confirm", str(CONFIRMED_ON))
        confirmed = client.post("/api/v1/hazards/HZ-C/events", json=confirm)
        assert confirmed.status_code == 201, confirmed.text


def _upload(client: httpx.Client, path: Path, target: str, crs: str | None = None):
    form = {"target": target, **({"crs": crs} if crs else {})}
    with path.open("rb") as f:
        return client.post("/api/v1/imports", files={"file": (path.name, f)}, data=form)


# --- The outputs a polygon is taken from ------------------------------------------------


def _from_api(client: httpx.Client, tmp_path: Path, references: list[str]) -> dict:
    polygons = {}
    for reference in references:
        served = client.get(f"/api/v1/hazards/{reference}")
        assert served.status_code == 200, served.text
        polygons[reference] = shape(served.json()["geometry"])
    return polygons


def _from_ogc(collection: str, crs: str) -> Callable[..., dict]:
    def read(client: httpx.Client, tmp_path: Path, references: list[str]) -> dict:
        offered = client.get(f"/ogc/collections/{collection}").json()["crs"]
        assert crs in offered, offered
        page = client.get(
            f"/ogc/collections/{collection}/items", params={"crs": crs, "limit": 1000}
        )
        assert page.status_code == 200, page.text
        assert page.headers["content-crs"] == f"<{crs}>"
        served = {f["id"]: shape(f["geometry"]) for f in page.json()["features"]}
        return {reference: served[reference] for reference in references}

    return read


def _from_export(path: str, fmt: str, **params: object) -> Callable[..., dict]:
    """A file as a GIS user downloads it, read back with GDAL."""

    def read(client: httpx.Client, tmp_path: Path, references: list[str]) -> dict:
        response = client.get(path, params={"format": fmt, **params})
        assert response.status_code == 200, response.text
        name = response.headers["content-disposition"].split("filename=")[1].strip('"')
        file = tmp_path / name
        file.write_bytes(response.content)
        read = _read_layer(file)
        return {reference: read[reference] for reference in references}

    return read


def _read_layer(path: Path) -> dict[str, BaseGeometry]:
    """reference -> geometry of a file we wrote, as GDAL reads it."""
    source = f"/vsizip/{path}" if path.suffix == ".zip" else str(path)
    options = {"GEOM_POSSIBLE_NAMES": "WKT"} if path.suffix == ".csv" else {}
    meta, _, geometries, columns = pyogrio.raw.read(source, **options)
    names = [str(name).lower() for name in meta["fields"]]
    references = columns[names.index("reference")]
    return {
        str(reference): shapely.force_2d(shapely.from_wkb(geometry))
        for reference, geometry in zip(references, geometries, strict=True)
    }


@dataclass(frozen=True)
class Output:
    """Where a polygon comes from, and how the team sends the release drawn with it."""

    read: Callable[[httpx.Client, Path, list[str]], dict[str, BaseGeometry]]
    crs: str = "EPSG:4326"  # of the coordinates read (EPSG:4326 here: longitude first)
    lat_first: bool = False  # the coordinates read are latitude, longitude
    upload: str | None = None  # sent in a file of this driver in ``crs``; else to the API


OUTPUTS: dict[str, Output] = {
    "api-geojson": Output(_from_api),
    "ogc-hazards-crs84": Output(_from_ogc("hazards", CRS84)),
    "ogc-hazards-epsg4326": Output(_from_ogc("hazards", f"{EPSG}4326"), lat_first=True),
    "ogc-hazard-records-crs84": Output(_from_ogc("hazard-records", CRS84)),
    **{
        f"ogc-hazards-epsg{code}-to-lonlat": Output(
            _from_ogc("hazards", f"{EPSG}{code}"), crs=f"EPSG:{code}"
        )
        for code in PROJECTED
    },
    "ogc-hazards-epsg3857-gpkg-upload": Output(
        _from_ogc("hazards", f"{EPSG}3857"), crs="EPSG:3857", upload="GPKG"
    ),
    "ogc-hazards-epsg32648-shapefile-upload": Output(
        _from_ogc("hazards", f"{EPSG}32648"), crs=UTM48N, upload="ESRI Shapefile"
    ),
    **{
        f"export-{fmt}": Output(_from_export("/api/v1/export/hazards", fmt))
        for fmt in ("geojson", "gpkg", "shp", "kml", "csv")
    },
    "article-7-areas-gpkg": Output(
        _from_export("/api/v1/reports/article-7/areas", "gpkg", year=RELEASED_ON.year - 1)
    ),
}


def _in_utm(geometry: BaseGeometry) -> BaseGeometry:
    to_utm = Transformer.from_crs("EPSG:4326", UTM48N, always_xy=True)
    return shapely.transform(geometry, lambda xy: np.column_stack(to_utm.transform(*xy.T)))


def _to_lon_lat(geometry: BaseGeometry, output: Output) -> BaseGeometry:
    """What a client does before posting GeoJSON (RFC 7946: longitude, latitude)."""
    if output.lat_first:
        return shapely.transform(geometry, lambda xy: xy[:, ::-1])
    if output.crs == "EPSG:4326":
        return geometry
    back = Transformer.from_crs(output.crs, "EPSG:4326", always_xy=True)
    return shapely.transform(geometry, lambda xy: np.column_stack(back.transform(*xy.T)))


# --- Releasing -------------------------------------------------------------------------


@dataclass
class Release:
    """Releases of several hazards, sent once, and sent again to be refused."""

    client: httpx.Client
    tmp_path: Path
    kind: str
    polygons: dict[str, BaseGeometry]
    output: Output

    def send(self) -> None:
        if self.output.upload is None:
            for reference, polygon in self.polygons.items():
                posted = self._post(reference, polygon)
                assert posted.status_code == 201, (reference, posted.text)
        else:
            applied = self._upload("first")
            assert applied.status_code == 201, applied.text
            assert applied.json()["accepted"] == len(self.polygons)

    def send_again_and_be_refused(self) -> None:
        """The same polygons again: nothing left for them to change, the API says so."""
        if self.output.upload is None:
            for reference, polygon in self.polygons.items():
                again = self._post(reference, polygon)
                assert again.status_code == 422, (reference, again.status_code, again.text)
                assert again.json()["error"] == "NoEffect", again.json()
                assert "changes no land" in again.json()["detail"]
        else:
            # Another file (another report), the same polygons: each feature is refused.
            again = self._upload("second")
            assert again.status_code == 422, again.text
            report = again.json()
            assert report["status"] == "rejected" and report["accepted"] == 0, report
            problems = {p["reference"]: p["message"] for p in report["problems"]}
            assert set(problems) == set(self.polygons), report["problems"]
            assert all("changes no land" in m for m in problems.values()), problems

    def _post(self, reference: str, polygon: BaseGeometry) -> httpx.Response:
        body = new_event(
            _to_lon_lat(polygon, self.output), self.kind, str(RELEASED_ON), operator="NPA"
        )
        return self.client.post(f"/api/v1/hazards/{reference}/events", json=body)

    def _upload(self, report: str) -> httpx.Response:
        """The polygons as served, written unchanged in their CRS, in a field file."""
        driver = self.output.upload
        assert driver is not None
        folder = self.tmp_path / f"release-{report}"
        folder.mkdir()
        records = [
            {
                "hazard": reference,
                "kind": self.kind,
                "date": RELEASED_ON,
                "operator": "NPA",
                "report_ref": f"{report} report",
            }
            for reference in self.polygons
        ]
        geometries = list(self.polygons.values())
        if driver == "ESRI Shapefile":
            write_layer(
                folder / "release.shp", driver, geometries, records, self.output.crs,
                given_in=self.output.crs,
            )  # fmt: skip
            path = zip_folder(folder, self.tmp_path / f"release-{report}.zip")
        else:
            path = write_layer(
                folder / "release.gpkg", driver, geometries, records, self.output.crs,
                given_in=self.output.crs,
            )  # fmt: skip
        return _upload(self.client, path, "events")


# --- What must be true after the release -----------------------------------------------


def _left(client: httpx.Client, references: list[str]) -> dict[str, float]:
    """SHA + CHA m² each hazard still holds, as the API says."""
    left = {}
    for reference in references:
        properties = client.get(f"/api/v1/hazards/{reference}").json()["properties"]
        left[reference] = properties["sha_m2"] + properties["cha_m2"]
    return left


def _tiles_over(geometry: BaseGeometry, z: int) -> Iterator[tuple[int, int, int]]:
    west, south, east, north = geometry.bounds
    (first_x, first_y), (last_x, last_y) = tile_of(west, north, z), tile_of(east, south, z)
    for x in range(first_x, last_x + 1):
        for y in range(first_y, last_y + 1):
            yield z, y, x


def _tile_land(client: httpx.Client, tmp_path: Path, geometry: BaseGeometry) -> list[dict]:
    """The land features of the vector tiles over ``geometry``, decoded by GDAL."""
    features = []
    for z, y, x in _tiles_over(geometry, TILE_ZOOM):
        tile = client.get(f"/ogc/collections/land/tiles/WebMercatorQuad/{z}/{y}/{x}")
        assert tile.status_code in (200, 204), tile.text
        if tile.status_code == 204:
            continue
        features.extend(decoded(tile, tmp_path, z, y, x))
    return features


def _contaminated_in_tiles(client: httpx.Client, tmp_path: Path, site: Site) -> list[str]:
    return [
        str(f["state"])
        for f in _tile_land(client, tmp_path, site.lon_lat)
        if f["hazard"] == site.reference and f["state"] in ("SHA", "CHA")
    ]


def _assert_closed(client: httpx.Client, tmp_path: Path, sites: list[Site]) -> None:
    references = [s.reference for s in sites]
    left = _left(client, references)
    assert left == dict.fromkeys(references, 0.0), f"m² of SHA and CHA left: {left}"
    totals = client.get("/api/v1/totals").json()
    assert (totals["sha_m2"], totals["cha_m2"], totals["remaining_m2"]) == (0.0, 0.0, 0.0)
    listed = client.get("/api/v1/hazards").json()["features"]
    assert {f["id"]: f["properties"]["remaining_m2"] for f in listed} == left
    assert [f["geometry"] for f in listed] == [None] * len(sites)
    ogc = client.get("/ogc/collections/hazards/items", params={"limit": 1000}).json()
    assert ogc["features"] == []
    for reference in references:
        assert client.get(f"/ogc/collections/hazards/items/{reference}").status_code == 404
    exported = client.get("/api/v1/export/hazards", params={"format": "geojson"}).json()
    assert exported["features"] == []
    year = RELEASED_ON.year
    article_7 = client.get("/api/v1/reports/article-7", params={"year": year}).json()
    assert article_7["areas"] == []
    assert article_7["remaining"]["remaining_m2"] == 0.0
    areas = client.get("/api/v1/reports/article-7/areas", params={"year": year}).json()
    assert areas["features"] == []
    for site in sites:
        assert _contaminated_in_tiles(client, tmp_path, site) == [], site.reference


def _assert_open(client: httpx.Client, tmp_path: Path, sites: list[Site]) -> None:
    """Before the release: every hazard shows in every list (so the checks after it can
    fail)."""
    references = {s.reference for s in sites}
    ogc = client.get("/ogc/collections/hazards/items", params={"limit": 1000}).json()
    assert {f["id"] for f in ogc["features"]} == references
    article_7 = client.get("/api/v1/reports/article-7", params={"year": RELEASED_ON.year - 1})
    assert {a["reference"] for a in article_7.json()["areas"]} == references
    for site in sites:
        assert _contaminated_in_tiles(client, tmp_path, site), site.reference


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("output", list(OUTPUTS))
def test_a_release_drawn_with_the_polygon_an_output_serves_closes_the_hazard(
    client: httpx.Client, tmp_path: Path, output: str, kind: str
) -> None:
    sites = _sites(kind)
    _record(client, tmp_path, sites, kind)
    _assert_open(client, tmp_path, sites)
    references = [s.reference for s in sites]
    polygons = OUTPUTS[output].read(client, tmp_path, references)
    release = Release(client, tmp_path, kind, polygons, OUTPUTS[output])
    release.send()
    _assert_closed(client, tmp_path, sites)
    release.send_again_and_be_refused()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("drawn_from", ["as-recorded", "as-served"])
def test_a_release_drawn_half_a_centimetre_inside_the_edge_closes_the_hazard(
    client: httpx.Client, tmp_path: Path, drawn_from: str, kind: str
) -> None:
    """The team walked the edge 0.5 cm inside it (far less than a GPS can tell)."""
    sites = _sites(kind)
    _record(client, tmp_path, sites, kind)
    references = [s.reference for s in sites]
    if drawn_from == "as-served":
        served = _from_api(client, tmp_path, references)
        utm = {reference: _in_utm(polygon) for reference, polygon in served.items()}
    else:
        utm = {s.reference: s.utm for s in sites}
    inside = {reference: lonlat(polygon.buffer(-0.005)) for reference, polygon in utm.items()}
    for reference, polygon in inside.items():
        # Every vertex of the release lies 5 mm inside the hazard's edge (to 0.1 mm).
        vertices = shapely.points(shapely.get_coordinates(_in_utm(polygon)))
        distances = shapely.distance(vertices, utm[reference].boundary)
        assert np.allclose(distances, 0.005, atol=1e-4), (distances.min(), distances.max())
        assert shapely.contains(utm[reference], vertices).all()
    release = Release(client, tmp_path, kind, inside, Output(_from_api))
    release.send()
    _assert_closed(client, tmp_path, sites)
    release.send_again_and_be_refused()


@pytest.mark.parametrize("kind", KINDS)
def test_a_release_drawn_with_the_polygon_as_recorded_closes_the_hazard(
    client: httpx.Client, tmp_path: Path, kind: str
) -> None:
    """The team's own polygons, sent as they were recorded: the checks above hold."""
    sites = _sites(kind)
    _record(client, tmp_path, sites, kind)
    _assert_open(client, tmp_path, sites)
    as_recorded = {s.reference: s.utm for s in sites}
    release = Release(client, tmp_path, kind, as_recorded, Output(_from_api, crs=UTM48N))
    release.send()
    _assert_closed(client, tmp_path, sites)
    release.send_again_and_be_refused()


def test_the_outputs_cover_every_crs_the_ogc_api_offers(client: httpx.Client, tmp_path) -> None:
    """The projected CRSs tested above are all those offered for data at the site."""
    sites = _sites("clear")
    _record(client, tmp_path, sites, "clear")
    offered = client.get("/ogc/collections/hazards").json()["crs"]
    assert set(offered) == {CRS84, f"{EPSG}4326", *(f"{EPSG}{code}" for code in PROJECTED)}


def test_the_sites_are_realistic_hazards() -> None:
    """Irregular outlines of 20 to 50 vertices, 1 to 10 ha, some with holes."""
    sites = _sites("clear")
    for site in sites:
        polygon = site.utm
        assert polygon.is_valid
        assert 20 <= len(polygon.exterior.coords) - 1 <= 50
        assert 10_000 <= polygon.area <= 100_000
    assert sum(len(s.utm.interiors) for s in sites) == 2
    for i, site in enumerate(sites):
        assert all(site.utm.distance(other.utm) > 100 for other in sites[i + 1 :])
