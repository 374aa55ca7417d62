"""Hazards drawn over land already recorded, as a national database migrated from map sheets
holds them: exact duplicates (across sheets, and of a hazard already recorded), hazards drawn
inside earlier ones, and partial overlaps. An import names them, with the hazards underneath
and the share, and leaves them out when asked; shares checked with Shapely + pyproj Geod."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import mapping

from tests.support.reference import area_m2
from tests.support.shapes import new_hazard, rect

RECORDED = rect(0, 0, 300, 300)  # hazard E, recorded before the file
FILE = {
    "X": RECORDED,  # the same minefield, from another map sheet
    "Y": rect(50, 50, 150, 150),  # drawn inside E
    "Z": rect(200, 0, 500, 300),  # a third of it on E: not mostly
    "V": rect(1000, 0, 1200, 200),  # new land
    "W": rect(1000, 0, 1200, 200),  # V again, two sheets later
    "U": rect(250, 100, 350, 200),  # half on E, half on Z (recorded just before it)
}


@pytest.fixture
def national_file(client, tmp_path) -> Path:
    assert client.post("/api/v1/hazards", json=new_hazard("E", RECORDED)).status_code == 201
    features = [
        {
            "type": "Feature",
            "geometry": mapping(polygon),
            "properties": {
                "reference": reference,
                "hazard_class": "SHA",
                "contamination": "CMR",
                "recorded_on": "2015-01-01",
            },
        }
        for reference, polygon in FILE.items()
    ]
    path = tmp_path / "minefields.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _upload(client, path: Path, **form):
    with path.open("rb") as f:
        return client.post(
            "/api/v1/imports", files={"file": (path.name, f)}, data={"target": "hazards", **form}
        )


def test_duplicates_and_contained_hazards_are_named(client, national_file) -> None:
    response = _upload(client, national_file)
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["overlaps"] == "warn" and report["accepted"] == 6 and report["warned"] == 4
    warnings = {f["reference"]: f.get("warning") for f in report["accepted_features"]}
    assert warnings["Z"] is None and warnings["V"] is None
    assert warnings["X"]["code"] == "import.duplicate_hazard"
    assert warnings["X"]["hazards"] == [{"reference": "E", "share": 1.0}]
    assert warnings["W"]["code"] == "import.duplicate_hazard"
    assert [h["reference"] for h in warnings["W"]["hazards"]] == ["V"]
    inside = warnings["Y"]
    assert inside["code"] == "import.inside_recorded"
    assert inside["share"] == pytest.approx(1.0, abs=1e-6)
    assert "100% of its polygon" in inside["message"] and "E (100%)" in inside["message"]
    # U lies on E's land and on the part of Z's not on E: both named, with their shares.
    u = FILE["U"]
    shares = {h["reference"]: h["share"] for h in warnings["U"]["hazards"]}
    assert shares == {
        "E": pytest.approx(area_m2(u.intersection(RECORDED)) / area_m2(u), abs=1e-5),
        "Z": pytest.approx(
            area_m2(u.intersection(FILE["Z"]).difference(RECORDED)) / area_m2(u), abs=1e-5
        ),
    }
    # Each was taken in as the model says: a duplicate discovers nothing.
    discovered = {f["reference"]: f["discovered_m2"] for f in report["accepted_features"]}
    assert discovered["X"] == 0 and discovered["W"] == 0 and discovered["Y"] == 0


def test_the_uploader_can_leave_them_out(client, national_file) -> None:
    response = _upload(client, national_file, overlaps="skip")
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["accepted"] == 2 and report["rejected"] == 0
    assert [(s["index"], s["reference"], s["code"]) for s in report["skipped"]] == [
        (0, "X", "import.duplicate_hazard"),
        (1, "Y", "import.inside_recorded"),
        (4, "W", "import.duplicate_hazard"),
        (5, "U", "import.inside_recorded"),
    ]
    for reference in ("X", "Y", "W", "U"):
        assert client.get(f"/api/v1/hazards/{reference}").status_code == 404
    # What was kept discovered the land beyond E once.
    new_land = area_m2(FILE["Z"].difference(RECORDED)) + area_m2(FILE["V"])
    assert report["effective_m2"] == pytest.approx(new_land, abs=0.1)


def test_a_dry_run_names_them_too(client, national_file) -> None:
    report = _upload(client, national_file, dry_run="true", overlaps="skip").json()
    assert report["status"] == "dry run" and len(report["skipped"]) == 4
    assert client.get("/api/v1/hazards/V").status_code == 404
