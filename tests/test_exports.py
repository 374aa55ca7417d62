"""Data out: what we export in each format imports back unchanged."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from sqlalchemy import text

from app.db import owner_engine
from app.geo.polygons import on_grid
from tests.conftest import LEDGER_TABLES
from tests.support.reference import area_m2
from tests.support.shapes import new_event, new_hazard, rect

FORMATS = ["geojson", "gpkg", "shp", "kml", "csv"]
HAZARDS = [
    ("H-1", rect(0, 0, 400, 300), "SHA", "CMR"),
    ("H-2", rect(1000, 0, 1300, 300), "CHA", "AP mine"),
    ("H-3", rect(2000, 0, 2200, 200), "SHA", "CMR"),
]


def _record(client) -> None:
    for reference, geometry, hazard_class, contamination in HAZARDS:
        body = new_hazard(reference, geometry, "2013-05-01", hazard_class, contamination)
        body["properties"].update(region="Xiangkhouang", munitions=["BLU-26", "M42"])
        assert client.post("/api/v1/hazards", json=body).status_code == 201


def _events(client) -> None:
    for reference, geometry, kind, on in [
        ("H-1", rect(0, 0, 150, 300), "cancel", "2014-02-01"),
        ("H-2", rect(1000, 0, 1100, 300), "clear", "2015-03-01"),
    ]:
        body = new_event(geometry, kind, on, operator="NPA", items={"PMN": 3})
        assert client.post(f"/api/v1/hazards/{reference}/events", json=body).status_code == 201


def _download(client, what: str, fmt: str, tmp_path: Path) -> Path:
    response = client.get(f"/api/v1/export/{what}", params={"format": fmt, "as_of": "2020-01-01"})
    assert response.status_code == 200, response.text
    name = response.headers["content-disposition"].split("filename=")[1].strip('"')
    path = tmp_path / name
    path.write_bytes(response.content)
    return path


def _features(path: Path) -> dict[str, tuple[shapely.Geometry, dict]]:
    """Read an exported file back with GDAL: key -> (geometry, properties)."""
    source = f"/vsizip/{path}" if path.suffix == ".zip" else str(path)
    options = {"GEOM_POSSIBLE_NAMES": "WKT"} if path.suffix == ".csv" else {}
    _, _, geometries, fields_data = pyogrio.raw.read(source, **options)
    fields = pyogrio.read_info(source, **options)["fields"]
    result = {}
    for i, geometry in enumerate(geometries):
        properties = {
            str(f).lower(): _value(column[i]) for f, column in zip(fields, fields_data, strict=True)
        }
        key = str(properties.get("reference") or f"{properties['hazard']}/{properties['kind']}")
        result[key] = (shapely.from_wkb(geometry), properties)
    return result


def _value(value):
    """Missing values as None, whatever the format says (NaN, NaT, empty text)."""
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(value)
    if value is None or (isinstance(value, str) and not value):
        return None
    if isinstance(value, float | np.floating) and np.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _clear_ledger() -> None:
    with owner_engine().begin() as conn:
        conn.execute(text(f"TRUNCATE {LEDGER_TABLES.split(', audit_log')[0]} CASCADE"))


def _upload(client, path: Path, target: str):
    # A CSV file does not say its CRS: its WKT is in longitude/latitude, and the import is told.
    form = {"target": target, **({"crs": "EPSG:4326"} if path.suffix == ".csv" else {})}
    with path.open("rb") as f:
        return client.post("/api/v1/imports", files={"file": (path.name, f)}, data=form)


@pytest.mark.parametrize("fmt", FORMATS)
def test_hazards_round_trip(client, tmp_path, fmt) -> None:
    _record(client)
    _events(client)
    first = _download(client, "hazards", fmt, tmp_path)
    exported = _features(first)
    assert set(exported) == {"H-1", "H-2", "H-3"}
    # The remaining land: H-1 lost what was cancelled, H-2 what was cleared.
    assert area_m2(exported["H-1"][0]) == pytest.approx(area_m2(rect(150, 0, 400, 300)), rel=1e-6)
    # On the overlay grid, so that text formats (KML, CSV) keep every coordinate exactly.
    for geometry, _ in exported.values():
        coords = shapely.get_coordinates(geometry)
        assert np.array_equal(on_grid(coords), coords)
    # One piece of land, one polygon: no slivers along the edges the cancellation shared.
    assert [len(shapely.get_parts(g)) for g, _ in exported.values()] == [1, 1, 1]
    assert all(len(shapely.get_parts(g)[0].interiors) == 0 for g, _ in exported.values())
    assert exported["H-2"][1]["haz_class" if fmt == "shp" else "hazard_class"] == "CHA"

    _clear_ledger()
    imported = _upload(client, first, "hazards")
    assert imported.status_code == 201, imported.text
    second_dir = tmp_path / "again"
    second_dir.mkdir()
    again = _features(_download(client, "hazards", fmt, second_dir))
    assert set(again) == set(exported)
    for key, (geometry, properties) in exported.items():
        other_geometry, other_properties = again[key]
        assert shapely.symmetric_difference(geometry, other_geometry).area <= 1e-9 * geometry.area
        for name, value in properties.items():
            if name.endswith("_m2"):
                # Drawn without the micrometre-wide slivers of overlays (about a cm² here).
                assert float(other_properties[name]) == pytest.approx(float(value), rel=1e-8)
            elif name not in ("recorded_class", "rec_class", "fid", "wkt"):
                assert other_properties[name] == value, name


@pytest.mark.parametrize("fmt", FORMATS)
def test_events_round_trip(client, tmp_path, fmt) -> None:
    _record(client)
    _events(client)
    first = _download(client, "events", fmt, tmp_path)
    exported = _features(first)
    assert set(exported) == {"H-1/cancel", "H-2/clear"}
    _clear_ledger()
    _record(client)
    imported = _upload(client, first, "events")
    assert imported.status_code == 201, imported.text
    second_dir = tmp_path / "again"
    second_dir.mkdir()
    again = _features(_download(client, "events", fmt, second_dir))
    for key, (geometry, properties) in exported.items():
        other_geometry, other_properties = again[key]
        assert shapely.symmetric_difference(geometry, other_geometry).area <= 1e-9 * geometry.area
        for name in ("hazard", "kind", "date", "operator", "items"):
            assert other_properties[name] == properties[name], name


def test_shapefile_export_is_a_zip_with_prj_and_short_names(client, tmp_path) -> None:
    _record(client)
    path = _download(client, "hazards", "shp", tmp_path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert {Path(n).suffix for n in names} >= {".shp", ".shx", ".dbf", ".prj"}
    fields = pyogrio.read_info(f"/vsizip/{path}")["fields"]
    assert all(len(f) <= 10 for f in fields)
    assert {"haz_class", "contam", "recorded", "remain_m2"} <= set(fields)


def test_csv_export_carries_wkt_and_figures(client, tmp_path) -> None:
    _record(client)
    path = _download(client, "hazards", "csv", tmp_path)
    header = path.read_text().splitlines()[0]
    assert header.startswith("WKT,") and "remaining_m2" in header
    exported = _features(path)
    assert float(exported["H-3"][1]["remaining_m2"]) == pytest.approx(
        area_m2(rect(2000, 0, 2200, 200)), rel=1e-6
    )


@pytest.mark.parametrize("what", ["hazards", "events"])
def test_exports_filtered_by_contamination_hold_that_contamination_only(
    client, what, tmp_path
) -> None:
    _record(client)
    _events(client)
    params = {"format": "geojson", "as_of": "2020-01-01", "contamination": "AP mine"}
    response = client.get(f"/api/v1/export/{what}", params=params)
    assert response.status_code == 200, response.text
    features = response.json()["features"]
    references = {f["properties"].get("reference") or f["properties"]["hazard"] for f in features}
    assert references == {"H-2"}
    if what == "events":  # H-2's clearance, 100 m by 300 m
        changed = features[0]["properties"]["effective_m2"]
        assert changed == pytest.approx(area_m2(rect(1000, 0, 1100, 300)), rel=1e-6)


def test_exports_keep_dates_as_dates_and_names_for_google_earth(client, tmp_path) -> None:
    _record(client)
    _events(client)
    for fmt, field in (("gpkg", "recorded_on"), ("shp", "recorded")):
        folder = tmp_path / fmt
        folder.mkdir()
        path = _download(client, "hazards", fmt, folder)
        source = f"/vsizip/{path}" if path.suffix == ".zip" else str(path)
        info = pyogrio.read_info(source)
        dtype = dict(zip(info["fields"], info["dtypes"], strict=True))[field]
        assert dtype.startswith("datetime64"), (fmt, dtype)
    gpkg = next((tmp_path / "gpkg").glob("*.gpkg"))
    with sqlite3.connect(gpkg) as db:  # GeoPackage 1.2: read by GDAL 3.6 without warnings
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200
    kml = _download(client, "hazards", "kml", tmp_path).read_text()
    assert all(f"<name>{reference}</name>" in kml for reference, *_ in HAZARDS)
    events = client.get("/api/v1/export/events", params={"format": "geojson"}).json()["features"]
    for event in events:
        properties = event["properties"]
        assert isinstance(properties["event_id"], int)  # an id, not a decimal number
        assert client.get(f"/api/v1/events/{properties['event_id']}").status_code == 200
        # The polygon's part that changed nothing: what it changed within its own outline is
        # its effective area less the land it took in beyond it (the positional tolerance).
        within = properties["effective_m2"] - properties["absorbed_m2"]
        unchanged = properties["requested_m2"] - within
        assert properties["ineffective_m2"] == pytest.approx(max(unchanged, 0.0), abs=1e-9)
        assert properties["effective_m2"] <= properties["requested_m2"] + properties["absorbed_m2"]


def test_exports_need_a_signed_in_caller(call) -> None:
    assert call("anonymous").get("/api/v1/export/hazards").status_code == 401


def test_exported_land_is_drawn_on_the_grid_without_slivers() -> None:
    """Land as PostGIS unions it (vertices off the grid where edges were noded) and with a
    sliver beside it: drawn on the grid, the sliver gone, the land kept."""
    from app.storage.drawing import drawn

    land = shapely.Polygon(
        [(102.0, 19.0), (102.00523402538816, 19.000000000000004), (102.01, 19.0), (102.01, 19.01)]
    )
    sliver = shapely.Polygon([(102.02, 19.0), (102.03, 19.0), (102.03, 19.0 + 1e-11)])
    [row] = drawn([{"reference": "X", "geometry": shapely.MultiPolygon([land, sliver]).wkb}])
    geometry = shapely.from_wkb(row["geometry"])
    coords = shapely.get_coordinates(geometry)
    assert np.array_equal(on_grid(coords), coords) and geometry.is_valid
    assert len(shapely.get_parts(geometry)) == 1
    assert area_m2(geometry) == pytest.approx(area_m2(land), rel=1e-9)
    assert drawn([{"reference": "Y", "geometry": shapely.MultiPolygon([sliver]).wkb}]) == []


def test_an_export_is_named_by_its_dates(client) -> None:
    _record(client)
    params = {"format": "geojson", "as_of": "2020-01-01"}
    plain = client.get("/api/v1/export/hazards", params=params)
    assert 'filename="hazards-2020-01-01.geojson"' in plain.headers["content-disposition"]
    known = client.get("/api/v1/export/hazards", params={**params, "known_at": "2019-06-30"})
    name = 'filename="hazards-2020-01-01-known-2019-06-30.geojson"'
    assert name in known.headers["content-disposition"], known.headers
