"""Maps in QGIS as Debian ships it (python3-qgis 3.22): the served MapLibre style converted
by QGIS's own converter and the served QGIS project, both rendered headless, with the
colours of the rendered pixels checked against the land-release colours (land by state
over the regions' shades), as the web map's test checks MapLibre's."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pyproj import Transformer
from shapely.geometry import shape

from app.ogc.style import (
    CONTAMINATED_OPACITY,
    RELEASED_OPACITY,
    STATE_COLOURS,
    share_classes,
)
from tests.support.clients import GIS_CLIENTS, cannot_run
from tests.support.shapes import new_event, new_hazard, rect

SYSTEM_PYTHON = "/usr/bin/python3"
QGIS = Path(__file__).parent / "support" / "qgis_run.py"
H1 = rect(0, 0, 400, 300)
CLEARED = rect(0, 0, 200, 300)  # the western half of H1
TO_MERCATOR = Transformer.from_crs(4326, 3857, always_xy=True)
SIZE = 512
# Around H1, square (QGIS would widen another shape to the image's).
VIEW = rect(-100, -250, 500, 350)

pytestmark = pytest.mark.usefixtures("gis_clients_installed")


@pytest.fixture
def site(client, tmp_path) -> None:
    """The test regions, H-1 (SHA) recorded in 2012, its western half cleared in 2015."""
    from app.__main__ import main as cli
    from tests.test_regions import regions_file

    cli(["load-regions", str(regions_file(tmp_path))])
    assert (
        client.post("/api/v1/hazards", json=new_hazard("H-1", H1, on="2012-03-01")).status_code
        == 201
    )
    clearance = new_event(CLEARED, "clear", "2015-06-01")
    assert client.post("/api/v1/hazards/H-1/events", json=clearance).status_code == 201


def _qgis(*arguments: str) -> dict:
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True)
    if probe.returncode != 0:
        cannot_run(GIS_CLIENTS, "python3-qgis cannot be imported")
    done = subprocess.run(
        [SYSTEM_PYTHON, str(QGIS), *arguments], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _square_view() -> list[float]:
    west, south, east, north = VIEW.bounds
    x0, y0 = TO_MERCATOR.transform(west, south)
    x1, y1 = TO_MERCATOR.transform(east, north)
    half = max(x1 - x0, y1 - y0) / 2
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return [cx - half, cy - half, cx + half, cy + half]


def _pixel(image: Image.Image, extent: list[float], point) -> tuple[int, int, int]:
    x, y = TO_MERCATOR.transform(point.x, point.y)
    column = (x - extent[0]) / (extent[2] - extent[0]) * SIZE
    row = (extent[3] - y) / (extent[3] - extent[1]) * SIZE
    return image.getpixel((int(column), int(row)))


def _blend(colour: str, opacity: float, under: tuple) -> tuple[float, ...]:
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return tuple(opacity * c + (1 - opacity) * u for c, u in zip(rgb, under, strict=True))


def _close(drawn: tuple, expected: tuple, tolerance: int = 8) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(drawn, expected, strict=True))


def _shade_of(share: float) -> str:
    return next(
        c for low, high, c in share_classes() if share >= low and (high is None or share < high)
    )


def _check_colours(image: Image.Image, extent: list[float], call, region_opacity: float) -> None:
    """SHA and cleared land in their colours over the shade of their region, and the
    region's shade over white where there is no land."""
    regions = call("analyst").get("/ogc/collections/regions/items", params={"limit": 100}).json()
    provinces = [f for f in regions["features"] if f["properties"]["level"] == 1]
    sha, cleared = rect(300, 75, 300, 75).centroid, rect(100, 75, 100, 75).centroid
    under_sha, under_cleared = rect(300, -40, 300, -40).centroid, rect(100, -40, 100, -40).centroid
    for point, under_point, state, opacity in (
        (sha, under_sha, "SHA", CONTAMINATED_OPACITY),
        (cleared, under_cleared, "cleared", RELEASED_OPACITY),
    ):
        province = next(f for f in provinces if shape(f["geometry"]).contains(under_point))
        shade = _shade_of(province["properties"]["remaining_share"])
        under = _pixel(image, extent, under_point)
        assert _close(under, _blend(shade, region_opacity, (255, 255, 255))), (under, shade)
        drawn = _pixel(image, extent, point)
        assert _close(drawn, _blend(STATE_COLOURS[state], opacity, under)), (state, drawn, under)
    assert cleared_is_green(_pixel(image, extent, cleared))


def cleared_is_green(rgb: tuple) -> bool:
    return rgb[1] > rgb[0] and rgb[1] > rgb[2]


def test_qgis_draws_the_served_style_in_the_land_release_colours(
    call, server_url, tokens, site, tmp_path
) -> None:
    png = tmp_path / "tiles.png"
    extent = _square_view()
    seen = _qgis(
        "tiles",
        f"{server_url}/ogc/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}",
        f"{server_url}/ogc/styles/land-release",
        tokens["analyst"],
        *map(str, extent),
        str(png),
    )
    assert seen["valid"] and seen["style_loaded"], seen
    assert {"land-fill", "land-released-fill", "regions-share-0"} <= set(seen["styles"])
    # Zoomed in beyond 11 the regions' shades are drawn at 30 %.
    _check_colours(Image.open(png).convert("RGB"), extent, call, 0.3)


def test_the_served_qgis_project_opens_with_its_layers_styled(
    call, server_url, tokens, site, tmp_path
) -> None:
    download = call("anonymous").get("/ogc/qgis/land-release.qgz")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/vnd.qgis.qgz"
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        qgs = archive.read("land-release.qgs").decode()
    assert f"{server_url}/ogc" in qgs  # it points at the service that served it
    path = tmp_path / "land-release.qgz"
    path.write_bytes(download.content)
    png = tmp_path / "project.png"
    extent = _square_view()
    seen = _qgis("project", str(path), tokens["analyst"], *map(str, extent), str(png))
    assert seen["loaded"], seen
    assert len(seen["layers"]) == 6 and all(seen["layers"].values()), seen["layers"]
    assert seen["visible"] == ["Hazardous areas (remaining)", "Land and regions (vector tiles)"]
    assert seen["renderers"]["Hazardous areas (remaining)"] == "categorizedSymbol"
    assert seen["renderers"]["Regions"] == "RuleRenderer"
    # Every layer reads the service: as many features as the API has.
    counts = seen["feature_counts"]
    analyst = call("analyst")
    for title, collection in (
        ("Hazardous areas (remaining)", "hazards"),
        ("Land by state", "land"),
        ("Regions", "regions"),
        ("Land-release events", "events"),
        ("Hazard records (as surveyed)", "hazard-records"),
    ):
        page = analyst.get(f"/ogc/collections/{collection}/items", params={"limit": 1}).json()
        assert counts[title] == page["numberMatched"] > 0, (title, counts)
    image = Image.open(png).convert("RGB")
    # Visible: the vector tiles, under the hazards' remaining land (SHA at 50 %, again,
    # over the tiles' SHA): the tiles' colours where no hazard is left.
    point, under_point = rect(300, 75, 300, 75).centroid, rect(300, -40, 300, -40).centroid
    under = _pixel(image, extent, under_point)
    sha_once = _blend(STATE_COLOURS["SHA"], CONTAMINATED_OPACITY, under)
    sha_twice = _blend(STATE_COLOURS["SHA"], CONTAMINATED_OPACITY, sha_once)
    assert _close(_pixel(image, extent, point), sha_twice), (
        _pixel(image, extent, point),
        sha_twice,
    )
    cleared = _pixel(image, extent, rect(100, 75, 100, 75).centroid)
    assert cleared_is_green(cleared)


def test_style_files_of_each_collection(call) -> None:
    anonymous = call("anonymous")
    for name in ("land", "hazards", "hazard-records", "events", "regions"):
        qml = anonymous.get(f"/ogc/qgis/styles/{name}.qml")
        assert qml.status_code == 200 and "<renderer-v2" in qml.text, name
        sld = anonymous.get(f"/ogc/qgis/styles/{name}.sld")
        assert sld.status_code == 200 and "StyledLayerDescriptor" in sld.text, name
    land = anonymous.get("/ogc/qgis/styles/land.sld").text
    for colour in STATE_COLOURS.values():
        assert colour.lower() in land.lower()
    assert anonymous.get("/ogc/qgis/styles/secret.qml").status_code == 404
    refused = anonymous.get("/ogc/qgis/land-release.qgz", params={"authcfg": "x'><y"})
    assert refused.status_code == 400 and refused.json()["description"].startswith("authcfg")
