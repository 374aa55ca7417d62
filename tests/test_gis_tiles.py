"""The vector tiles as GDAL 3.6 (Debian's gdal-bin) reads them through its OGCAPI driver.

Debian's build of GDAL 3.6 cannot read OGC API vector tiles at all: the driver's vector
branch is compiled out (its library lacks the string ``vectorType`` that only that branch
holds). The tests prove it with a minimal tileset of another maker, tiles written by GDAL's
own MVT driver behind the documents OGC API – Tiles asks for, which that build cannot open
either; they check that our tile matrix set is one GDAL's parser reads (the pure TMS 2.0
document it cannot read gives "Invalid tiling matrix set name"), that the driver walks our
documents to the tile matrix set without an error, and that `-oo API=ITEMS` reads the
collections. On a build that has the vector branch, they check that our tilesets open.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.shapes import new_hazard, rect

LIBGDAL = Path("/usr/lib/x86_64-linux-gnu")
TILESETS_VECTOR = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
HALF = 20037508.342789244

pytestmark = pytest.mark.usefixtures("gis_clients_installed")


def _builds_vector_tiles() -> bool:
    """Whether this GDAL's OGCAPI driver has its vector-tile branch."""
    libraries = sorted(LIBGDAL.glob("libgdal.so.*"))
    if not libraries:
        pytest.fail("libgdal is missing although gdal-bin was installed")
    return b"vectorType" in libraries[0].read_bytes()


def _run(*command: str, token: str | None = None) -> subprocess.CompletedProcess:
    if shutil.which(command[0]) is None:
        pytest.fail(f"{command[0]} is missing although gdal-bin was installed")
    auth = []
    if token:
        auth = ["--config", "GDAL_HTTP_AUTH", "BASIC", "--config", "GDAL_HTTP_USERPWD",
                f"analyst:{token}"]  # fmt: skip
    return subprocess.run(
        [command[0], *auth, *command[1:]], capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def site(client) -> None:
    for i in range(3):
        body = new_hazard(f"T-{i}", rect(i * 600, 0, i * 600 + 400, 300))
        assert client.post("/api/v1/hazards", json=body).status_code == 201


def test_gdal_reads_our_tile_matrix_set(call, tmp_path) -> None:
    """GDAL's TMS parser (the one its OGCAPI driver uses) reads the document we serve: a
    COG tiled on it is written."""
    document = call("anonymous").get("/ogc/tileMatrixSets/WebMercatorQuad").text
    raster = tmp_path / "tiny.tif"
    made = _run("gdal_create", "-of", "GTiff", "-outsize", "16", "16", "-a_srs", "EPSG:4326",
                "-a_ullr", "100", "20", "101", "19", str(raster))  # fmt: skip
    assert made.returncode == 0, made.stderr
    cog = tmp_path / "tiled.tif"
    done = _run("gdal_translate", "-q", "-of", "COG", "-co", f"TILING_SCHEME={document}",
                str(raster), str(cog))  # fmt: skip
    assert done.returncode == 0 and cog.exists(), done.stderr
    assert "Invalid tiling matrix set" not in done.stderr
    # The same document without its TMS 1.0 members is what GDAL 3.6 cannot read.
    pure = json.loads(document)
    for name in ("identifier", "boundingBox", "supportedCRS"):
        del pure[name]
    for matrix in pure["tileMatrices"]:
        del matrix["identifier"], matrix["topLeftCorner"]
    scheme = f"TILING_SCHEME={json.dumps(pure)}"
    refused = _run("gdal_translate", "-q", "-of", "COG", "-co", scheme, str(raster),
                   str(tmp_path / "no.tif"))  # fmt: skip
    assert "Invalid tiling matrix set name" in refused.stderr


class _Tileset(BaseHTTPRequestHandler):
    """A static OGC API tileset: documents and tiles from a folder, as JSON and MVT."""

    def __init__(self, *args, folder: Path, **kwargs) -> None:
        self.folder = folder
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        path = self.folder / self.path.split("?")[0].strip("/")
        document = path.with_suffix(".json")
        if document.is_file():
            body, kind = document.read_bytes(), "application/json"
        elif path.is_file():
            body, kind = path.read_bytes(), "application/vnd.mapbox-vector-tile"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def _third_party_tileset(folder: Path) -> str:
    """Tiles written by GDAL's MVT driver (zooms 0 to 2) behind the smallest set of
    documents OGC API – Tiles asks for; the URL of its collection."""
    points = folder / "points.geojson"
    triangle = [[[100, 10], [110, 10], [110, 20], [100, 10]]]
    points.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "a"},
         "geometry": {"type": "Polygon", "coordinates": triangle}}
    ]}))  # fmt: skip
    tiles = folder / "collections" / "demo" / "tiles" / "WebMercatorQuad"
    tiles.mkdir(parents=True)
    written = _run("ogr2ogr", "-f", "MVT", str(tiles / "xyz"), str(points), "-nln", "demo",
                   "-dsco", "MAXZOOM=2", "-dsco", "COMPRESS=NO")  # fmt: skip
    assert written.returncode == 0, written.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Tileset, folder=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    demo = f"{base}/collections/demo"
    tiles_url = f"{demo}/tiles/WebMercatorQuad"
    matrices = [
        {"identifier": str(z), "scaleDenominator": 559082264.028717 / 2**z,
         "topLeftCorner": [-HALF, HALF], "tileWidth": 256, "tileHeight": 256,
         "matrixWidth": 2**z, "matrixHeight": 2**z}
        for z in range(3)
    ]  # fmt: skip
    documents = {
        "collections/demo": {
            "id": "demo", "extent": {"spatial": {"bbox": [[100, 10, 110, 20]]}},
            "links": [{"rel": TILESETS_VECTOR, "type": "application/json",
                       "href": f"{demo}/tiles"}],
        },
        "collections/demo/tiles": {"tilesets": [{
            "dataType": "vector",
            "tileMatrixSetURI": "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad",
            "links": [{"rel": "self", "type": "application/json",
                       "href": f"{demo}/tiles/WebMercatorQuad"}],
        }]},
        "collections/demo/tiles/WebMercatorQuad": {"links": [
            {"rel": TILING_SCHEME, "type": "application/json", "href": f"{base}/tms"},
            {"rel": "item", "type": "application/vnd.mapbox-vector-tile",
             "href": f"{tiles_url}/xyz/{{tileMatrix}}/{{tileCol}}/{{tileRow}}.pbf"},
        ]},
        "tms": {
            "type": "TileMatrixSetType", "identifier": "WebMercatorQuad",
            "supportedCRS": "http://www.opengis.net/def/crs/EPSG/0/3857",
            "boundingBox": {"type": "BoundingBoxType", "crs": "http://www.opengis.net/def/crs/EPSG/0/3857",
                            "lowerCorner": [-HALF, -HALF], "upperCorner": [HALF, HALF]},
            "tileMatrix": matrices,
        },
    }  # fmt: skip
    for name, document in documents.items():
        (folder / f"{name}.json").parent.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.json").write_text(json.dumps(document))
    return demo


def test_gdal_ogcapi_driver_and_our_tilesets(server_url, tokens, site, tmp_path) -> None:
    token = tokens["analyst"]
    for collection in ("land", "hazards", "regions"):
        opened = _run("ogrinfo", "--debug", "on", "-ro", "-so",
                      f"OGCAPI:{server_url}/ogc/collections/{collection}", token=token)  # fmt: skip
        # The driver reads our collection, tilesets, tileset and tile matrix set in turn,
        # and none of them is refused.
        assert "Destination buffer too small" not in opened.stderr, collection
        assert "Invalid tiling matrix set" not in opened.stderr, collection
        assert "Cannot find" not in opened.stderr and "missing in tile URL" not in opened.stderr
        if _builds_vector_tiles():
            assert opened.returncode == 0 and "Zoom level" in opened.stdout, opened.stderr
        else:
            assert opened.returncode != 0
        items = _run("ogrinfo", "-ro", "-al", "-so", "-oo", "API=ITEMS",
                     f"OGCAPI:{server_url}/ogc/collections/{collection}", token=token)  # fmt: skip
        assert items.returncode == 0 and "Feature Count" in items.stdout, items.stderr
    if not _builds_vector_tiles():
        # Another maker's minimal tileset fails the same way: the build, not our documents.
        third_party = _third_party_tileset(tmp_path)
        theirs = _run("ogrinfo", "-ro", "-so", f"OGCAPI:{third_party}")
        assert theirs.returncode != 0 and "Unable to open" in theirs.stderr + theirs.stdout
        # ...whereas its tiles themselves are readable MVT.
        first = tmp_path / "collections/demo/tiles/WebMercatorQuad/xyz/0/0/0.pbf"
        tile = _run("ogrinfo", "-ro", "-so", "-al", f"MVT:{first}")
        assert tile.returncode == 0 and "Feature Count: 1" in tile.stdout, tile.stderr
