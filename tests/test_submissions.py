"""Submissions people can trust: one submission per file whatever the timing (the database
decides), the truth told after applying, each upload and fact followed to its end
(pending, approved, rejected, withdrawn), and review of an upload as a whole."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
import shapely
import shapely.geometry
from sqlalchemy import text

from app.db import engine
from app.storage import imports
from tests.support.files import write_layer
from tests.support.reference import area_m2
from tests.support.shapes import new_event, new_hazard, rect

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


# After applying: the truth


def test_after_applying_an_operator_is_told_it_was_sent_for_review(call, tmp_path) -> None:
    operator, authority = call("operator"), call("authority")
    before = authority.get("/api/v1/totals").json()
    dry = upload(operator, survey(tmp_path), dry_run="true")
    assert dry.json()["pending"] == 3
    sent = upload(operator, survey(tmp_path))
    report = sent.json()
    assert sent.status_code == 201 and report["status"] == "applied"
    assert report["pending"] == 3
    assert report["pending_requested_m2"] == pytest.approx(
        sum(area_m2(p) for p in POLYGONS), rel=1e-9
    )
    assert authority.get("/api/v1/totals").json() == before  # nothing official yet
    official = upload(authority, write_layer(tmp_path / "own.geojson", "GeoJSON",
                                             [rect(5000, 0, 5100, 100)],
                                             [RECORDS[0] | {"reference": "A-1"}]))  # fmt: skip
    assert official.json()["pending"] == 0
    assert authority.get("/api/v1/totals").json()["sha_m2"] == pytest.approx(
        before["sha_m2"] + area_m2(rect(5000, 0, 5100, 100)), rel=1e-6
    )


# My submissions


def _facts(client, **params) -> dict[str, dict]:
    found = client.get("/api/v1/submissions/facts", params=params)
    assert found.status_code == 200, found.text
    return {f["id"]: f for f in found.json()["facts"]}


def test_my_submissions_follow_each_upload_and_fact_to_its_end(call, tmp_path) -> None:
    operator, authority = call("operator"), call("authority")
    import_id = upload(operator, survey(tmp_path)).json()["id"]
    assert authority.post("/api/v1/review/hazards/S-0/approve").status_code == 200
    rejected = authority.post(
        "/api/v1/review/hazards/S-1/reject", json={"reason": "outside the task area"}
    )
    assert rejected.status_code == 200

    [listed] = operator.get("/api/v1/submissions/uploads").json()["uploads"]
    assert listed["id"] == import_id and listed["file_name"] == "survey.geojson"
    assert listed["counts"] == {"pending": 1, "approved": 1, "rejected": 1, "withdrawn": 0}
    assert listed["status"] == "pending" and listed["withdrawable"] is True
    assert listed["reviewed_by"] == "aziz" and listed["reasons"] == ["outside the task area"]
    assert listed["organisation"] == "NPA" and listed["features"] == 3
    facts = _facts(operator, import_id=import_id)
    assert {k: f["status"] for k, f in facts.items()} == {
        "S-0": "approved", "S-1": "rejected", "S-2": "pending",
    }  # fmt: skip
    assert facts["S-1"]["reason"] == "outside the task area"
    assert facts["S-1"]["reviewed_by"] == "aziz" and facts["S-1"]["reviewed_at"]
    assert facts["S-2"]["reviewed_by"] is None and facts["S-2"]["withdrawable"] is True
    assert facts["S-0"]["withdrawable"] is False
    assert set(_facts(operator, status="rejected")) == {"S-1"}

    # Another organisation sees none of it; the authority sees all, and may not withdraw.
    assert call("other_operator").get("/api/v1/submissions/uploads").json()["count"] == 0
    assert _facts(call("other_operator")) == {}
    [seen] = authority.get("/api/v1/submissions/uploads").json()["uploads"]
    assert seen["id"] == import_id and seen["withdrawable"] is False
    assert call("anonymous").get("/api/v1/submissions/uploads").status_code == 401


def test_an_operator_withdraws_a_pending_upload_and_may_send_it_again(call, tmp_path) -> None:
    operator, authority = call("operator"), call("authority")
    path = survey(tmp_path)
    import_id = upload(operator, path).json()["id"]
    assert authority.post("/api/v1/review/hazards/S-0/approve").status_code == 200
    path_withdraw = f"/api/v1/submissions/uploads/{import_id}/withdraw"
    assert call("other_operator").post(path_withdraw).status_code == 404
    assert authority.post(path_withdraw).status_code == 403  # the authority rejects instead
    assert call("analyst").post(path_withdraw).status_code == 403
    withdrawn = operator.post(path_withdraw, json={"reason": "wrong survey dates"})
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json() == {"import_id": import_id, "status": "withdrawn", "withdrawn": 2}
    again = operator.post(path_withdraw)
    assert again.status_code == 409

    [listed] = operator.get("/api/v1/submissions/uploads").json()["uploads"]
    assert listed["counts"] == {"pending": 0, "approved": 1, "rejected": 0, "withdrawn": 2}
    assert listed["status"] == "partly approved" and listed["withdrawable"] is False
    facts = _facts(operator)
    assert facts["S-1"]["status"] == "withdrawn" and facts["S-1"]["reviewed_by"] == "olga"
    assert facts["S-1"]["reason"] == "wrong survey dates"
    assert authority.get("/api/v1/review").json()["count"] == 0
    audit = authority.get("/api/v1/audit", params={"object_type": "hazard"}).json()["entries"]
    withdrawals = [e for e in audit if e["action"] == "withdraw"]
    assert sorted(e["object_id"] for e in withdrawals) == ["S-1", "S-2"]
    assert {e["user"] for e in withdrawals} == {"olga"}
    # History is kept: the rows are there, withdrawn, and cannot be changed again.
    assert _count("SELECT count(*) FROM hazards WHERE status = 'withdrawn'") == 2
    with pytest.raises(Exception, match="append-only"), engine().begin() as conn:
        conn.execute(text("UPDATE hazards SET status = 'approved' WHERE reference = 'S-1'"))

    # S-0 is official: the file stays held. A file withdrawn whole is given back.
    assert upload(operator, path).status_code == 409
    single = write_layer(tmp_path / "one.geojson", "GeoJSON", [rect(5000, 0, 5100, 100)],
                         [RECORDS[0] | {"reference": "W-1"}])  # fmt: skip
    first = upload(operator, single).json()["id"]
    assert operator.post(f"/api/v1/submissions/uploads/{first}/withdraw").status_code == 200
    resent = upload(operator, single)
    assert resent.status_code == 201 and resent.json()["pending"] == 1
    # A withdrawn hazard gave its reference back: S-1 may be sent again.
    resubmitted = operator.post("/api/v1/hazards", json=new_hazard("S-1", POLYGONS[1]))
    assert resubmitted.status_code == 201


def test_withdrawing_a_hazard_withdraws_its_pending_events(call) -> None:
    operator, authority = call("operator"), call("authority")
    assert operator.post("/api/v1/hazards", json=new_hazard("W-2", POLYGONS[0])).status_code == 201
    event = operator.post(
        "/api/v1/hazards/W-2/events", json=new_event(rect(0, 0, 100, 200), "clear", "2016-01-01")
    )
    event_id = event.json()["id"]
    refused = authority.post("/api/v1/submissions/hazards/W-2/withdraw")
    assert refused.status_code == 403
    done = operator.post("/api/v1/submissions/hazards/W-2/withdraw", json={"reason": "duplicate"})
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"
    facts = _facts(operator)
    assert facts[str(event_id)]["status"] == "withdrawn"
    assert facts[str(event_id)]["reason"] == "duplicate"
    assert operator.post(f"/api/v1/submissions/events/{event_id}/withdraw").status_code == 409
    assert authority.get("/api/v1/review").json()["count"] == 0


# Timelines and lists


def test_timelines_show_unofficial_entries_as_such_to_those_who_may_see_them(call) -> None:
    operator, authority = call("operator"), call("authority")
    assert authority.post("/api/v1/hazards", json=new_hazard("T-1", POLYGONS[0])).status_code == 201
    ids = {}
    for name, polygon in (("pending", rect(0, 0, 50, 200)), ("rejected", rect(50, 0, 100, 200)),
                          ("withdrawn", rect(100, 0, 150, 200))):  # fmt: skip
        answer = operator.post(
            "/api/v1/hazards/T-1/events", json=new_event(polygon, "clear", "2016-01-01")
        )
        ids[name] = answer.json()["id"]
    authority.post(f"/api/v1/review/events/{ids['rejected']}/reject", json={"reason": "no report"})
    operator.post(f"/api/v1/submissions/events/{ids['withdrawn']}/withdraw")
    official = authority.post(
        "/api/v1/hazards/T-1/events", json=new_event(rect(150, 0, 300, 200), "clear", "2017-01-01")
    ).json()["id"]

    def timeline(client) -> dict[int, dict]:
        answer = client.get("/api/v1/hazards/T-1/events").json()["features"]
        return {f["id"]: f["properties"] for f in answer}

    for client in (operator, authority, call("analyst")):
        seen = timeline(client)
        assert {i: seen[i]["status"] for i in seen} == {
            ids["pending"]: "pending", ids["rejected"]: "rejected",
            ids["withdrawn"]: "withdrawn", official: "approved",
        }  # fmt: skip
        assert seen[ids["rejected"]]["review_reason"] == "no report"
        assert seen[ids["pending"]]["effective_m2"] == 0  # it changed no land
    # Another organisation sees the official entry only.
    assert set(timeline(call("other_operator"))) == {official}
    # The figures count the official clearance only.
    totals = authority.get("/api/v1/totals").json()
    assert totals["sha_m2"] == pytest.approx(area_m2(rect(0, 0, 150, 200)), rel=1e-6)


# Review of an upload as a whole

SITE = rect(0, 0, 3000, 300)


def _clearances(tmp_path: Path, polygons, name: str = "clearance.geojson", hazard: str = "H-1"):
    records = [{"hazard": hazard, "kind": "clear", "date": "2016-04-01"} for _ in polygons]
    return write_layer(tmp_path / name, "GeoJSON", polygons, records)


def test_an_upload_is_previewed_then_approved_as_a_whole(call, tmp_path) -> None:
    operator, authority = call("operator"), call("authority")
    assert authority.post("/api/v1/hazards", json=new_hazard("H-1", SITE)).status_code == 201
    # Two of the clearances overlap: the land they share is cleared once.
    polygons = [rect(0, 0, 200, 300), rect(100, 0, 400, 300), rect(1000, 0, 1300, 300)]
    sent = upload(operator, _clearances(tmp_path, polygons), target="events")
    assert sent.status_code == 201, sent.text
    import_id = sent.json()["id"]
    [queued] = authority.get("/api/v1/review/uploads").json()["uploads"]
    assert queued["id"] == import_id and queued["pending"] == 3 and queued["waiting_for"] == []
    assert queued["requested_m2"] == pytest.approx(sum(area_m2(p) for p in polygons), rel=1e-9)

    cleared = area_m2(shapely.union_all(polygons))
    official = authority.get("/api/v1/totals").json()
    preview = authority.get(f"/api/v1/review/uploads/{import_id}/preview")
    assert preview.status_code == 200, preview.text
    shown = preview.json()
    assert shown["before"]["sha_m2"] == pytest.approx(official["sha_m2"], rel=1e-9)
    assert shown["after"]["sha_m2"] == pytest.approx(area_m2(SITE) - cleared, rel=1e-6)
    assert shown["change_m2"]["cleared"] == pytest.approx(cleared, rel=1e-6)
    land = shown["land"]["features"]
    assert {f["properties"]["state"] for f in land} == {"cleared"}
    assert sum(f["properties"]["area_m2"] for f in land) == pytest.approx(cleared, rel=1e-6)
    drawn = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in land])
    assert area_m2(drawn) == pytest.approx(cleared, rel=1e-6)
    assert authority.get("/api/v1/totals").json() == official  # a preview changes nothing
    assert operator.get(f"/api/v1/review/uploads/{import_id}/preview").status_code == 403

    approved = authority.post(f"/api/v1/review/uploads/{import_id}/approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["approved"] == 3
    assert approved.json()["effect_m2"]["cleared"] == pytest.approx(cleared, rel=1e-6)
    after = authority.get("/api/v1/totals").json()
    assert after["sha_m2"] == pytest.approx(shown["after"]["sha_m2"], rel=1e-9)
    assert authority.get("/api/v1/review").json()["count"] == 0
    assert {f["status"] for f in _facts(operator, import_id=import_id).values()} == {"approved"}
    assert authority.post(f"/api/v1/review/uploads/{import_id}/approve").status_code == 409


def test_rejecting_an_upload_rejects_each_fact_and_gives_its_file_back(call, tmp_path) -> None:
    operator, authority = call("operator"), call("authority")
    path = survey(tmp_path)
    import_id = upload(operator, path).json()["id"]
    reject = f"/api/v1/review/uploads/{import_id}/reject"
    assert authority.post(reject, json={"reason": " "}).status_code == 422
    answer = authority.post(reject, json={"reason": "the survey is of another district"})
    assert answer.status_code == 200 and answer.json()["rejected"] == 3
    facts = _facts(operator, import_id=import_id)
    assert {f["status"] for f in facts.values()} == {"rejected"}
    assert {f["reason"] for f in facts.values()} == {"the survey is of another district"}
    assert authority.get("/api/v1/review/uploads").json()["count"] == 0
    assert upload(operator, path).status_code == 201  # corrected or not, it may come again


def test_an_events_upload_waits_for_the_hazards_it_clears(call, tmp_path) -> None:
    operator, authority = call("operator"), call("authority")
    hazards_id = upload(operator, survey(tmp_path)).json()["id"]
    events = _clearances(tmp_path, [rect(0, 0, 100, 200)], hazard="S-0")
    events_id = upload(operator, events, target="events").json()["id"]
    preview = authority.get(f"/api/v1/review/uploads/{events_id}/preview").json()
    assert preview["waiting_for"] == ["S-0"] and preview["change_m2"]["cleared"] == 0
    early = authority.post(f"/api/v1/review/uploads/{events_id}/approve")
    assert early.status_code == 409 and "S-0" in early.json()["detail"]
    assert authority.post(f"/api/v1/review/uploads/{hazards_id}/approve").status_code == 200
    assert authority.post(f"/api/v1/review/uploads/{events_id}/approve").status_code == 200
    totals = authority.get("/api/v1/totals").json()
    expected = sum(area_m2(p) for p in POLYGONS) - area_m2(rect(0, 0, 100, 200))
    assert totals["sha_m2"] == pytest.approx(expected, rel=1e-6)


def test_an_event_that_would_change_no_land_now_is_not_approved(call) -> None:
    """Two operators clear the same ground: once the first is approved, the second would
    change nothing; approving it would add an official fact of 0 m²."""
    authority = call("authority")
    assert authority.post("/api/v1/hazards", json=new_hazard("H-1", SITE)).status_code == 201
    ids = [
        client.post(
            "/api/v1/hazards/H-1/events",
            json=new_event(rect(0, 0, 200, 300), "clear", "2016-01-01"),
        ).json()["id"]
        for client in (call("operator"), call("other_operator"))
    ]
    assert authority.post(f"/api/v1/review/events/{ids[0]}/approve").status_code == 200
    refused = authority.post(f"/api/v1/review/events/{ids[1]}/approve")
    assert refused.status_code == 422 and refused.json()["field"] == "id"
    assert authority.get("/api/v1/review").json()["count"] == 1  # still pending: reject it
