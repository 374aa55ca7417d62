"""History cannot be rewritten, every write is audited, and any figure can be asked for as the
database stood at a past moment."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.db import engine, owner_engine
from tests.conftest import ROOT
from tests.support.shapes import new_event, new_hazard, rect


def _now() -> str:
    with engine().connect() as conn:
        return conn.execute(text("SELECT clock_timestamp()")).scalar_one().isoformat()


@pytest.fixture
def ledger(call) -> dict:
    authority = call("authority")
    authority.post("/api/v1/hazards", json=new_hazard("A", rect(0, 0, 400, 300)))
    event = authority.post(
        "/api/v1/hazards/A/events", json=new_event(rect(0, 0, 100, 300), "clear", "2015-01-01")
    )
    void = authority.post(f"/api/v1/events/{event.json()['id']}/void", json={"reason": "typo"})
    assert void.status_code == 200
    call("operator").post("/api/v1/hazards", json=new_hazard("P", rect(1000, 0, 1200, 200)))
    return {"event": event.json()["id"]}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE hazards SET hazard_class = 'CHA' WHERE reference = 'A'",
        "UPDATE hazards SET status = 'rejected' WHERE reference = 'A'",
        "DELETE FROM hazards WHERE reference = 'P'",
        "UPDATE events SET occurred_on = '2016-01-01'",
        "DELETE FROM events",
        "UPDATE event_voids SET reason = 'nothing happened'",
        "DELETE FROM event_voids",
        "UPDATE audit_log SET user_name = 'nobody'",
        "DELETE FROM audit_log",
        # Review may change a pending fact's review columns only, not its footprint.
        "UPDATE hazards SET status = 'approved', footprint = ST_Multi(ST_Buffer(footprint, 1)) "
        "WHERE reference = 'P'",
    ],
)
def test_plain_sql_cannot_rewrite_history(ledger, statement) -> None:
    """The ledger's triggers hold even for the owner of the tables (the service's own role
    may not even try: tests/test_privileges.py)."""
    with owner_engine().connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text(statement))
        conn.rollback()
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == before


def test_review_columns_of_a_pending_fact_may_be_set_once(ledger) -> None:
    with engine().begin() as conn:
        conn.execute(
            text("UPDATE hazards SET status = 'approved', reviewed_by = 'x' WHERE reference = 'P'")
        )
    with owner_engine().connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text("UPDATE hazards SET status = 'rejected' WHERE reference = 'P'"))


def test_every_write_is_in_the_audit_log(call, ledger) -> None:
    authority = call("authority")
    authority.post("/api/v1/review/hazards/P/approve")
    log = authority.get("/api/v1/audit").json()["entries"]
    actions = [(e["action"], e["object_type"], e["user"]) for e in log]
    assert ("create", "hazard", "aziz") in actions
    assert ("create", "event", "aziz") in actions
    assert ("void", "event", "aziz") in actions
    assert ("create", "hazard", "olga") in actions
    assert ("approve", "hazard", "aziz") in actions
    assert ("issue", "token", None) in actions  # tokens of the test callers, issued by a script
    assert all(e["remote_addr"] == "127.0.0.1" for e in log if e["user"] is not None)
    void = next(e for e in log if e["action"] == "void")
    assert void["detail"]["reason"] == "typo" and void["object_id"] == str(ledger["event"])
    by_operator = authority.get("/api/v1/audit", params={"organisation": "NPA"}).json()
    assert {e["user"] for e in by_operator["entries"]} == {"olga"}
    about_p = authority.get("/api/v1/audit", params={"object_type": "hazard", "object_id": "P"})
    assert [e["action"] for e in about_p.json()["entries"]] == ["create", "approve"]
    later = authority.get("/api/v1/audit", params={"since": log[-1]["at"]}).json()["entries"]
    assert [e["id"] for e in later] == [log[-1]["id"]]


def test_tokens_are_stored_as_hashes_only(tokens) -> None:
    with engine().connect() as conn:
        stored = conn.execute(text("SELECT token_hash, prefix FROM api_tokens")).all()
        dump = conn.execute(text("SELECT string_agg(t::text, ' ') FROM api_tokens t")).scalar()
    assert {h for h, _ in stored} == {
        hashlib.sha256(t.encode()).hexdigest() for t in tokens.values()
    }
    for token in tokens.values():
        assert token not in dump


def test_known_at_gives_the_figures_as_they_stood(call, ledger) -> None:
    authority = call("authority")
    # Records as known at a past moment are the official ones: seen here by an operator of
    # another organisation, to whom nothing pending was visible then either.
    reader = call("other_operator")
    requests = [
        (authority, "/api/v1/totals", {"as_of": "2020-01-01"}),
        (authority, "/api/v1/totals", {"as_of": "2020-01-01", "contamination": "CMR"}),
        (authority, "/api/v1/land-release", {"from": "2013-12-31", "to": "2020-01-01"}),
        (reader, "/api/v1/hazards", {"as_of": "2020-01-01"}),
        (reader, "/api/v1/hazards/A", {"as_of": "2020-01-01"}),
        (reader, "/api/v1/hazards/A/events", {}),
    ]
    moment = _now()
    then = [who.get(path, params=params).json() for who, path, params in requests]

    # Later: a back-dated cancellation, a new hazard, an approval, a void.
    cancel = authority.post(
        "/api/v1/hazards/A/events", json=new_event(rect(200, 0, 400, 300), "cancel", "2014-06-01")
    )
    assert cancel.status_code == 201
    authority.post("/api/v1/hazards", json=new_hazard("B", rect(2000, 0, 2200, 200)))
    authority.post("/api/v1/review/hazards/P/approve")
    authority.post(f"/api/v1/events/{cancel.json()['id']}/void", json={"reason": "wrong date"})
    authority.post(
        "/api/v1/hazards/A/events", json=new_event(rect(0, 0, 50, 300), "reduce", "2016-01-01")
    )
    now = [who.get(path, params=params).json() for who, path, params in requests]
    assert now[0] != then[0] and now[3] != then[3] and now[5] != then[5]

    again = [
        who.get(path, params={**params, "known_at": moment}).json()
        for who, path, params in requests
    ]
    for before, replayed in zip(then, again, strict=True):
        replayed.pop("known_at", None)
        before.pop("known_at", None)
        assert _without_links(replayed) == _without_links(before)


def _without_links(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "links"}


def test_command_line_manages_users_and_tokens(server_url) -> None:
    import httpx

    def run(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "app", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    run("users", "create", "--name", "vic", "--organisation", "MAG", "--role", "operator")
    out = run("tokens", "create", "--user", "vic", "--valid-days", "30")
    token = out.strip().splitlines()[-1]
    assert token.startswith("lr_")
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(server_url + "/api/v1/hazards", headers=headers).status_code == 200
    assert httpx.get(server_url + "/api/v1/audit", headers=headers).status_code == 403
    run("tokens", "revoke", token)
    assert httpx.get(server_url + "/api/v1/hazards", headers=headers).status_code == 401
    refused = subprocess.run(
        [sys.executable, "-m", "app", "tokens", "create", "--user", "vic", "--role", "admin"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "cannot carry the role admin" in refused.stderr
