"""Field files in: every format, several coordinate systems, mappings, dry runs, reports, and
every bad file refused with a clear error and nothing changed."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Transformer
from sqlalchemy import text

from app.db import engine, owner_engine
from app.services.workspace import base_folder
from tests.conftest import ROOT
from tests.support.files import write_kml_folders, write_layer, zip_folder
from tests.support.reference import area_m2
from tests.support.shapes import rect

POLYGONS = [rect(0, 0, 300, 200), rect(1000, 0, 1200, 250), rect(2000, 0, 2100, 100)]
RECORDS = [
    {
        "reference": f"F-{i}",
        "hazard_class": "SHA" if i else "cha",
        "contamination": "CMR",
        "recorded_on": "2015-03-0" + str(i + 1),
        "munitions": "BLU-26, M42",
    }
    for i in range(3)
]


def _snapshot() -> tuple:
    with engine().connect() as conn:
        return conn.execute(
            text(
                "SELECT (SELECT count(*) FROM hazards), (SELECT count(*) FROM events), "
                "(SELECT count(*) FROM land_state WHERE known_until IS NULL), "
                "(SELECT coalesce(sum(area_m2), 0) FROM land_state WHERE known_until IS NULL)"
            )
        ).one()


def _leftovers() -> set[str]:
    return {p.name for p in base_folder().rglob("landrelease-*")}


def _upload(client, path: Path, name: str | None = None, **form):
    with path.open("rb") as f:
        return client.post(
            "/api/v1/imports",
            files={"file": (name or path.name, f)},
            data={k: (json.dumps(v) if isinstance(v, dict) else str(v)) for k, v in form.items()},
        )


def _shapefile_zip(tmp_path: Path, crs: str = "EPSG:32648", inside: str = "", skip=()) -> Path:
    folder = tmp_path / "shp"
    folder.mkdir()
    write_layer(folder / "hazards.shp", "ESRI Shapefile", POLYGONS, RECORDS, crs=crs)
    return zip_folder(folder, tmp_path / "hazards.zip", inside=inside, skip=skip)


FORMATS = [
    ("zipped shapefile in UTM 48N", "shapefile", "EPSG:32648"),
    ("zipped shapefile in a sub-folder, Indian 1975 / UTM 48N", "shapefile-sub", "EPSG:24048"),
    ("GeoJSON", "geojson", "EPSG:4326"),
    ("GeoJSON with the old crs member, UTM 48N", "geojson", "EPSG:32648"),
    ("GeoPackage in Web Mercator", "gpkg", "EPSG:3857"),
    ("KML", "kml", "EPSG:4326"),
    ("KMZ", "kmz", "EPSG:4326"),
    ("FlatGeobuf in UTM 48N", "fgb", "EPSG:32648"),
]


def _file(tmp_path: Path, kind: str, crs: str) -> Path:
    if kind == "shapefile":
        return _shapefile_zip(tmp_path, crs)
    if kind == "shapefile-sub":
        return _shapefile_zip(tmp_path, crs, inside="survey/2015/")
    if kind == "kmz":
        kml = write_layer(tmp_path / "doc.kml", "KML", POLYGONS, RECORDS)
        with zipfile.ZipFile(tmp_path / "hazards.kmz", "w") as archive:
            archive.write(kml, "doc.kml")
        return tmp_path / "hazards.kmz"
    driver, suffix = {
        "geojson": ("GeoJSON", ".geojson"),
        "gpkg": ("GPKG", ".gpkg"),
        "kml": ("KML", ".kml"),
        "fgb": ("FlatGeobuf", ".fgb"),
    }[kind]
    return write_layer(tmp_path / f"hazards{suffix}", driver, POLYGONS, RECORDS, crs=crs)


@pytest.mark.parametrize(("kind", "crs"), [f[1:] for f in FORMATS], ids=[f[0] for f in FORMATS])
def test_every_format_imports_with_exact_areas(client, tmp_path, kind, crs) -> None:
    response = _upload(client, _file(tmp_path, kind, crs), target="hazards")
    assert response.status_code == 201, response.text
    report = response.json()
    assert (report["features_read"], report["accepted"], report["rejected"]) == (3, 3, 0)
    assert len(report["sha256"]) == 64 and report["size_bytes"] > 0
    # FlatGeobuf keeps features in the order of its spatial index: match them by reference.
    for accepted in report["accepted_features"]:
        polygon = POLYGONS[int(accepted["reference"].removeprefix("F-"))]
        assert accepted["requested_m2"] == pytest.approx(area_m2(polygon), rel=1e-6)
    totals = client.get("/api/v1/totals").json()
    assert totals["sha_m2"] + totals["cha_m2"] == pytest.approx(
        sum(area_m2(p) for p in POLYGONS), rel=1e-6
    )
    assert totals["cha_m2"] == pytest.approx(area_m2(POLYGONS[0]), rel=1e-6)  # "cha" is CHA
    hazard = client.get("/api/v1/hazards/F-1").json()["properties"]
    assert hazard["munitions"] == ["BLU-26", "M42"]
    listed = client.get("/api/v1/imports").json()["imports"]
    assert listed[0]["id"] == report["id"] and listed[0]["status"] == "applied"
    assert client.get(f"/api/v1/imports/{report['id']}").json()["accepted"] == 3


@pytest.mark.parametrize("cpg", [None, "8859_1", "ANSI 1252", "1252", "UTF-8"])
def test_shapefile_text_in_the_encodings_desktop_gis_write(client, tmp_path, cpg) -> None:
    """A table in Windows-1252 with the .cpg ArcGIS writes, none at all, or one that wrongly
    says UTF-8: the accents come through."""
    folder = tmp_path / "shp"
    folder.mkdir()
    notes = "Près du village Phônsavan, côté école"
    records = [{**r, "notes": notes} for r in RECORDS]
    write_layer(folder / "hz.shp", "ESRI Shapefile", POLYGONS, records, encoding="cp1252")
    for declared in folder.glob("*.cpg"):
        declared.unlink()
    if cpg is not None:
        (folder / "hz.cpg").write_text(cpg)
    response = _upload(client, zip_folder(folder, tmp_path / "hz.zip"), target="hazards")
    assert response.status_code == 201, response.text
    assert client.get("/api/v1/hazards/F-1").json()["properties"]["notes"] == notes


def _zip_as(tmp_path: Path, how: str) -> Path:
    """Zips as other computers make them."""
    target = tmp_path / f"{how}.zip"
    if how == "geojson alone":
        inner = write_layer(tmp_path / "survey.geojson", "GeoJSON", POLYGONS, RECORDS)
        with zipfile.ZipFile(target, "w") as archive:
            archive.write(inner, "survey.geojson")
        return target
    folder = tmp_path / "shp"
    folder.mkdir()
    write_layer(folder / "hazards.shp", "ESRI Shapefile", POLYGONS, RECORDS, crs="EPSG:32648")
    with zipfile.ZipFile(target, "w") as archive:
        for file in sorted(folder.iterdir()):
            if how == "windows backslashes":
                archive.write(file, f"Survey\\2015\\{file.name}")
            else:  # macOS Finder: resource forks beside every file
                archive.write(file, f"Hazards/{file.name}")
                archive.writestr(f"__MACOSX/Hazards/._{file.name}", b"\x00\x05\x16\x07")
        if how == "macos finder":
            archive.writestr("Hazards/.DS_Store", b"\x00\x00\x00\x01Bud1")
    return target


@pytest.mark.parametrize("how", ["windows backslashes", "macos finder", "geojson alone"])
def test_zips_as_other_computers_make_them(client, tmp_path, how) -> None:
    archive = _zip_as(tmp_path, how)
    with archive.open("rb") as f:
        inspected = client.post("/api/v1/imports/inspect", files={"file": (archive.name, f)})
    assert inspected.status_code == 200, inspected.text
    assert inspected.json()["features"] == 3
    response = _upload(client, archive, target="hazards", dry_run="true")
    assert response.status_code == 200, response.text
    assert (response.json()["accepted"], response.json()["rejected"]) == (3, 0)


def test_a_refused_feature_is_named_by_its_geopackage_fid(client, tmp_path) -> None:
    """After deletions in a GeoPackage, a feature's fid is not its place in the file: the
    report gives both."""
    path = write_layer(tmp_path / "survey.gpkg", "GPKG", POLYGONS, RECORDS, layer="areas")
    with _edited(path) as db:
        db.execute("DELETE FROM areas WHERE fid = 1")
        db.execute("UPDATE areas SET hazard_class = 'XHA' WHERE fid = 3")
    report = _upload(client, path, target="hazards", dry_run="true").json()
    [problem] = report["problems"]
    assert (problem["index"], problem["fid"], problem["reference"]) == (1, 3, "F-2")


def test_a_date_that_is_not_a_day_is_named_so(client, tmp_path) -> None:
    records = [
        {**RECORDS[0], "recorded_on": "2015-02-30"},
        {**RECORDS[1], "recorded_on": "2015-03-01 to 2015-04-30"},
        {**RECORDS[2], "recorded_on": "2015-03-01T23:30:00-05:00"},
    ]
    path = write_layer(tmp_path / "dates.geojson", "GeoJSON", POLYGONS, records)
    report = _upload(client, path, target="hazards", dry_run="true").json()
    first, second = report["problems"]
    assert (first["field"], second["field"]) == ("recorded_on", "recorded_on")
    assert "'2015-02-30' is not a day of the calendar" in first["message"]
    assert "'2015-03-01 to 2015-04-30' is not a date" in second["message"]
    assert [f["reference"] for f in report["accepted_features"]] == ["F-2"]


def _curved(centre: tuple[float, float], radius: float) -> bytes:
    """ISO WKB of a disc as a CurvePolygon: one circular arc round, as ArcGIS keeps a
    buffer (Shapely cannot write curves)."""
    x, y = centre
    ring = struct.pack("<BII6d", 1, 8, 3, x - radius, y, x + radius, y, x - radius, y)
    return struct.pack("<BII", 1, 10, 1) + ring


def test_curved_polygons_are_read_as_straight_segments(client, tmp_path) -> None:
    """A GeoPackage and a CSV holding a CurvePolygon in UTM 48N: the disc's area is the one
    of a finely drawn circle, whichever the format."""
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)
    centre = to_utm.transform(102.62, 19.43)
    to_lonlat = Transformer.from_crs("EPSG:32648", "EPSG:4326", always_xy=True)
    disc = shapely.Point(centre).buffer(150, quad_segs=1024)
    expected = area_m2(
        shapely.transform(disc, lambda xy: np.column_stack(to_lonlat.transform(*xy.T)))
    )
    path = write_layer(
        tmp_path / "curved.gpkg", "GPKG", POLYGONS[:1], RECORDS[:1], crs="EPSG:32648", layer="hz"
    )
    header = b"GP\x00\x01" + struct.pack("<i", 32648)  # no envelope, little-endian
    with _edited(path) as db:
        db.execute("UPDATE hz SET geom = ?", (header + _curved(centre, 150),))
    csv = tmp_path / "curved.csv"
    (x, y), r = centre, 150
    wkt = f"CURVEPOLYGON(CIRCULARSTRING({x - r} {y},{x + r} {y},{x - r} {y}))"
    csv.write_text(
        f'WKT,reference,hazard_class,contamination,recorded_on\n"{wkt}",F-0,SHA,CMR,2015-03-01\n'
    )
    for upload, form in ((path, {}), (csv, {"crs": "EPSG:32648"})):
        report = _upload(client, upload, target="hazards", dry_run="true", **form).json()
        assert report["accepted"] == 1, report
        assert report["requested_m2"] == pytest.approx(expected, rel=1e-4)


def test_whole_numbers_in_decimal_fields_are_references(client, tmp_path) -> None:
    """Shapefiles often keep references as numbers in decimal fields: 1001.0 is 1001."""
    records = [{**r, "reference": 1001.0 + i} for i, r in enumerate(RECORDS)]
    folder = tmp_path / "shp"
    folder.mkdir()
    write_layer(folder / "hz.shp", "ESRI Shapefile", POLYGONS, records, crs="EPSG:32648")
    report = _upload(client, zip_folder(folder, tmp_path / "hz.zip"), target="hazards").json()
    assert [f["reference"] for f in report["accepted_features"]] == ["1001", "1002", "1003"]
    assert client.get("/api/v1/hazards/1002").status_code == 200


@contextmanager
def _edited(geopackage: Path) -> Iterator[sqlite3.Connection]:
    """A GeoPackage open in SQLite to be edited as other software would. Its spatial index's
    triggers need SpatiaLite: they are dropped, the index is left as it was."""
    with sqlite3.connect(geopackage) as db:
        triggers = db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for (trigger,) in triggers:
            db.execute(f'DROP TRIGGER "{trigger}"')
        yield db


def _dates_in_shapefile(tmp_path: Path) -> Path:
    """A DBF Date field as other software writes it: no day, text, and a day."""
    records = [{**r, "recorded_on": date(2000, 1, 1 + i)} for i, r in enumerate(RECORDS)]
    folder = tmp_path / "shp"
    folder.mkdir()
    write_layer(folder / "dates.shp", "ESRI Shapefile", POLYGONS, records, crs="EPSG:32648")
    table = (folder / "dates.dbf").read_bytes()
    for i, value in enumerate(["20150230", "30/02/15", "20150304"]):
        table = table.replace(f"2000010{i + 1}".encode(), value.encode())
    (folder / "dates.dbf").write_bytes(table)
    return zip_folder(folder, tmp_path / "dates.zip")


def _dates_in_geopackage(tmp_path: Path) -> Path:
    """A date-time column holding no day, text, and a time at +07:00 (before 07:00, so in
    UTC the day before)."""
    records = [{**r, "recorded_on": datetime(2000, 1, 1 + i)} for i, r in enumerate(RECORDS)]
    path = write_layer(tmp_path / "dates.gpkg", "GPKG", POLYGONS, records, layer="dates")
    written = ["2015-02-30T10:00:00", "30/02/15", "2015-03-04T01:30:00+07:00"]
    with _edited(path) as db:
        for fid, value in enumerate(written, start=1):
            db.execute("UPDATE dates SET recorded_on = ? WHERE fid = ?", (value, fid))
    return path


def _dates_in_geojson_sequence(tmp_path: Path) -> Path:
    records = [
        {**r, "recorded_on": value}
        for r, value in zip(RECORDS, ["2015-02-30", "30/02/15", "2015-03-04"], strict=True)
    ]
    return write_layer(tmp_path / "dates.geojsonl", "GeoJSONSeq", POLYGONS, records)


@pytest.mark.parametrize(
    "written", [_dates_in_shapefile, _dates_in_geopackage, _dates_in_geojson_sequence]
)
def test_date_fields_are_read_as_written(client, tmp_path, written) -> None:
    """GDAL shifts an impossible date to another day, reads text in a date field as
    1970-01-01 and a GeoPackage's date-time as its day in UTC: none may reach the ledger as
    a day nobody wrote."""
    path = written(tmp_path)
    report = _upload(client, path, target="hazards", dry_run="true").json()
    problems = {p["index"]: p for p in report["problems"]}
    assert sorted(problems) == [0, 1] and {p["field"] for p in problems.values()} == {"recorded_on"}
    assert "'2015-02-30" in problems[0]["message"]
    assert "is not a day of the calendar" in problems[0]["message"]
    assert "'30/02/15' is not a date" in problems[1]["message"]
    [accepted] = report["accepted_features"]
    assert accepted["reference"] == "F-2"
    imported = _upload(client, path, target="hazards", on_error="skip")
    assert imported.status_code == 201, imported.text
    hazard = client.get("/api/v1/hazards/F-2").json()
    assert hazard["properties"]["recorded_on"] == "2015-03-04"


def test_a_google_earth_document_is_read_folder_after_folder(client, tmp_path) -> None:
    villages = ["Village_A", "Village_B", "Village_C"]
    path = write_kml_folders(
        tmp_path / "survey.kml",
        {village: ([POLYGONS[i]], [RECORDS[i]]) for i, village in enumerate(villages)},
    )
    assert len(pyogrio.list_layers(path)) == 3
    report = _upload(client, path, target="hazards", dry_run="true").json()
    assert (report["accepted"], report["rejected"], report["features_read"]) == (3, 0, 3)
    assert [f["reference"] for f in report["accepted_features"]] == ["F-0", "F-1", "F-2"]


def test_inspecting_a_file_of_several_layers_lists_them(client, tmp_path) -> None:
    path = tmp_path / "survey.gpkg"
    write_layer(path, "GPKG", POLYGONS, RECORDS, layer="hazard_areas")
    write_layer(path, "GPKG", POLYGONS[:1], RECORDS[:1], layer="old_areas")

    def inspect(**form):
        with path.open("rb") as f:
            return client.post("/api/v1/imports/inspect", files={"file": (path.name, f)}, data=form)

    listing = inspect()
    assert listing.status_code == 200, listing.text
    assert listing.json()["layer"] is None
    assert set(listing.json()["layers"]) == {"hazard_areas", "old_areas"}
    chosen = inspect(layer="hazard_areas").json()
    assert (chosen["layer"], chosen["features"]) == ("hazard_areas", 3)
    assert "reference" in chosen["fields"]


def test_mapping_dry_run_and_the_same_file_twice(client, tmp_path) -> None:
    records = [
        {
            "haz_id": r["reference"],
            "kind": r["hazard_class"],
            "type": "CMR",
            "recorded": r["recorded_on"],
        }
        for r in RECORDS
    ]
    path = write_layer(tmp_path / "own.gpkg", "GPKG", POLYGONS, records, crs="EPSG:32648")
    unmapped = _upload(client, path, target="hazards")
    assert unmapped.status_code == 422 and unmapped.json()["field"] == "mapping"
    mapping = {
        "reference": "haz_id",
        "hazard_class": "kind",
        "contamination": "type",
        "recorded_on": "recorded",
    }
    before = _snapshot()
    dry = _upload(client, path, target="hazards", mapping=mapping, dry_run="true")
    assert dry.status_code == 200, dry.text
    assert dry.json()["status"] == "dry run" and dry.json()["accepted"] == 3
    assert dry.json()["accepted_features"][1]["effective_m2"] == pytest.approx(
        area_m2(POLYGONS[1]), rel=1e-6
    )
    assert _snapshot() == before
    applied = _upload(client, path, target="hazards", mapping=mapping)
    assert applied.status_code == 201
    again = _upload(client, path, target="hazards", mapping=mapping)
    assert again.status_code == 409 and "imported already" in again.json()["detail"]
    # The same hazards in another file: recognised by their references.
    copy = write_layer(tmp_path / "copy.geojson", "GeoJSON", POLYGONS, records)
    duplicate = _upload(client, copy, target="hazards", mapping=mapping)
    assert duplicate.status_code == 422
    assert {p["field"] for p in duplicate.json()["problems"]} == {"reference"}


def test_bad_features_are_reported_one_by_one(client, tmp_path) -> None:
    bowtie = rect(0, 0, 100, 100).exterior.coords
    from shapely.geometry import Polygon

    bad = Polygon([bowtie[0], bowtie[2], bowtie[1], bowtie[3]])
    geometries = [*POLYGONS, bad, rect(3000, 0, 3100, 100), rect(4000, 0, 4100, 100)]
    records = [
        *RECORDS,
        {**RECORDS[0], "reference": "BAD-GEOM"},
        {**RECORDS[0], "reference": "F-0"},
        {**RECORDS[0], "reference": "BAD-CLASS", "hazard_class": "XHA"},
    ]
    path = write_layer(
        tmp_path / "mixed.geojson", "GeoJSON", geometries, records, geometry_type="Unknown"
    )
    before, leftovers = _snapshot(), _leftovers()
    rejected = _upload(client, path, target="hazards")
    assert rejected.status_code == 422
    report = rejected.json()
    assert report["status"] == "rejected" and report["accepted"] == 3 and report["rejected"] == 3
    problems = {p["reference"]: p for p in report["problems"]}
    assert problems["BAD-GEOM"]["field"] == "geometry"
    assert "crosses itself at lon" in problems["BAD-GEOM"]["message"]
    assert problems["F-0"]["field"] == "reference" and "twice" in problems["F-0"]["message"]
    assert problems["F-0"]["index"] == 4
    assert "XHA" in problems["BAD-CLASS"]["message"]
    assert _snapshot() == before and _leftovers() == leftovers
    skipped = _upload(client, path, target="hazards", on_error="skip")
    assert skipped.status_code == 201 and skipped.json()["accepted"] == 3
    assert client.get("/api/v1/hazards").json()["numberMatched"] == 3
    # Skipping the bad features of a file that has only bad ones imports nothing: refused.
    again = write_layer(tmp_path / "again.geojson", "GeoJSON", POLYGONS[:2], RECORDS[:2])
    before = _snapshot()
    nothing = _upload(client, again, target="hazards", on_error="skip")
    assert nothing.status_code == 422
    assert (nothing.json()["status"], nothing.json()["accepted"]) == ("rejected", 0)
    assert "nothing was imported" in nothing.json()["detail"]
    assert _snapshot() == before


def test_unclosed_rings_and_pins_are_named_for_what_they_are(client, tmp_path) -> None:
    """Hand-written GeoJSON as a handheld may send it: a ring whose last point is not its
    first, and a pin without attributes."""
    ring = [list(xy) for xy in POLYGONS[0].exterior.coords][:-1]  # not closed
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": RECORDS[0],
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": ring[0]},
            "properties": {},
        },
    ]
    path = tmp_path / "handheld.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    report = _upload(client, path, target="hazards", dry_run="true").json()
    problems = {p["index"]: p for p in report["problems"]}
    assert problems[0]["field"] == "geometry" and "not closed" in problems[0]["message"]
    assert problems[1]["field"] == "geometry" and "Point is not an area" in problems[1]["message"]
    repaired = _upload(client, path, target="hazards", dry_run="true", repair="true").json()
    assert repaired["accepted"] == 1
    closed = repaired["accepted_features"][0]["requested_m2"]
    assert closed == pytest.approx(area_m2(POLYGONS[0]), rel=1e-6)


def test_events_import_against_hazards(client, tmp_path) -> None:
    _upload(client, _file(tmp_path, "geojson", "EPSG:4326"), target="hazards")
    events = [
        rect(0, 0, 100, 200),
        rect(1000, 0, 1200, 250),
        rect(2050, 0, 2400, 100),
        rect(0, 0, 50, 50),
    ]
    records = [
        {"hazard": "F-0", "kind": "clear", "date": "2016-01-10", "items": "BLU-26: 4; M42: 1"},
        {"hazard": "F-1", "kind": "cancel", "date": "2016-02-01", "items": None},
        {"hazard": "F-2", "kind": "reduce", "date": "2016-02-01", "items": None},
        {"hazard": "NOPE", "kind": "clear", "date": "2016-02-01", "items": None},
    ]
    write_layer(tmp_path / "clearance.shp", "ESRI Shapefile", events, records, crs="EPSG:32648")
    archive = zip_folder(tmp_path, tmp_path / "clearance.zip")
    dry = _upload(client, archive, target="events", on_error="skip", dry_run="true").json()
    assert dry["accepted"] and all("event_id" not in f for f in dry["accepted_features"])
    response = _upload(client, archive, target="events", on_error="skip")
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["accepted"] == dry["accepted"]
    for feature in report["accepted_features"]:
        assert client.get(f"/api/v1/events/{feature['event_id']}").status_code == 200
    problems = {p["index"]: p for p in report["problems"]}
    assert "lies outside hazard F-2" in problems[2]["message"]
    assert problems[3]["field"] == "hazard" and "NOPE" in problems[3]["message"]
    cleared = report["accepted_features"][0]
    assert cleared["effective_m2"] == pytest.approx(area_m2(events[0]), rel=1e-6)
    timeline = client.get("/api/v1/hazards/F-0/events").json()["features"]
    assert timeline[0]["properties"]["items"] == {"BLU-26": 4, "M42": 1}


def _bad_zip(tmp_path: Path, kind: str) -> Path:
    target = tmp_path / "bad.zip"
    if kind == "no shp":
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("readme.txt", "nothing here")
    elif kind == "no dbf":
        _shapefile_zip(tmp_path, skip=(".dbf",))
        return tmp_path / "hazards.zip"
    elif kind == "no prj":
        _shapefile_zip(tmp_path, skip=(".prj",))
        return tmp_path / "hazards.zip"
    elif kind == "path traversal":
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("../../evil.shp", "x")
    elif kind == "corrupt":
        target.write_bytes(b"PK\x03\x04 this is not really a zip")
    return target


BAD_FILES = [
    # name, how to make it, name sent, form, field, message fragment, status
    ("zip without .shp", lambda p: _bad_zip(p, "no shp"), None, {}, "file", "no shapefile", 422),
    (
        "shapefile without .dbf",
        lambda p: _bad_zip(p, "no dbf"),
        None,
        {},
        "file",
        "without its .dbf",
        422,
    ),
    (
        "shapefile without .prj",
        lambda p: _bad_zip(p, "no prj"),
        None,
        {},
        "crs",
        "never guessed",
        422,
    ),
    (
        "member with ..",
        lambda p: _bad_zip(p, "path traversal"),
        None,
        {},
        "file",
        "unsafe path",
        422,
    ),
    ("corrupt zip", lambda p: _bad_zip(p, "corrupt"), None, {}, "file", "corrupt", 422),
    (
        "not what its extension says",
        lambda p: write_layer(p / "x.geojson", "GeoJSON", POLYGONS, RECORDS),
        "hazards.gpkg",
        {},
        "file",
        "not what its extension says",
        422,
    ),
    (
        "unknown content",
        lambda p: (p / "notes.txt").write_text("hello") and p / "notes.txt",
        None,
        {},
        "file",
        "not a file this system reads",
        422,
    ),
    (
        "empty layer",
        lambda p: write_layer(p / "empty.gpkg", "GPKG", [], []),
        None,
        {},
        "layer",
        "is empty",
        422,
    ),
    (
        "points",
        lambda p: write_layer(
            p / "pts.gpkg",
            "GPKG",
            [shape.centroid for shape in POLYGONS],
            RECORDS,
            geometry_type="Point",
        ),
        None,
        {},
        "layer",
        "not polygons",
        422,
    ),
    (
        "unknown layer",
        lambda p: write_layer(p / "x.gpkg", "GPKG", POLYGONS, RECORDS),
        None,
        {"layer": "nope"},
        "layer",
        "no layer 'nope'",
        422,
    ),
    (
        "unknown crs",
        lambda p: _bad_zip(p, "no prj"),
        None,
        {"crs": "EPSG:999999"},
        "crs",
        "not a coordinate reference system",
        422,
    ),
    (
        "a table without geometries",
        lambda p: _attribute_table(p),
        None,
        {"layer": "codes"},
        "layer",
        "holds no geometries",
        422,
    ),
    (
        "geopackage of an undefined CRS",
        lambda p: _undefined_srs(p),
        None,
        {},
        "crs",
        "does not say which coordinate system",
        422,
    ),
    (
        "mapping nested too deeply",
        lambda p: write_layer(p / "x.geojson", "GeoJSON", POLYGONS, RECORDS),
        None,
        {"mapping": "[" * 100_000},
        "mapping",
        "nested too deeply",
        422,
    ),
    (
        "fields that differ only in case",
        lambda p: write_layer(
            p / "x.geojson",
            "GeoJSON",
            POLYGONS,
            [{**r, "Reference": "X", "REFERENCE": "Y"} for r in RECORDS_NO_REF],
        ),
        None,
        {},
        "mapping",
        "the fields Reference and REFERENCE could each be reference",
        422,
    ),
]

RECORDS_NO_REF = [{k: v for k, v in r.items() if k != "reference"} for r in RECORDS]


def _attribute_table(tmp_path: Path) -> Path:
    """A GeoPackage with an area layer and a table of codes without geometries."""
    path = write_layer(tmp_path / "survey.gpkg", "GPKG", POLYGONS, RECORDS, layer="areas")
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE codes (code TEXT, meaning TEXT)")
        db.execute("INSERT INTO codes VALUES ('CMR', 'cluster munition remnants')")
        db.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
            "VALUES ('codes', 'attributes', 'codes')"
        )
    return path


def _undefined_srs(tmp_path: Path) -> Path:
    """UTM coordinates in a GeoPackage whose CRS is "Undefined Cartesian SRS" (srs_id -1)."""
    path = write_layer(tmp_path / "survey.gpkg", "GPKG", POLYGONS, RECORDS, crs="EPSG:32648")
    with _edited(path) as db:
        db.execute("UPDATE gpkg_geometry_columns SET srs_id = -1")
        db.execute("UPDATE gpkg_contents SET srs_id = -1")
    return path


def test_a_crs_the_file_cannot_name_is_given_with_crs(client, tmp_path) -> None:
    """An undefined GeoPackage CRS, and a .prj GDAL cannot read (a PROJ string): with crs=
    for the first, as the .prj says for the second, the areas are those in UTM 48N."""
    expected = _file(tmp_path, "gpkg", "EPSG:4326")
    reference = _upload(client, expected, target="hazards", dry_run="true").json()
    undefined = _upload(
        client, _undefined_srs(tmp_path), target="hazards", dry_run="true", crs="EPSG:32648"
    ).json()
    folder = tmp_path / "proj"
    folder.mkdir()
    write_layer(folder / "hz.shp", "ESRI Shapefile", POLYGONS, RECORDS, crs="EPSG:32648")
    (folder / "hz.prj").write_text("+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs")
    proj_string = _upload(
        client, zip_folder(folder, tmp_path / "hz.zip"), target="hazards", dry_run="true"
    ).json()
    for report in (undefined, proj_string):
        assert report["status"] == "dry run" and report["accepted"] == 3, report
        assert report["requested_m2"] == pytest.approx(reference["requested_m2"], rel=1e-7)
    assert "+proj=utm" in proj_string["source_crs"]


@pytest.mark.parametrize(
    ("make", "sent_as", "form", "field", "fragment", "status"),
    [b[1:] for b in BAD_FILES],
    ids=[b[0] for b in BAD_FILES],
)
def test_bad_files_are_refused_and_change_nothing(
    client, tmp_path, make, sent_as, form, field, fragment, status
) -> None:
    path = make(tmp_path)
    before, leftovers = _snapshot(), _leftovers()
    response = _upload(client, path, sent_as, target="hazards", **form)
    assert response.status_code == status, response.text
    assert response.json()["field"] == field
    assert fragment in response.json()["detail"]
    assert _snapshot() == before
    assert _leftovers() == leftovers
    assert not (Path(tempfile.gettempdir()) / "evil.shp").exists()


def test_upload_and_zip_limits(client, tmp_path) -> None:
    from app.api.main import app
    from app.settings import ImportSettings, import_settings

    app.dependency_overrides[import_settings] = lambda: ImportSettings(
        max_upload_bytes=2_000, max_zip_members=3, max_unpacked_bytes=10_000
    )
    try:
        big = write_layer(tmp_path / "big.geojson", "GeoJSON", POLYGONS * 20, RECORDS * 20)
        too_big = _upload(client, big, target="hazards")
        assert too_big.status_code == 413 and too_big.json()["field"] == "file"
        many = tmp_path / "many.zip"
        with zipfile.ZipFile(many, "w") as archive:
            for i in range(5):
                archive.writestr(f"f{i}.txt", "x")
        assert "at most 3 are accepted" in _upload(client, many, target="hazards").json()["detail"]
        bomb = tmp_path / "bomb.zip"
        with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("a.shp", b"\0" * 1_000_000)
        refused = _upload(client, bomb, target="hazards")
        assert refused.status_code == 422 and "would unpack to" in refused.json()["detail"]
    finally:
        app.dependency_overrides.clear()


def test_operators_import_pending_work_and_see_only_their_imports(call, tmp_path) -> None:
    operator = call("operator")
    response = _upload(operator, _file(tmp_path, "geojson", "EPSG:4326"), target="hazards")
    assert response.status_code == 201
    assert {f["status"] for f in response.json()["accepted_features"]} == {"pending"}
    assert call("authority").get("/api/v1/review").json()["count"] == 3
    assert call("other_operator").get("/api/v1/imports").json()["count"] == 0
    assert call("other_operator").get(f"/api/v1/imports/{response.json()['id']}").status_code == 404
    assert call("analyst").post("/api/v1/imports").status_code == 403


def test_command_line_import_prints_the_report(tmp_path, tokens) -> None:
    path = _shapefile_zip(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "app", "import", str(path), "--target", "hazards", "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["status"] == "dry run" and report["accepted"] == 3
    assert "3/3 features" in result.stderr
    assert path.exists()


def test_a_command_line_import_stopped_by_sigterm_leaves_nothing_behind(tmp_path, tokens) -> None:
    """A scheduler or `timeout` stops a long import: no folder is left holding the upload, and
    nothing is recorded."""
    polygons = [
        rect(300 * (i % 100), 300 * (i // 100), 300 * (i % 100) + 200, 300 * (i // 100) + 200)
        for i in range(20_000)
    ]
    records = [{**RECORDS[1], "reference": f"S-{i}"} for i in range(len(polygons))]
    path = write_layer(tmp_path / "long.geojson", "GeoJSON", polygons, records)
    before, leftovers = _snapshot(), _leftovers()
    command = [sys.executable, "-m", "app", "import", str(path), "--target", "hazards"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not (_leftovers() - leftovers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _leftovers() - leftovers, "the import never made its temporary folder"
    time.sleep(1)  # well into the import
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 128 + signal.SIGTERM
    assert _leftovers() == leftovers
    assert _snapshot() == before


def test_a_batch_import_gives_the_land_state_of_one_by_one_recording(client, tmp_path) -> None:
    """Imports record their features in batches: the figures must be those of recording the
    same facts one at a time, in the same order."""
    sys.path.insert(0, str(Path(ROOT) / "scripts"))
    from generate_demo_data import features as demo_features
    from generate_demo_data import generate

    hazards, events = demo_features(list(generate(60, 3, (1, 2, 2, 3))))
    hazard_file = tmp_path / "hazards.geojson"
    hazard_file.write_text(json.dumps(hazards))
    event_file = tmp_path / "events.geojson"
    event_file.write_text(json.dumps(events))
    dates = ["2009-01-01", "2012-06-30", "2016-01-01", "2020-01-01", "2026-01-01"]

    def figures() -> list[dict]:
        return [client.get("/api/v1/totals", params={"as_of": d}).json() for d in dates] + [
            client.get("/api/v1/land-release", params={"from": "2008-01-01", "to": d}).json()
            for d in dates
        ]

    assert _upload(client, hazard_file, target="hazards").status_code == 201
    imported = _upload(client, event_file, target="events", on_error="skip")
    assert imported.status_code == 201, imported.text
    refused = {p["index"] for p in imported.json()["problems"]}
    batch = figures()

    with owner_engine().begin() as conn:
        conn.execute(
            text("TRUNCATE land_state, hazard_land, event_voids, events, hazards, imports CASCADE")
        )
    for feature in hazards["features"]:
        assert client.post("/api/v1/hazards", json=feature).status_code == 201
    for index, feature in enumerate(events["features"]):
        reference = feature["properties"].pop("hazard")
        response = client.post(f"/api/v1/hazards/{reference}/events", json=feature)
        assert (response.status_code == 201) == (index not in refused), response.text
    one_by_one = figures()
    for a, b in zip(batch, one_by_one, strict=True):
        for key, value in a.items():
            if key.endswith("_m2"):
                assert value == pytest.approx(b[key], rel=1e-7, abs=1e-3), key


def test_z_and_m_values_are_dropped_and_holes_kept(client, tmp_path) -> None:
    from shapely import force_3d

    outer, hole = rect(0, 0, 500, 500), rect(200, 200, 300, 300)
    with_hole = outer.difference(hole)
    path = write_layer(
        tmp_path / "z.gpkg",
        "GPKG",
        [force_3d(with_hole, 312.5)],
        RECORDS[:1],
        crs="EPSG:32648",
        geometry_type="Polygon Z",
    )
    response = _upload(client, path, target="hazards")
    assert response.status_code == 201, response.text
    geometry = client.get("/api/v1/hazards/F-0").json()["geometry"]
    assert geometry["type"] == "Polygon" and len(geometry["coordinates"]) == 2  # shell, hole
    assert all(len(point) == 2 for ring in geometry["coordinates"] for point in ring)
    assert response.json()["accepted_features"][0]["requested_m2"] == pytest.approx(
        area_m2(with_hole), rel=1e-6
    )


def test_reading_ahead_keeps_order_passes_errors_on_and_closes_the_reader() -> None:
    """The next batch is read in a background thread: the batches still come in order, a
    reading error reaches the caller, and a recording error closes the reader cleanly."""
    import threading
    from contextlib import closing

    from app.formats.read import read_ahead

    closed: list[str] = []

    def batches(fail_at: int | None = None):
        try:
            for i in range(6):
                if i == fail_at:
                    raise ValueError(f"batch {i} cannot be read")
                yield i, threading.current_thread().name
        finally:
            closed.append("reader")

    seen = list(read_ahead(batches()))
    assert [i for i, _ in seen] == list(range(6))
    assert all(name.startswith("read-ahead") for _, name in seen)
    with pytest.raises(ValueError, match="batch 3 cannot be read"):
        list(read_ahead(batches(fail_at=3)))
    closed.clear()
    ahead = read_ahead(batches())
    with pytest.raises(RuntimeError, match="recording failed"), closing(ahead):
        for i, _ in ahead:
            if i == 1:
                raise RuntimeError("recording failed")
    assert closed == ["reader"]


def test_a_zipped_project_folder_offers_its_shapefiles_as_layers(client, tmp_path) -> None:
    """A zip of several shapefiles: the one of polygons is read, or the one named by
    layer= when several hold polygons."""
    folder = tmp_path / "project"
    folder.mkdir()
    write_layer(folder / "hazards.shp", "ESRI Shapefile", POLYGONS, RECORDS, crs="EPSG:32648")
    wells = [shape.centroid for shape in POLYGONS]
    write_layer(folder / "wells.shp", "ESRI Shapefile", wells, RECORDS, crs="EPSG:32648")
    one = _upload(
        client, zip_folder(folder, tmp_path / "one.zip"), target="hazards", dry_run="true"
    )
    assert (one.json()["layer"], one.json()["accepted"]) == ("hazards", 3), one.text
    write_layer(folder / "old.shp", "ESRI Shapefile", POLYGONS[:1], RECORDS[:1], crs="EPSG:32648")
    two = zip_folder(folder, tmp_path / "two.zip")
    unnamed = _upload(client, two, target="hazards", dry_run="true")
    assert unnamed.status_code == 422 and unnamed.json()["field"] == "layer"
    assert {"hazards", "old", "wells"} <= set(re.findall(r"\w+", unnamed.json()["detail"]))
    with two.open("rb") as f:
        listing = client.post("/api/v1/imports/inspect", files={"file": (two.name, f)}).json()
    assert set(listing["layers"]) == {"hazards", "old", "wells"}, listing
    named = _upload(client, two, target="hazards", dry_run="true", layer="old").json()
    assert (named["layer"], named["accepted"]) == ("old", 1)
    assert named["requested_m2"] == pytest.approx(area_m2(POLYGONS[0]), rel=1e-6)


def test_a_surface_no_repair_can_read_is_named(client, tmp_path) -> None:
    """A TIN (as 3D survey software writes surfaces) is no polygon: refused as such, repairs
    or not, while the polygon beside it is read."""
    csv = tmp_path / "surfaces.csv"
    ring = "{x} 19.43,{x}1 19.43,{x} 19.431,{x} 19.43"
    csv.write_text(
        "WKT,reference,hazard_class,contamination,recorded_on\n"
        f'"TIN ((({ring.format(x=102.62)})))",T-1,SHA,CMR,2015-03-01\n'
        f'"POLYGON (({ring.format(x=102.63)}))",T-2,SHA,CMR,2015-03-01\n'
    )
    for repair in ("false", "true"):
        report = _upload(
            client, csv, target="hazards", dry_run="true", crs="EPSG:4326", repair=repair
        ).json()
        [problem] = report["problems"]
        assert (problem["reference"], problem["field"]) == ("T-1", "geometry"), report
        assert "cannot be read as a polygon (a TIN" in problem["message"]
        assert [f["reference"] for f in report["accepted_features"]] == ["T-2"]
