"""Coordinate systems the system cannot place precisely: a file whose datum PROJ knows no shift
for is refused, with the EPSG codes it most likely means, until the uploader says which; every
report says which transformation was used and how accurate it is."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyogrio.raw
import pytest
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import shape
from sqlalchemy import text

from app.db import engine
from app.formats.crs_candidates import likely_crs
from tests.conftest import ROOT
from tests.support.files import write_layer, zip_folder
from tests.test_imports import POLYGONS, RECORDS, _upload

# A municipal .prj as desktop GIS writes it for MGI 1901 / Balkans zone 7 (EPSG:6316) when
# the datum's name was lost: the projection and the ellipsoid only.
BESSEL_UNKNOWN = (
    'PROJCS["Bessel_Balkans_7",GEOGCS["GCS_Bessel_1841",DATUM["D_unknown",'
    'SPHEROID["Bessel_1841",6377397.155,299.1528128]],PRIMEM["Greenwich",0.0],'
    'UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
    'PARAMETER["False_Easting",7500000.0],PARAMETER["False_Northing",0.0],'
    'PARAMETER["Central_Meridian",21.0],PARAMETER["Scale_Factor",0.9999],'
    'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
)
# Sites (lon, lat): in southern Serbia (Balkans zone 7), in Bosnia and in Austria (zone 6).
NIS, BOSNIA, BURGENLAND = (21.9, 43.3), (17.8, 44.2), (16.6, 47.6)


def _near(site: tuple[float, float]) -> list[shapely.Geometry]:
    """The test polygons moved from their Lao site to ``site``, same sizes and layout."""
    middle = shapely.MultiPolygon(POLYGONS).centroid
    dx, dy = site[0] - middle.x, site[1] - middle.y
    return [shapely.affinity.translate(p, dx, dy) for p in POLYGONS]


def _shapefile(tmp_path: Path, site: tuple[float, float], crs: str, prj: str | None = None) -> Path:
    """A zipped shapefile of the test hazards at ``site``, written in ``crs``; its .prj
    replaced by ``prj`` (as another program wrote it) if given."""
    folder = tmp_path / "shp"
    folder.mkdir()
    write_layer(folder / "hazards.shp", "ESRI Shapefile", _near(site), RECORDS, crs=crs)
    if prj is not None:
        (folder / "hazards.prj").write_text(prj)
    return zip_folder(folder, tmp_path / "hazards.zip")


def _tables() -> tuple:
    with engine().connect() as conn:
        return conn.execute(
            text(
                "SELECT (SELECT count(*) FROM hazards), (SELECT count(*) FROM events), "
                "(SELECT count(*) FROM land_state), (SELECT count(*) FROM imports), "
                "(SELECT count(*) FROM audit_log)"
            )
        ).one()


def _inspect(client, path: Path, **form):
    with path.open("rb") as f:
        return client.post("/api/v1/imports/inspect", files={"file": (path.name, f)}, data=form)


def _cli(path: Path, *options: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "app", "import", str(path), "--target", "hazards"]
    return subprocess.run(
        [*command, "--dry-run", *options], cwd=ROOT, capture_output=True, text=True
    )


def test_a_datum_proj_knows_no_shift_for_is_refused_with_the_likely_epsg_code(
    client, tmp_path
) -> None:
    path = _shapefile(tmp_path, NIS, "EPSG:6316", BESSEL_UNKNOWN)
    before = _tables()
    for form in ({}, {"dry_run": "true"}):
        refused = _upload(client, path, target="hazards", **form)
        assert refused.status_code == 422, refused.text
        body = refused.json()
        assert body["field"] == "crs"
        assert body["suggestions"][0] == "EPSG:6316"
        detail = body["detail"]
        for named in ("hazards.zip", "Bessel_Balkans_7", "datum: unknown", "Bessel 1841"):
            assert named in detail
        assert "EPSG:6316 (MGI 1901 / Balkans zone 7)" in detail
        assert "crs" in detail and "100 m" in detail
    assert _tables() == before
    inspected = _inspect(client, path)
    assert inspected.status_code == 422 and inspected.json()["field"] == "crs"
    assert "EPSG:6316" in inspected.json()["detail"]
    on_the_command_line = _cli(path)
    assert on_the_command_line.returncode != 0
    assert "error (crs)" in on_the_command_line.stderr
    assert "EPSG:6316" in on_the_command_line.stderr
    assert _tables() == before


def test_with_crs_given_the_features_are_placed_by_that_epsg_code(client, tmp_path) -> None:
    path = _shapefile(tmp_path, NIS, "EPSG:6316", BESSEL_UNKNOWN)
    inspected = _inspect(client, path, crs="EPSG:6316")
    assert inspected.status_code == 200, inspected.text
    assert inspected.json()["transformation"].startswith("MGI 1901 to WGS 84 (")
    response = _upload(client, path, target="hazards", crs="EPSG:6316")
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["source_crs"] == "EPSG:6316"
    assert report["declared_crs"] == "Bessel_Balkans_7"
    shift = re.fullmatch(
        r"MGI 1901 to WGS 84 \(\d+\): accuracy ([\d.]+) m", report["transformation"]
    )
    assert shift, report["transformation"]
    assert report["transformation_accuracy_m"] == float(shift[1]) <= 10
    # The file's own coordinates, read back, and placed independently from EPSG:6316 and
    # from the file's CRS (PROJ's ballpark): the import took the first, 100 m or more away.
    _, _, wkbs, fields = pyogrio.raw.read(tmp_path / "shp" / "hazards.shp", columns=["reference"])
    in_file = dict(zip(fields[0], shapely.from_wkb(wkbs), strict=True))
    by_epsg = Transformer.from_crs("EPSG:6316", "EPSG:4326", always_xy=True)
    ballpark = Transformer.from_crs(CRS(BESSEL_UNKNOWN), "EPSG:4326", always_xy=True)
    to_metres = Transformer.from_crs("EPSG:4326", "EPSG:32634", always_xy=True)
    for reference, polygon in in_file.items():
        imported = shape(client.get(f"/api/v1/hazards/{reference}").json()["geometry"])
        expected = _transformed(polygon, by_epsg)
        assert _apart_m(imported, expected, to_metres) < 0.01
        assert _apart_m(imported, _transformed(polygon, ballpark), to_metres) > 100
    listed = client.get(f"/api/v1/imports/{report['id']}").json()
    assert listed["transformation"] == report["transformation"]
    on_the_command_line = _cli(path, "--crs", "EPSG:6316")
    assert on_the_command_line.returncode == 0, on_the_command_line.stderr
    printed = json.loads(on_the_command_line.stdout)
    assert printed["transformation"] == report["transformation"]


def _transformed(geometry: shapely.Geometry, transformer: Transformer) -> shapely.Geometry:
    return shapely.transform(
        geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def _apart_m(a: shapely.Geometry, b: shapely.Geometry, to_metres: Transformer) -> float:
    """The Hausdorff distance of two lon/lat geometries, in metres."""
    return shapely.hausdorff_distance(_transformed(a, to_metres), _transformed(b, to_metres))


@pytest.mark.parametrize(
    ("site", "crs", "prj", "transformation", "accuracy_m"),
    [
        pytest.param(
            BURGENLAND,
            "EPSG:31276",
            CRS("EPSG:31276").to_wkt("WKT1_ESRI"),
            "MGI to WGS 84 (3): accuracy 1.5 m",
            1.5,
            id="MGI / Balkans zone 6 in Austria, a datum shift",
        ),
        pytest.param(
            (103.0, 19.4),
            "EPSG:32648",
            None,
            "UTM zone 48N to WGS 84: conversion, exact",
            0.0,
            id="WGS 84 / UTM zone 48N, a conversion",
        ),
        pytest.param(
            (103.0, 19.4),
            "EPSG:4326",
            None,
            "none needed: the coordinates are WGS 84 longitude/latitude already",
            0.0,
            id="longitude/latitude",
        ),
    ],
)
def test_the_report_names_the_transformation_and_its_accuracy(
    client, tmp_path, site, crs, prj, transformation, accuracy_m
) -> None:
    path = _shapefile(tmp_path, site, crs, prj)
    response = _upload(client, path, target="hazards", dry_run="true")
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["accepted"] == 3 and "declared_crs" not in report
    assert report["transformation"] == transformation
    assert report["transformation_accuracy_m"] == accuracy_m
    inspected = _inspect(client, path).json()
    assert inspected["transformation"] == transformation


def test_a_geojson_file_needs_no_transformation(client, tmp_path) -> None:
    path = write_layer(tmp_path / "hazards.geojson", "GeoJSON", POLYGONS, RECORDS)
    report = _upload(client, path, target="hazards", dry_run="true").json()
    assert report["transformation"].startswith("none needed")
    assert report["transformation_accuracy_m"] == 0.0


def test_a_known_datum_without_a_shift_where_the_features_are_is_refused(client, tmp_path) -> None:
    """MGI's shifts to WGS 84 are for Austria: a Balkans zone 6 file of features in Bosnia
    would be placed by PROJ's ballpark there. Its successor, MGI 1901, has them."""
    path = _shapefile(tmp_path, BOSNIA, "EPSG:31276", CRS("EPSG:31276").to_wkt("WKT1_ESRI"))
    before = _tables()
    refused = _upload(client, path, target="hazards", dry_run="true")
    assert refused.status_code == 422 and refused.json()["field"] == "crs"
    assert refused.json()["suggestions"][0] == "EPSG:8678"
    assert "MGI / Balkans zone 6" in refused.json()["detail"]
    assert _tables() == before
    accepted = _upload(client, path, target="hazards", dry_run="true", crs="EPSG:8678")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["transformation"].startswith("MGI 1901 to WGS 84 (")


def test_crs_given_for_a_file_placed_precisely_must_agree_with_it(client, tmp_path) -> None:
    path = _shapefile(tmp_path, (103.0, 19.4), "EPSG:32648")
    refused = _upload(client, path, target="hazards", dry_run="true", crs="EPSG:32647")
    assert refused.status_code == 422 and refused.json()["field"] == "crs"
    assert "leave crs= out, or correct the file" in refused.json()["detail"]
    agreeing = _upload(client, path, target="hazards", dry_run="true", crs="EPSG:32648")
    assert agreeing.status_code == 200, agreeing.text


BESSEL_GEOGRAPHIC = (
    'GEOGCS["GCS_Bessel_1841",DATUM["D_unknown",SPHEROID["Bessel_1841",6377397.155,'
    '299.1528128]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
)


@pytest.mark.parametrize(
    ("wkt", "near", "expected"),
    [
        pytest.param(BESSEL_UNKNOWN, NIS, "EPSG:6316", id="MGI 1901 / Balkans zone 7"),
        pytest.param(
            BESSEL_UNKNOWN.replace("7500000.0", "3500000.0")
            .replace('"Central_Meridian",21.0', '"Central_Meridian",9.0')
            .replace("0.9999", "1.0"),
            (9.2, 50.1),
            "EPSG:31467",
            id="DHDN / 3-degree Gauss-Kruger zone 3",
        ),
        pytest.param(
            CRS("EPSG:5514").to_wkt("WKT1_ESRI").replace('DATUM["D_S_JTSK"', 'DATUM["D_unknown"'),
            (14.4, 50.1),
            "EPSG:5514",
            id="S-JTSK / Krovak East North",
        ),
        pytest.param(BESSEL_GEOGRAPHIC, (14.4, 50.1), "EPSG:4156", id="S-JTSK lon/lat"),
    ],
)
def test_the_likely_epsg_codes_of_a_crs_without_its_datum(wkt, near, expected) -> None:
    crs = CRS(wkt)
    assert crs.datum.name == "unknown"
    candidates = likely_crs(crs, near)
    assert 1 <= len(candidates) <= 3
    assert expected in [c.code for c in candidates]
    # Each has the file's projection and ellipsoid: placed there, the same coordinates
    # land within a kilometre of each other (the datums differ by less).
    x, y = Transformer.from_crs("EPSG:4326", CRS(expected), always_xy=True).transform(*near)
    for candidate in candidates:
        lon, lat = Transformer.from_crs(candidate.code, "EPSG:4326", always_xy=True).transform(x, y)
        assert Geod(ellps="WGS84").inv(lon, lat, *near)[2] < 1_000
