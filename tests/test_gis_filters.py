"""Filters as GDAL 3.6 and QGIS 3.22 (Debian's) send them: GDAL's -where runs on the server
as CQL text, and the date filters both clients turn into `datetime` give the right
features. Expected answers come from the fixture's own dates and classes, not from the
service."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.clients import GIS_CLIENTS, cannot_run
from tests.support.shapes import new_event, new_hazard, rect

SYSTEM_PYTHON = "/usr/bin/python3"
QGIS = Path(__file__).parent / "support" / "qgis_run.py"

# Ten hazards: reference -> (date of information, recorded class); four events.
HAZARDS = {
    f"F-{i:02d}": (f"{2010 + i}-0{1 + i % 9}-15", "CHA" if i % 3 == 0 else "SHA") for i in range(10)
}
EVENTS = {"F-01": "2016-03-01", "F-02": "2017-07-01", "F-04": "2017-12-31", "F-05": "2019-01-01"}

pytestmark = pytest.mark.usefixtures("gis_clients_installed")


@pytest.fixture
def programme(client) -> None:
    for i, (reference, (on, hazard_class)) in enumerate(HAZARDS.items()):
        land = rect(i * 600, 0, i * 600 + 400, 300)
        body = new_hazard(reference, land, on=on, hazard_class=hazard_class)
        assert client.post("/api/v1/hazards", json=body).status_code == 201
        if reference in EVENTS:
            part = rect(i * 600, 0, i * 600 + 100, 300)
            event = new_event(part, "reduce", EVENTS[reference])
            assert client.post(f"/api/v1/hazards/{reference}/events", json=event).status_code == 201


def _ogrinfo(server_url: str, token: str, collection: str, where: str) -> tuple[int, str]:
    """The feature count GDAL reports for ``-where``, and its debug messages."""
    if shutil.which("ogrinfo") is None:
        pytest.fail("ogrinfo is missing although gdal-bin was installed")
    command = [
        "ogrinfo", "--config", "GDAL_HTTP_AUTH", "BASIC",
        "--config", "GDAL_HTTP_USERPWD", f"analyst:{token}",
        "--config", "CPL_DEBUG", "OAPIF", "-ro", "-so", "-where", where,
        "-oo", "PAGE_SIZE=3",  # counted page by page, each next link carrying the filter
        f"OAPIF:{server_url}/ogc", collection,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    count = int(done.stdout.split("Feature Count: ")[1].split()[0])
    return count, done.stderr


def _expected(condition) -> int:
    return sum(1 for reference, (on, c) in HAZARDS.items() if condition(reference, on, c))


GDAL_FILTERS = [
    ("hazard_class = 'CHA'", lambda r, on, c: c == "CHA"),
    ("hazard_class <> 'CHA' AND footprint_m2 > 1000", lambda r, on, c: c != "CHA"),
    ("recorded_on >= '2015-01-01'", lambda r, on, c: on >= "2015-01-01"),
    (
        "recorded_on >= '2012-01-01' AND recorded_on <= '2016-12-31'",
        lambda r, on, c: "2012-01-01" <= on <= "2016-12-31",
    ),
    (
        "recorded_on BETWEEN '2013-04-15' AND '2014-05-15'",
        lambda r, on, c: "2013-04-15" <= on <= "2014-05-15",
    ),
    ("recorded_on > '2013-04-15'", lambda r, on, c: on > "2013-04-15"),  # strict stays strict
    ("reference LIKE 'F-0%' AND NOT (hazard_class = 'SHA')", lambda r, on, c: c == "CHA"),
    ("reference ILIKE 'f-01'", lambda r, on, c: r == "F-01"),
    ("contamination = 'CMR' OR region IS NULL", lambda r, on, c: True),
]


@pytest.mark.parametrize(("where", "condition"), GDAL_FILTERS)
def test_gdal_where_runs_on_the_server(server_url, tokens, programme, where, condition) -> None:
    count, debug = _ogrinfo(server_url, tokens["analyst"], "hazard-records", where)
    assert "CQL text detected" in debug
    assert "client side" not in debug, debug  # nothing left for GDAL to filter itself
    assert count == _expected(condition), where


def test_gdal_where_on_events_dates_and_kinds(server_url, tokens, programme) -> None:
    count, debug = _ogrinfo(
        server_url, tokens["analyst"], "events", "date >= '2017-01-01' AND kind = 'reduce'"
    )
    assert "client side" not in debug
    assert count == sum(1 for on in EVENTS.values() if on >= "2017-01-01")


def _qgis_ids(server_url: str, token: str, collection: str, subset: str) -> list[str]:
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True)
    if probe.returncode != 0:
        cannot_run(GIS_CLIENTS, "python3-qgis cannot be imported")
    done = subprocess.run(
        [SYSTEM_PYTHON, str(QGIS), "features", f"{server_url}/ogc", collection, token, subset],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["valid"] and seen["subset_accepted"], seen
    return seen["ids"]


# QGIS turns these into `datetime` (=: one day, >=: up to 9999-12-31T00:00:00Z, <=: from
# 0000-01-01T00:00:00Z) and does not check them itself.
QGIS_DATE_FILTERS = [
    ("\"recorded_on\" = '2013-04-15'", lambda on: on == "2013-04-15"),
    ("\"recorded_on\" = '2015-01-01'", lambda on: on == "2015-01-01"),
    ("\"recorded_on\" >= '2015-01-01'", lambda on: on >= "2015-01-01"),
    ("\"recorded_on\" <= '2013-04-15'", lambda on: on <= "2013-04-15"),
    (
        "\"recorded_on\" >= '2012-01-01' AND \"recorded_on\" <= '2016-12-31'",
        lambda on: "2012-01-01" <= on <= "2016-12-31",
    ),
]


@pytest.mark.parametrize(("subset", "condition"), QGIS_DATE_FILTERS)
def test_qgis_date_filters_give_the_right_hazards(
    server_url, tokens, programme, subset, condition
) -> None:
    ids = _qgis_ids(server_url, tokens["analyst"], "hazards", subset)
    assert ids == sorted(r for r, (on, _) in HAZARDS.items() if condition(on)), subset


def test_qgis_date_filters_on_events_and_its_field_types(server_url, tokens, programme) -> None:
    subset = "\"date\" >= '2017-01-01' AND \"date\" <= '2017-12-31'"
    ids = _qgis_ids(server_url, tokens["analyst"], "events", subset)
    expected = sorted(str(i + 1) for i, on in enumerate(EVENTS.values()) if on.startswith("2017"))
    assert ids == expected
