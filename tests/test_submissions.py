"""Submissions people can trust: one submission per file whatever the timing (the database
decides), the truth told after applying, each upload and fact followed to its end
(pending, approved, rejected, withdrawn), and review of an upload as a whole."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from app.db import engine
from app.storage import imports
from tests.support.files import write_layer
from tests.support.shapes import rect

POLYGONS = [rect(0, 0, 300, 200), rect(1000, 0, 1200, 250), rect(2000, 0, 2100, 100)]
RECORDS = [
    {
        "reference": f"S-{i}",
        "hazard_class": "SHA",
        "contamination": "CMR",
        "recorded_on": f"2015-03-0{i + 1}",
    }
    for i in range(3)
]


def upload(client, path: Path, **form):
    with path.open("rb") as f:
        return client.post(
            "/api/v1/imports",
            files={"file": (path.name, f)},
            data={"target": "hazards"}
            | {k: (json.dumps(v) if isinstance(v, dict) else str(v)) for k, v in form.items()},
        )


def survey(tmp_path: Path, name: str = "survey.geojson") -> Path:
    return write_layer(tmp_path / name, "GeoJSON", POLYGONS, RECORDS)


def _count(sql: str) -> int:
    with engine().connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_two_uploads_of_one_file_at_the_same_moment_give_one_import(call, tmp_path) -> None:
    path = survey(tmp_path)
    clients = [call("operator"), call("operator")]
    start = threading.Barrier(2)
    answers: list = [None, None]

    def send(i: int) -> None:
        start.wait()
        answers[i] = upload(clients[i], path)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    refused = next(a for a in answers if a.status_code == 409)
    applied = next(a for a in answers if a.status_code == 201)
    assert refused.json()["code"] == "import.file_imported"
    assert refused.json()["params"]["import_id"] == applied.json()["id"]
    assert _count("SELECT count(*) FROM imports WHERE status = 'applied'") == 1
    assert _count("SELECT count(*) FROM hazards") == 3
    assert call("authority").get("/api/v1/review").json()["count"] == 3


def _report(sha256: str) -> dict:
    return {
        "file_name": "f.geojson", "size_bytes": 1, "sha256": sha256, "target": "events",
        "status": "applied", "features_read": 0, "accepted": 0, "rejected": 0,
    }  # fmt: skip


def test_the_database_holds_a_file_for_the_first_upload_and_the_second_waits(
    migrated_database, empty_ledger
) -> None:
    """The refusal comes from the primary key of imported_files, not from a look before the
    insert: a second hold waits for the first transaction, and fails once it commits."""
    found: list = []
    with engine().connect() as first:
        first_id = imports.reserve_id(first)
        assert imports.hold_file(first, "a" * 64, "events", first_id) is None

        def second_hold() -> None:
            with engine().begin() as second:
                held = imports.hold_file(second, "a" * 64, "events", imports.reserve_id(second))
                found.append(held)

        waiting = threading.Thread(target=second_hold)
        waiting.start()
        time.sleep(1.0)
        assert waiting.is_alive() and found == []  # blocked on the first one's row
        imports.insert(first, first_id, _report("a" * 64), None)
        first.commit()
        waiting.join(timeout=30)
    assert found and found[0].import_id == first_id


def test_a_file_held_by_a_rolled_back_upload_is_free_again(migrated_database, empty_ledger) -> None:
    with engine().connect() as first:
        assert imports.hold_file(first, "b" * 64, "events", imports.reserve_id(first)) is None
        first.rollback()
    with engine().begin() as again:
        again_id = imports.reserve_id(again)
        assert imports.hold_file(again, "b" * 64, "events", again_id) is None
        imports.insert(again, again_id, _report("b" * 64), None)


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_file_sent_again_in_sequence(call, tmp_path, dry_run) -> None:
    operator = call("operator")
    path = survey(tmp_path)
    first = upload(operator, path)
    assert first.status_code == 201
    again = upload(operator, path, dry_run=str(dry_run).lower())
    if dry_run:
        assert again.status_code == 200 and str(first.json()["id"]) in again.json()["warning"]
    else:
        assert again.status_code == 409 and again.json()["field"] == "file"
    assert _count("SELECT count(*) FROM hazards") == 3
