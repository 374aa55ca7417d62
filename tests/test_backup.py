"""Backups: `make backup` writes a consistent dump with its checksum, `make restore` puts it
into a new database, and the service running on that database gives exactly the same figures
(totals, land-release flows, Article 4.6), as of any date and as known at any moment."""

from __future__ import annotations

import hashlib
import math
import os
import subprocess
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import create_engine, make_url, text

from app.db import owner_engine
from tests.conftest import ROOT
from tests.support.servers import service
from tests.support.shapes import new_event, new_hazard, rect

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")),
    reason="restoring makes a database in the private cluster, which TEST_DATABASE_URL skips",
)

PROGRAMME = {"country": "Lao PDR", "eif": "2010-08-01"}
FIGURES = [
    "/api/v1/totals?as_of=2020-01-01",
    "/api/v1/totals?as_of=2014-06-30&group_by=hazard_class",
    "/api/v1/land-release?from=2010-08-01&to=2020-12-31",
    "/api/v1/land-release?from=2012-01-01&group_by=contamination",
    "/api/v1/reports/article-4-6?as_of=2020-12-31&capacity_clear=50000&capacity_cancel=0"
    "&capacity_reduce=0",
]


@pytest.fixture
def ledger(call) -> str:
    """Hazards, releases, a void, the programme; returns a moment between two writes."""
    authority = call("authority")
    assert authority.put("/api/v1/programme", json=PROGRAMME).status_code == 200
    hazards = [
        ("B-1", rect(0, 0, 600, 400), "2009-05-01"),
        ("B-2", rect(400, 0, 900, 300), "2012-03-01"),
    ]
    for reference, shape, on in hazards:
        body = new_hazard(reference, shape, on=on)
        assert authority.post("/api/v1/hazards", json=body).status_code == 201
    events = [
        ("B-1", rect(0, 0, 200, 400), "cancel", "2014-05-01"),
        ("B-1", rect(200, 0, 400, 200), "clear", "2015-07-01"),
        ("B-2", rect(500, 0, 700, 300), "reduce", "2016-02-01"),
    ]
    ids = []
    for reference, shape, kind, on in events:
        answer = authority.post(
            f"/api/v1/hazards/{reference}/events", json=new_event(shape, kind, on)
        )
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["id"])
    with owner_engine().connect() as conn:
        moment = conn.execute(text("SELECT clock_timestamp()")).scalar_one().isoformat()
    voided = authority.post(f"/api/v1/events/{ids[1]}/void", json={"reason": "wrong site"})
    assert voided.status_code == 200
    return moment


def _run(*command: str, **env: str) -> str:
    environment = {**os.environ, **env}
    done = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _same_figures(new: object, old: object) -> bool:
    """Equal answers, areas to the last few bits of a double: a sum of many areas depends on
    the order the database adds them in, which a restored copy (rows laid out anew, its own
    statistics and plans) need not keep. 1e-13 of 1 000 km² is a square centimetre;
    anything else must be equal."""
    if isinstance(new, float) and isinstance(old, float):
        return math.isclose(new, old, rel_tol=1e-13, abs_tol=1e-9)
    if isinstance(new, dict) and isinstance(old, dict):
        return new.keys() == old.keys() and all(_same_figures(new[k], old[k]) for k in new)
    if isinstance(new, list) and isinstance(old, list):
        return len(new) == len(old) and all(map(_same_figures, new, old))
    return new == old


def test_a_restored_backup_gives_the_same_figures(call, ledger, tmp_path) -> None:
    paths = [*FIGURES, f"/api/v1/totals?as_of=2020-01-01&known_at={quote(ledger)}"]
    analyst = call("analyst")
    before = [analyst.get(path) for path in paths]
    assert all(answer.status_code == 200 for answer in before), [a.text for a in before]

    dump = Path(_run("scripts/backup.sh", str(tmp_path)))
    assert dump.exists() and dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    digest, name = Path(f"{dump}.sha256").read_text().split()
    assert name == dump.name and digest == hashlib.sha256(dump.read_bytes()).hexdigest()

    target = f"landrelease_restored_{os.getpid()}"
    restored_url = _run("env", "-u", "DATABASE_URL", "-u", "OWNER_DATABASE_URL",
                        "scripts/restore.sh", str(dump), target)  # fmt: skip
    assert make_url(restored_url).database == target
    try:
        with service(DATABASE_URL=restored_url) as url:
            token = analyst.headers["authorization"]
            after = [httpx.get(url + path, headers={"Authorization": token}) for path in paths]
        for path, old, new in zip(paths, before, after, strict=True):
            assert new.status_code == 200, (path, new.text)
            assert _same_figures(new.json(), old.json()), (path, new.json(), old.json())
    finally:
        _drop(target)


def test_a_damaged_backup_is_not_restored(call, ledger, tmp_path) -> None:
    dump = Path(_run("scripts/backup.sh", str(tmp_path)))
    with dump.open("r+b") as f:
        f.seek(200)
        f.write(b"\x00damaged\x00")
    environment = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "OWNER_DATABASE_URL")
    }
    done = subprocess.run(
        ["scripts/restore.sh", str(dump), f"landrelease_damaged_{os.getpid()}"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode != 0
    assert "checksum" in done.stderr


def _drop(database: str) -> None:
    url = make_url(owner_engine().url.render_as_string(hide_password=False)).set(
        database="postgres"
    )
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
    admin.dispose()
