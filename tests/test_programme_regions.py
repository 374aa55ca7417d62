"""Regions belong to the programme: its own boundaries, in any format an import reads, with
its own field names, loaded through the API, the command line and the upload page; the
demo's regions only with the demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.__main__ import main as cli
from tests.conftest import ROOT
from tests.support.files import write_layer, zip_folder
from tests.support.reference import area_m2
from tests.support.shapes import new_hazard, rect
from tests.test_regions import DISTRICTS, PROVINCES, by_code, expected

HAZARD = rect(0, 0, 400, 300)


def _shapefile(folder: Path) -> Path:
    """The regions as a national mapping agency gives them: a zipped shapefile in UTM with
    its own field names."""
    geometries, records = [], []
    for code, geometry in PROVINCES.items():
        geometries.append(geometry)
        records.append({"ADM_PCODE": code, "ADM_EN": f"Province {code}", "ADM_LVL": 1, "UP": ""})
    for code, (parent, geometry) in DISTRICTS.items():
        geometries.append(geometry)
        records.append(
            {"ADM_PCODE": code, "ADM_EN": f"District {code}", "ADM_LVL": 2, "UP": parent}
        )
    shapes = folder / "shapes"
    shapes.mkdir()
    write_layer(shapes / "admin.shp", "ESRI Shapefile", geometries, records, crs="EPSG:32648")
    return zip_folder(shapes, folder / "admin.zip")


MAPPING = {"code": "ADM_PCODE", "name": "ADM_EN", "level": "ADM_LVL", "parent_code": "UP"}


def _upload(client, path: Path, mapping: dict):
    with path.open("rb") as f:
        return client.post(
            "/api/v1/regions",
            files={"file": (path.name, f)},
            data={"mapping": json.dumps(mapping)},
        )


def test_the_authority_loads_its_own_boundaries(call, tmp_path) -> None:
    archive = _shapefile(tmp_path)
    authority = call("authority")
    assert authority.post("/api/v1/hazards", json=new_hazard("H", HAZARD)).status_code == 201
    assert _upload(call("operator"), archive, MAPPING).status_code == 403
    response = _upload(authority, archive, MAPPING)
    assert response.status_code == 200, response.text
    assert response.json()["regions"] == len(PROVINCES) + len(DISTRICTS)
    assert response.json()["levels"] == [1, 2]
    listed = {r["code"]: r for r in call("anonymous").get("/api/v1/regions").json()}
    assert set(listed) == set(PROVINCES) | set(DISTRICTS)
    code, (parent, geometry) = next(iter(DISTRICTS.items()))
    assert listed[code]["parent_code"] == parent and listed[code]["name"] == f"District {code}"
    assert listed[code]["area_m2"] == pytest.approx(area_m2(geometry), rel=1e-4)
    # The land is split along them at once (to half a m²: the boundaries went to UTM and
    # back through the shapefile, moving them by a fraction of a millimetre).
    groups = by_code(
        authority.get(
            "/api/v1/totals",
            params={"group_by": "region", "region_level": 2, "as_of": "2020-01-01"},
        ).json()["groups"]
    )
    for code, (_, geometry) in DISTRICTS.items():
        assert groups[code]["sha_m2"] == pytest.approx(expected(HAZARD, geometry), abs=0.5)


def test_a_mapping_naming_what_is_not_there_is_refused(call, tmp_path) -> None:
    archive = _shapefile(tmp_path)
    authority = call("authority")
    wrong = _upload(authority, archive, {**MAPPING, "name": "ADM_FR"})
    assert wrong.status_code == 422 and wrong.json()["field"] == "mapping"
    assert "ADM_FR" in wrong.json()["detail"]
    unknown = _upload(authority, archive, {"colour": "ADM_EN"})
    assert unknown.status_code == 422 and "colour" in unknown.json()["detail"]
    without = _upload(authority, archive, {})  # no field is called code or name
    assert without.status_code == 422 and without.json()["field"] == "file"
    assert call("anonymous").get("/api/v1/regions").json() == []


def test_the_command_line_maps_fields_too(call, tmp_path) -> None:
    archive = _shapefile(tmp_path)
    shapes = tmp_path / "shapes" / "admin.shp"
    cli(["load-regions", str(shapes), "--mapping", json.dumps(MAPPING)])
    assert len(call("anonymous").get("/api/v1/regions").json()) == len(PROVINCES) + len(DISTRICTS)
    assert archive.exists()


def test_the_demo_s_regions_come_only_with_the_demo() -> None:
    script = (Path(ROOT) / "scripts" / "run.sh").read_text()
    demo_block = script[script.index('if [ "${LOAD_DEMO:-1}" != "0" ]') :]
    demo_block = demo_block[: demo_block.index("\nfi")]
    assert "load-regions geodata/regions/lao-regions.geojson" in demo_block
    assert "-m app load-regions" not in script.replace(demo_block, "")
