"""Real GIS clients against the running service: GDAL (ogrinfo, ogr2ogr) and headless QGIS
read the OGC API – Features collections and the vector tiles. Figures are compared with the
API's and with pyproj Geod areas of what the clients wrote."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Transformer

from tests.support.clients import GIS_CLIENTS, cannot_run
from tests.support.reference import area_m2
from tests.support.shapes import new_event, new_hazard, rect
from tests.support.tiles import tile_of

UTM48N = "http://www.opengis.net/def/crs/EPSG/0/32648"
SYSTEM_PYTHON = "/usr/bin/python3"
QGIS_SCRIPT = Path(__file__).parent / "support" / "qgis_run.py"

# GDAL's tools and headless QGIS are installed by the first of these tests (if need be).
pytestmark = pytest.mark.usefixtures("gis_clients_installed")


def _gdal(tool: str, *arguments: str, token: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing although gdal-bin was installed")
    command = [
        tool,
        "--config", "GDAL_HTTP_AUTH", "BASIC",
        "--config", "GDAL_HTTP_USERPWD", f"analyst:{token}",
        *arguments,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def programme_of_twelve(client) -> list[str]:
    """Twelve hazards, four of them half cleared, one fully cleared: eleven with land left."""
    references = []
    for i in range(12):
        reference = f"LA-T-{i:02d}"
        land = rect(i * 600, 0, i * 600 + 400, 300)
        assert client.post("/api/v1/hazards", json=new_hazard(reference, land)).status_code == 201
        if i % 3 == 0:
            part = land if i == 0 else rect(i * 600, 0, i * 600 + 200, 300)
            event = new_event(part, "clear", "2016-05-01")
            assert client.post(f"/api/v1/hazards/{reference}/events", json=event).status_code == 201
        references.append(reference)
    return references[1:]  # LA-T-00 was cleared completely


def test_ogrinfo_lists_the_collections(server_url, tokens) -> None:
    listing = _gdal("ogrinfo", "-ro", "-q", f"OAPIF:{server_url}/ogc", token=tokens["analyst"])
    for collection in ("hazards", "hazard-records", "events", "land", "regions"):
        assert f": {collection} (" in listing


def test_ogr2ogr_pages_through_hazards_and_keeps_their_areas(
    call, server_url, tokens, tmp_path, programme_of_twelve
) -> None:
    target = tmp_path / "hazards.gpkg"
    _gdal(
        "ogr2ogr", "-f", "GPKG", str(target), f"OAPIF:{server_url}/ogc", "hazards",
        "-oo", "PAGE_SIZE=4",  # three pages at least
        token=tokens["analyst"],
    )  # fmt: skip
    info = pyogrio.read_info(target)
    assert info["features"] == len(programme_of_twelve)
    _, _, wkb, fields = pyogrio.raw.read(target)
    names = list(info["fields"])
    references = fields[names.index("reference")].tolist()
    remaining = fields[names.index("remaining_m2")].astype(float)
    assert sorted(references) == programme_of_twelve
    for geometry, m2 in zip(shapely.from_wkb(wkb), remaining, strict=True):
        assert area_m2(geometry) == pytest.approx(m2, rel=1e-6)
    national = call("analyst").get("/api/v1/totals").json()["remaining_m2"]
    assert float(np.sum(remaining)) == pytest.approx(national, rel=1e-12)


def test_gdal_reads_a_collection_in_a_utm_crs(server_url, tokens, tmp_path, programme_of_twelve):
    in_lon_lat, in_utm = tmp_path / "lonlat.gpkg", tmp_path / "utm.gpkg"
    base = f"OAPIF:{server_url}/ogc/collections/hazards"
    _gdal("ogr2ogr", "-f", "GPKG", str(in_lon_lat), base, "-oo", "PAGE_SIZE=5",
          token=tokens["analyst"])  # fmt: skip
    # GDAL 3.6 does not know Part 2: the crs rides along in the URL, on every page.
    _gdal("ogr2ogr", "-f", "GPKG", str(in_utm), f"{base}?crs={UTM48N}", "-oo", "PAGE_SIZE=5",
          token=tokens["analyst"])  # fmt: skip
    to_utm = Transformer.from_crs(4326, 32648, always_xy=True)
    lon_lat = _by_reference(in_lon_lat)
    utm = _by_reference(in_utm)
    assert sorted(utm) == programme_of_twelve
    for reference, geometry in lon_lat.items():
        projected = shapely.transform(geometry, lambda xy: np.column_stack(to_utm.transform(*xy.T)))
        # The same outline to the millimetre, wherever its rings start.
        assert shapely.hausdorff_distance(utm[reference], projected) < 0.002, reference
        assert utm[reference].area > 10_000  # metres, not degrees


def _by_reference(path: Path) -> dict:
    info = pyogrio.read_info(path)
    _, _, wkb, fields = pyogrio.raw.read(path)
    references = fields[list(info["fields"]).index("reference")].tolist()
    return dict(zip(references, shapely.from_wkb(wkb), strict=True))


def test_ogrinfo_reads_a_vector_tile(call, server_url, tmp_path, programme_of_twelve) -> None:
    lon, lat = rect(600, 0, 1000, 300).centroid.coords[0]
    z = 14
    x, y = tile_of(lon, lat, z)
    tile = call("analyst").get(f"/ogc/collections/land/tiles/WebMercatorQuad/{z}/{y}/{x}")
    assert tile.status_code == 200
    path = tmp_path / "tile.mvt"
    path.write_bytes(tile.content)
    summary = _gdal(
        "ogrinfo", "-ro", "-al", "-so", "-oo", f"X={x}", "-oo", f"Y={y}", "-oo", f"Z={z}",
        f"MVT:{path}", token="unused",
    )  # fmt: skip
    assert "Layer name: land" in summary
    count = int(summary.split("Feature Count: ")[1].split()[0])
    assert count >= 1
    assert "state: String" in summary


def _qgis_available() -> str | None:
    if not os.path.exists(SYSTEM_PYTHON):
        return "no system python3"
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True, text=True, timeout=60
    )
    return None if probe.returncode == 0 else "python3-qgis is not installed here"


def test_qgis_loads_the_hazards_collection(call, server_url, tokens, programme_of_twelve):
    missing = _qgis_available()
    if missing:
        cannot_run(GIS_CLIENTS, f"QGIS cannot run here ({missing})")
    done = subprocess.run(
        [SYSTEM_PYTHON, str(QGIS_SCRIPT), "features", f"{server_url}/ogc", "hazards",
         tokens["analyst"]],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["valid"], seen["messages"]
    assert seen["feature_count"] == len(programme_of_twelve)  # numberMatched
    assert seen["ids"] == programme_of_twelve  # read in pages of three
    features = call("analyst").get("/ogc/collections/hazards/items", params={"limit": 100}).json()
    union = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in features["features"]])
    assert seen["extent"] == pytest.approx(list(union.bounds), abs=1e-6)
