"""The authority's data-quality list: data with one problem of each kind, recorded through
the API and an upload; each check finds exactly the hazards with its problem (not the clean
ones), with areas checked against Shapely and pyproj's Geod; the list downloads as CSV and
XLSX with headers in the reader's language; only the authority may read it."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Polygon, mapping

from app.__main__ import main as cli
from app.quality.rules import Check, PairMeasures, Thresholds, pair_check, stale_before
from tests.support.reference import along_geodesics, area_m2
from tests.support.shapes import lonlat, new_event, new_hazard, rect
from tests.test_regions import PROVINCES, regions_file

RECENT = "2024-01-01"
HAZARDS = {
    # reference: (polygon, recorded on)
    "D1": (rect(-1000, 0, -900, 100), RECENT),
    "D2": (rect(-1000, 0, -900.001, 100), RECENT),  # D1 again, 1 mm narrower
    "BIG": (rect(-1500, 500, -1100, 900), RECENT),
    "SMALL": (rect(-1400, 600, -1300, 700), RECENT),  # inside BIG
    "L": (rect(-500, 500, -300, 700), RECENT),
    "R": (rect(-350, 500, -150, 700), RECENT),  # a quarter of each on the other
    "TOUCH": (rect(-150, 500, -50, 700), RECENT),  # meets R along an edge only
    "OS": (rect(500, -500, 600, -400), RECENT),
    "OS2": (rect(500, -800, 600, -700), RECENT),
    "OLD": (rect(-1800, -1800, -1700, -1700), "2015-01-01"),
    "OLD2": (rect(-1600, -1800, -1500, -1700), "2015-01-01"),  # an event of 2024 since
    "EDGE": (rect(1950, -100, 2050, 0), RECENT),  # half outside the regions
    "OUT": (rect(3000, 0, 3100, 100), RECENT),  # wholly outside
}
OVERSHOOT = rect(500, -500, 700, -400)  # twice the hazard: half outside
SMALL_OVERSHOOT = rect(500, -800, 601, -700)  # 1 % outside
BOWTIE = lonlat(
    Polygon([(251000, 2149000), (251100, 2149100), (251100, 2149000), (251000, 2149100)])
)


@pytest.fixture
def problems(client, tmp_path) -> None:
    cli(["load-regions", str(regions_file(tmp_path))])
    for reference, (polygon, on) in HAZARDS.items():
        response = client.post("/api/v1/hazards", json=new_hazard(reference, polygon, on=on))
        assert response.status_code == 201, response.text
    events = [
        ("OS", OVERSHOOT, "keep"),
        ("OS2", SMALL_OVERSHOOT, "refuse"),
        ("OLD2", rect(-1600, -1800, -1550, -1700), "refuse"),
    ]
    for reference, polygon, overshoot in events:
        response = client.post(
            f"/api/v1/hazards/{reference}/events?overshoot={overshoot}",
            json=new_event(polygon, "reduce", RECENT),
        )
        assert response.status_code == 201, response.text
    body = {
        "reference": "NM",
        "hazard_class": "SHA",
        "contamination": "CMR",
        "recorded_on": RECENT,
        "declared_m2": 1234.5,
    }
    assert client.post("/api/v1/hazards/not-mapped", json=body).status_code == 201
    upload = _file(tmp_path, [("FIX", BOWTIE), ("BAD", None), ("FINE", rect(1000, 0, 1100, 100))])
    with upload.open("rb") as f:
        response = client.post(
            "/api/v1/imports",
            files={"file": (upload.name, f)},
            data={"target": "hazards", "repair": "true", "on_error": "skip"},
        )
    assert response.status_code == 201, response.text
    assert response.json()["repaired"] == 1


def _file(folder: Path, features: list) -> Path:
    line = {"type": "LineString", "coordinates": [[102.6, 19.4], [102.61, 19.41]]}
    body = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": mapping(polygon) if polygon is not None else line,
                "properties": {
                    "reference": reference,
                    "hazard_class": "SHA",
                    "contamination": "CMR",
                    "recorded_on": RECENT,
                },
            }
            for reference, polygon in features
        ],
    }
    path = folder / "survey.geojson"
    path.write_text(json.dumps(body))
    return path


def _by_check(answer: dict) -> dict[str, list[dict]]:
    return {c["check"]: c["entries"] for c in answer["checks"]}


def test_each_check_finds_exactly_its_hazards(client, problems) -> None:
    response = client.get("/api/v1/data-quality")
    assert response.status_code == 200, response.text
    found = _by_check(response.json())
    assert [c["check"] for c in response.json()["checks"]] == [c.value for c in Check]
    pairs = {c: [(e["reference"], e["other_reference"]) for e in found[c]] for c in found}
    assert pairs["duplicate"] == [("D2", "D1")]
    assert pairs["contained"] == [("SMALL", "BIG")]
    assert pairs["overlap"] == [("R", "L")]
    [overlap] = found["overlap"]
    both = HAZARDS["L"][0].intersection(HAZARDS["R"][0])
    assert overlap["area_m2"] == pytest.approx(area_m2(both), rel=1e-6)
    assert overlap["share"] == pytest.approx(0.25, rel=1e-4)
    assert [(e["reference"], e["area_m2"]) for e in found["not_mapped"]] == [("NM", 1234.5)]
    fixes = [(e["reference"], e["detail"], e["feature_index"]) for e in found["geometry_fixes"]]
    assert fixes == [("FIX", "repaired", 0), ("BAD", "refused: geometry.not_an_area", 1)]
    assert {e["file_name"] for e in found["geometry_fixes"]} == {"survey.geojson"}
    [overshoot] = found["overshoot"]
    assert overshoot["reference"] == "OS" and overshoot["share"] == pytest.approx(0.5, rel=1e-4)
    outside = along_geodesics(OVERSHOOT).difference(along_geodesics(HAZARDS["OS"][0]))
    assert overshoot["area_m2"] == pytest.approx(area_m2(outside), rel=1e-4)
    assert [(e["reference"], str(e["on"])) for e in found["stale"]] == [("OLD", "2015-01-01")]
    regions = shapely.union_all([along_geodesics(p) for p in PROVINCES.values()])
    outside_regions = {e["reference"]: e for e in found["outside_regions"]}
    assert set(outside_regions) == {"EDGE", "OUT"}
    for reference in ("EDGE", "OUT"):
        land = along_geodesics(HAZARDS[reference][0])
        assert outside_regions[reference]["area_m2"] == pytest.approx(
            area_m2(land.difference(regions)), rel=1e-4
        )
    assert outside_regions["OUT"]["share"] == pytest.approx(1.0)
    assert outside_regions["EDGE"]["share"] == pytest.approx(0.5, rel=1e-3)


def test_one_check_pages_and_only_the_authority_reads_it(call, problems) -> None:
    authority = call("authority")
    page = authority.get("/api/v1/data-quality/outside_regions", params={"limit": 1, "offset": 1})
    assert page.status_code == 200, page.text
    assert page.json()["count"] == 2 and len(page.json()["entries"]) == 1
    assert authority.get("/api/v1/data-quality/nonsense").status_code == 422
    for caller in ("operator", "anonymous"):
        assert call(caller).get("/api/v1/data-quality").status_code in (401, 403)


def test_the_list_downloads_as_csv_and_xlsx_in_the_reader_s_words(client, problems) -> None:
    csv_answer = client.get(
        "/api/v1/data-quality", params={"format": "csv"}, headers={"Accept-Language": "fr"}
    )
    assert csv_answer.status_code == 200, csv_answer.text
    with zipfile.ZipFile(io.BytesIO(csv_answer.content)) as archive:
        assert sorted(archive.namelist()) == sorted(
            f"{c.value.replace('_', '-')}.csv" for c in Check
        )
        rows = list(csv.reader(io.StringIO(archive.read("overlap.csv").decode())))
    assert rows[0] == ["référence", "autre zone", "chevauchement (m²)", "part"]
    assert rows[1][:2] == ["R", "L"]
    from openpyxl import load_workbook

    xlsx = client.get("/api/v1/data-quality", params={"format": "xlsx"})
    assert xlsx.status_code == 200, xlsx.text
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book["no recent fact"]
    values = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == "OLD"]
    assert len(values) == 1
    assert values[0][2] == pytest.approx(area_m2(along_geodesics(HAZARDS["OLD"][0])), rel=1e-4)


THRESHOLDS = Thresholds(0.01, 1.0, 0.5, 0.1, 100.0, 5)


@pytest.mark.parametrize(
    ("measures", "expected"),
    [
        (PairMeasures(100.0, 100.0, 100.0, 40.0, 40.0, 0.5), Check.DUPLICATE),
        (PairMeasures(100.0, 100.0, 100.0, 40.0, 40.0, 0.9), Check.CONTAINED),
        (PairMeasures(0.5, 100.0, 100.0, 40.0, 40.0, 199.0), None),
        (PairMeasures(30.0, 100.0, 100.0, 40.0, 40.0, 140.0), Check.OVERLAP),
    ],
)
def test_the_rules_of_a_pair(measures, expected) -> None:
    assert pair_check(measures, THRESHOLDS) is expected


def test_stale_counts_whole_years_back() -> None:
    from datetime import date

    assert stale_before(date(2024, 2, 29), 5) == date(2019, 2, 28)
    assert stale_before(date(2026, 12, 6), 5) == date(2021, 12, 6)
