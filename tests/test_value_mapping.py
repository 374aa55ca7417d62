"""A file's own words for our values: offered from the file by the inspect step, mapped to
ours by the upload (values=) and the command line (--values); the interface's own words are
ours already."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.files import write_layer
from tests.support.reference import area_m2
from tests.support.shapes import new_hazard, rect

ROOT = Path(__file__).resolve().parent.parent
SITE = rect(0, 0, 3000, 300)
CLEARANCES = [rect(0, 0, 100, 300), rect(500, 0, 600, 300), rect(1000, 0, 1100, 300)]
KINDS = ["Clearance", "CLR", "clearance"]


@pytest.fixture
def hazard(client) -> None:
    assert client.post("/api/v1/hazards", json=new_hazard("H-1", SITE)).status_code == 201


def _clearances(tmp_path: Path, kinds=KINDS) -> Path:
    records = [{"hazard": "H-1", "type": kind, "date": "2016-04-01"} for kind in kinds]
    return write_layer(tmp_path / "clearance.geojson", "GeoJSON", CLEARANCES, records)


def _upload(client, path: Path, **form):
    with path.open("rb") as f:
        return client.post(
            "/api/v1/imports",
            files={"file": (path.name, f)},
            data={"target": "events"} | {k: json.dumps(v) for k, v in form.items()},
        )


def test_inspection_offers_the_words_a_file_writes(client, tmp_path) -> None:
    path = _clearances(tmp_path)
    with path.open("rb") as f:
        found = client.post("/api/v1/imports/inspect", files={"file": (path.name, f)}).json()
    assert found["values"]["type"] == ["Clearance", "clearance", "CLR"]
    assert found["values"]["hazard"] == ["H-1"]
    assert found["found_fields"]["events"] == {"hazard": "hazard", "date": "date"}


def test_values_of_a_file_are_mapped_to_ours(client, hazard, tmp_path) -> None:
    path = _clearances(tmp_path)
    unmapped = _upload(client, path, mapping={"kind": "type"})
    assert unmapped.status_code == 422
    [problem] = unmapped.json()["problems"]  # Clearance and clearance are our own words
    assert problem["index"] == 1 and problem["code"] == "feature.not_one_of"
    assert problem["hint"] == "hint.values"
    assert (
        problem["hint_text"] == "map it to one of ours in values, e.g. "
        '{"kind": {"CLR": "confirm|cancel|reduce|clear|correct"}}'
    )
    mapped = _upload(client, path, mapping={"kind": "type"}, values={"kind": {"CLR": "clear"}})
    assert mapped.status_code == 201, mapped.text
    report = mapped.json()
    assert report["accepted"] == 3 and report["values"] == {"kind": {"CLR": "clear"}}
    assert report["effective_m2"] == pytest.approx(sum(area_m2(p) for p in CLEARANCES), rel=1e-6)
    totals = client.get("/api/v1/totals").json()
    assert totals["sha_m2"] == pytest.approx(
        area_m2(SITE) - sum(area_m2(p) for p in CLEARANCES), rel=1e-6
    )


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ("not json", "values.not_json"),
        ({"kind": "clear"}, "values.not_values"),
        ({"reference": {"A": "B"}}, "values.not_a_choice"),
        ({"hazard_class": {"S": "SHA"}}, "values.not_a_choice"),  # a hazard's, not an event's
        ({"kind": {"CLR": "sweep"}}, "values.unknown_value"),
    ],
)
def test_values_that_are_not_a_mapping_to_ours_are_refused(client, tmp_path, values, code):
    path = _clearances(tmp_path)
    with path.open("rb") as f:
        answer = client.post(
            "/api/v1/imports",
            files={"file": (path.name, f)},
            data={"target": "events", "mapping": '{"kind": "type"}',
                  "values": values if isinstance(values, str) else json.dumps(values)},
        )  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["code"] == code and answer.json()["field"] == "values"


def test_the_command_line_maps_values_too(client, tmp_path) -> None:
    records = [
        {"reference": f"V-{i}", "hazard_class": cls, "contamination": "CMR",
         "recorded_on": "2015-03-01"}
        for i, cls in enumerate(["Suspected", "Confirmed"])
    ]  # fmt: skip
    path = write_layer(tmp_path / "survey.geojson", "GeoJSON", CLEARANCES[:2], records)
    command = [sys.executable, "-m", "app", "import", str(path), "--target", "hazards"]
    refused = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert refused.returncode == 1
    assert "--values" in refused.stdout and "values=" not in refused.stdout
    values = '{"hazard_class": {"Suspected": "SHA", "Confirmed": "CHA"}}'
    done = subprocess.run([*command, "--values", values], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["accepted"] == 2
    confirmed = client.get("/api/v1/hazards/V-1").json()["properties"]
    assert confirmed["hazard_class"] == "CHA"
