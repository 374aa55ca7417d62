"""Clearance polygons that reach past their hazard, as real cleared areas do (fade-out, whole
fields cleared): refused, clipped to the hazard or kept whole, as the uploader decides, through
the API, an import and the command line; every area checked against Shapely + pyproj Geod."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from shapely import wkb
from sqlalchemy import text

from app.db import engine
from tests.conftest import ROOT
from tests.support.files import write_layer
from tests.support.reference import area_m2
from tests.support.shapes import new_event, new_hazard, rect

HAZARD = rect(0, 0, 200, 200)
NEIGHBOUR = rect(200, 0, 400, 200)
# Half over the hazard, half over its neighbour: 20 000 m² outside, far beyond the limits.
CLEARED = rect(100, 0, 300, 200)
INSIDE = HAZARD.intersection(CLEARED)
OUTSIDE = CLEARED.difference(HAZARD)


@pytest.fixture
def two_hazards(client) -> None:
    for reference, polygon in (("A", HAZARD), ("B", NEIGHBOUR)):
        response = client.post("/api/v1/hazards", json=new_hazard(reference, polygon))
        assert response.status_code == 201, response.text


def _remaining(client, reference: str) -> float:
    return client.get(f"/api/v1/hazards/{reference}").json()["properties"]["remaining_m2"]


def _clear(client, polygon, query: str = ""):
    return client.post(
        f"/api/v1/hazards/A/events{query}", json=new_event(polygon, "clear", "2016-01-01")
    )


def _overshoot_rows() -> list[tuple]:
    with engine().connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT policy, submitted_m2, outside_m2, ST_AsBinary(submitted_footprint) "
                    "FROM event_overshoots ORDER BY event_id"
                )
            )
        )


def test_refuse_is_the_default_for_a_single_event(client, two_hazards) -> None:
    for query in ("", "?overshoot=refuse"):
        response = _clear(client, CLEARED, query)
        assert response.status_code == 422, response.text
        assert "lies outside hazard A" in response.text and "overshoot=clip" in response.text
    assert _remaining(client, "A") == pytest.approx(area_m2(HAZARD), rel=1e-9)


def test_a_small_overshoot_is_accepted_and_measured(client, two_hazards) -> None:
    # 1 m past the edge on a 200 m side: within 10 % and GPS-sized; taken as drawn.
    nudged = rect(0, 0, 201, 200)
    response = _clear(client, nudged)
    assert response.status_code == 201, response.text
    props = response.json()["properties"]
    assert props["overshoot"] == "refuse" and props["clipped_m2"] == 0
    assert props["outside_m2"] == pytest.approx(area_m2(nudged.difference(HAZARD)), rel=1e-3)
    [(policy, submitted_m2, _, submitted)] = _overshoot_rows()
    assert (policy, submitted) == ("refuse", None)
    assert submitted_m2 == pytest.approx(area_m2(nudged), rel=1e-9)


def test_clip_cuts_the_polygon_to_its_hazard(client, two_hazards) -> None:
    response = _clear(client, CLEARED, "?overshoot=clip")
    assert response.status_code == 201, response.text
    props = response.json()["properties"]
    assert props["overshoot"] == "clip"
    assert props["submitted_m2"] == pytest.approx(area_m2(CLEARED), rel=1e-9)
    assert props["outside_m2"] == pytest.approx(area_m2(OUTSIDE), rel=1e-6)
    assert props["clipped_m2"] == pytest.approx(area_m2(OUTSIDE), rel=1e-6)
    assert props["requested_m2"] == pytest.approx(area_m2(INSIDE), rel=1e-6)
    assert props["effective_m2"] == pytest.approx(area_m2(INSIDE), rel=1e-6)
    # The neighbour keeps all its land; the hazard lost the part inside only.
    assert _remaining(client, "B") == pytest.approx(area_m2(NEIGHBOUR), rel=1e-9)
    assert _remaining(client, "A") == pytest.approx(area_m2(HAZARD.difference(CLEARED)), rel=1e-6)
    # The polygon as submitted is kept beside the event.
    [(policy, submitted_m2, outside_m2, submitted)] = _overshoot_rows()
    assert policy == "clip" and outside_m2 == pytest.approx(area_m2(OUTSIDE), rel=1e-6)
    assert area_m2(wkb.loads(bytes(submitted)).symmetric_difference(CLEARED)) < 1e-3
    assert submitted_m2 == pytest.approx(area_m2(CLEARED), rel=1e-9)


def test_clip_refuses_a_polygon_wholly_outside(client, two_hazards) -> None:
    response = _clear(client, rect(250, 0, 350, 200), "?overshoot=clip")
    assert response.status_code in (409, 422), response.text
    assert "wholly outside hazard A" in response.text
    assert _overshoot_rows() == []


def test_keep_counts_the_whole_polygon(client, two_hazards) -> None:
    response = _clear(client, CLEARED, "?overshoot=keep")
    assert response.status_code == 201, response.text
    props = response.json()["properties"]
    assert props["overshoot"] == "keep" and props["clipped_m2"] == 0
    assert props["requested_m2"] == pytest.approx(area_m2(CLEARED), rel=1e-9)
    assert props["outside_m2"] == pytest.approx(area_m2(OUTSIDE), rel=1e-6)
    # The whole polygon changed land: the neighbour's part too, as the model says.
    assert props["effective_m2"] == pytest.approx(area_m2(CLEARED), rel=1e-6)
    assert _remaining(client, "B") == pytest.approx(
        area_m2(NEIGHBOUR.difference(CLEARED)), rel=1e-6
    )
    [(policy, _, outside_m2, submitted)] = _overshoot_rows()
    assert (policy, submitted) == ("keep", None)
    assert outside_m2 == pytest.approx(area_m2(OUTSIDE), rel=1e-6)


def _clearance_file(tmp_path: Path) -> tuple[Path, list]:
    """Cleared polygons as a national database holds them: one inside its hazard, one
    overshooting into the neighbour, one reaching into land no hazard holds."""
    polygons = [rect(20, 20, 80, 80), CLEARED, rect(-50, 100, 100, 200)]
    records = [{"hazard": "A", "kind": "clear", "date": f"2016-01-0{i + 1}"} for i in range(3)]
    path = write_layer(tmp_path / "cleared.gpkg", "GPKG", polygons, records)
    return path, polygons


def _upload(client, path: Path, **form):
    with path.open("rb") as f:
        return client.post(
            "/api/v1/imports",
            files={"file": (path.name, f)},
            data={"target": "events", **form},
        )


def test_an_import_refuses_overshoot_by_default(client, two_hazards, tmp_path) -> None:
    path, _ = _clearance_file(tmp_path)
    report = _upload(client, path, on_error="skip").json()
    assert report["overshoot"] == "refuse"
    assert [p["index"] for p in report["problems"]] == [1, 2]
    assert all("lies outside hazard A" in p["message"] for p in report["problems"])


def test_an_import_clips_and_reports_each_feature(client, two_hazards, tmp_path) -> None:
    path, polygons = _clearance_file(tmp_path)
    response = _upload(client, path, overshoot="clip")
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["overshoot"] == "clip" and report["rejected"] == 0
    rows = report["accepted_features"]
    # Areas outside: to a few hundredths of a m² (the hazard's outline as stored, its
    # coordinates rounded, against the one drawn here).
    for row, polygon in zip(rows, polygons, strict=True):
        outside = area_m2(polygon.difference(HAZARD)) if not HAZARD.contains(polygon) else 0.0
        assert row["requested_m2"] == pytest.approx(area_m2(polygon), rel=1e-6)
        assert row["clipped_m2"] == pytest.approx(outside, abs=0.05)
        assert row["outside_m2"] == pytest.approx(outside, abs=0.05)
    # Cleared land: the union of the clipped polygons, each counted once.
    cleared = HAZARD.intersection(polygons[0].union(polygons[1]).union(polygons[2]))
    assert report["effective_m2"] == pytest.approx(area_m2(cleared), abs=0.1)
    assert report["clipped_m2"] == pytest.approx(
        sum(area_m2(p.difference(HAZARD)) for p in polygons[1:]), abs=0.1
    )
    assert _remaining(client, "B") == pytest.approx(area_m2(NEIGHBOUR), rel=1e-9)
    assert _remaining(client, "A") == pytest.approx(area_m2(HAZARD.difference(cleared)), abs=0.1)


def test_an_import_keeps_polygons_whole(client, two_hazards, tmp_path) -> None:
    path, polygons = _clearance_file(tmp_path)
    report = _upload(client, path, overshoot="keep").json()
    assert report["status"] == "applied", report
    assert report["clipped_m2"] == 0
    whole = polygons[0].union(polygons[1]).union(polygons[2])
    # Land no hazard holds changes nothing; the neighbour's land under the polygon is cleared.
    assert report["effective_m2"] == pytest.approx(
        area_m2(whole.intersection(HAZARD.union(NEIGHBOUR))), rel=1e-6
    )
    assert _remaining(client, "B") == pytest.approx(
        area_m2(NEIGHBOUR.difference(CLEARED)), rel=1e-6
    )


def test_the_command_line_takes_the_policy_or_the_setting(two_hazards, tmp_path) -> None:
    path, _ = _clearance_file(tmp_path)
    base = [sys.executable, "-m", "app", "import", str(path), "--target", "events", "--dry-run"]

    def run(*extra: str, **env: str) -> dict:
        result = subprocess.run(
            [*base, *extra], cwd=ROOT, capture_output=True, text=True, env={**os.environ, **env}
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    assert run()["overshoot"] == "refuse"
    assert run(IMPORT_OVERSHOOT="keep")["overshoot"] == "keep"
    clipped = run("--overshoot", "clip", IMPORT_OVERSHOOT="keep")
    assert clipped["overshoot"] == "clip" and clipped["rejected"] == 0
    assert clipped["clipped_m2"] == pytest.approx(
        area_m2(OUTSIDE) + area_m2(rect(-50, 100, 0, 200)), rel=1e-6
    )
