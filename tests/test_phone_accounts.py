"""The team's phone accounts: a team leader makes one (or gives an existing one's password)
and gets the QR code that gives Collect the server, user name and password; accounts made
before phones get their Digest form when their password is next checked or set."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from app.auth.principal import Role
from app.db import engine
from app.services.accounts import create_user
from app.storage.accounts import insert_user, organisation_id

ROOT = Path(__file__).resolve().parent.parent
OLD_PASSWORD = "made before phones"


def _settings(payload: str) -> dict:
    return json.loads(zlib.decompress(base64.b64decode(payload)))


def _digest_form(name: str) -> str | None:
    with engine().connect() as conn:
        return conn.execute(
            text("SELECT digest_ha1 FROM users WHERE name = :n"), {"n": name}
        ).scalar()


def _account_made_before_phones(name: str, organisation: str = "NPA") -> None:
    """An operator account as accounts were made before phones: a password, no Digest form."""
    from app.auth.secrets import hash_password

    with engine().begin() as conn:
        org = organisation_id(conn, organisation)
        assert org is not None
        insert_user(conn, name, org, Role.OPERATOR.value, hash_password(OLD_PASSWORD))


def _collect(server_url: str, user: str, password: str) -> int:
    """What Collect gets for its form list, signing in by Digest over http."""
    answer = httpx.get(
        f"{server_url}/openrosa/formList", auth=httpx.DigestAuth(user, password), timeout=60
    )
    return answer.status_code


def test_a_team_leader_makes_a_phone_account_and_its_qr_code(call, server_url) -> None:
    leader = call("operator")  # olga, NPA
    made = leader.post("/api/v1/phones/accounts", json={"name": "npa-phone-1"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["user"], body["organisation"], body["new_password"]) == (
        "npa-phone-1",
        "NPA",
        True,
    )
    general = _settings(body["payload"])["general"]
    assert general == {
        **general,
        "server_url": f"{server_url}/openrosa",
        "username": "npa-phone-1",
        "password": body["password"],
    }
    assert body["svg"].startswith("<svg") and "path" in body["svg"]
    # What the code holds signs Collect in, by Digest over http, as an operator of NPA.
    assert _collect(server_url, "npa-phone-1", body["password"]) == 200

    listed = leader.get("/api/v1/phones/accounts").json()
    assert [a["name"] for a in listed["accounts"]] == ["npa-phone-1", "olga"]
    assert listed["may_set_new_password"] is False
    # Another team's leader neither sees it nor can make its code.
    other = call("other_operator")
    assert [a["name"] for a in other.get("/api/v1/phones/accounts").json()["accounts"]] == ["omar"]
    refused = other.post(
        "/api/v1/phones/accounts/npa-phone-1/setup", json={"password": body["password"]}
    )
    assert refused.status_code == 404
    # An admin sees every team's and names the organisation of a new one.
    admin = call("admin")
    everyone = admin.get("/api/v1/phones/accounts").json()
    assert {a["name"] for a in everyone["accounts"]} == {"npa-phone-1", "olga", "omar"}
    assert everyone["may_set_new_password"] is True
    halo = admin.post(
        "/api/v1/phones/accounts", json={"name": "halo-phone", "organisation": "HALO Trust"}
    )
    assert halo.status_code == 201 and halo.json()["organisation"] == "HALO Trust"
    # A leader's organisation is its own, whatever it asks.
    own = leader.post(
        "/api/v1/phones/accounts", json={"name": "npa-phone-2", "organisation": "HALO Trust"}
    )
    assert own.json()["organisation"] == "NPA"
    for caller in ("analyst", "authority", "anonymous"):
        assert call(caller).get("/api/v1/phones/accounts").status_code in (401, 403)
    taken = leader.post("/api/v1/phones/accounts", json={"name": "npa-phone-1"})
    assert taken.status_code == 409


def test_an_existing_account_is_set_up_with_its_own_password(call, server_url) -> None:
    _account_made_before_phones("npa-old-phone")
    leader = call("operator")
    (old,) = [
        a
        for a in leader.get("/api/v1/phones/accounts").json()["accounts"]
        if a["name"] == "npa-old-phone"
    ]
    assert old["digest_ready"] is False
    assert _collect(server_url, "npa-old-phone", OLD_PASSWORD) == 401

    wrong = leader.post(
        "/api/v1/phones/accounts/npa-old-phone/setup",
        json={"password": "a guess"},
        headers={"Accept-Language": "fr"},
    )
    assert wrong.status_code == 422 and "mot de passe" in wrong.json()["detail"]
    assert _digest_form("npa-old-phone") is None
    # A team leader may not cut off the account's phones with a new password.
    assert leader.post("/api/v1/phones/accounts/npa-old-phone/setup", json={}).status_code == 403

    given = leader.post(
        "/api/v1/phones/accounts/npa-old-phone/setup", json={"password": OLD_PASSWORD}
    )
    assert given.status_code == 200, given.text
    assert given.json()["new_password"] is False
    assert _settings(given.json()["payload"])["general"]["password"] == OLD_PASSWORD
    # Checking the password kept its Digest form: Collect can now sign in over http.
    assert _collect(server_url, "npa-old-phone", OLD_PASSWORD) == 200
    listed = leader.get("/api/v1/phones/accounts").json()["accounts"]
    assert [a["digest_ready"] for a in listed if a["name"] == "npa-old-phone"] == [True]

    # An admin makes a new one: the old password stops working, on phones and the web.
    renewed = call("admin").post("/api/v1/phones/accounts/npa-old-phone/setup", json={})
    assert renewed.status_code == 200 and renewed.json()["new_password"] is True
    fresh = renewed.json()["password"]
    assert fresh != OLD_PASSWORD and len(fresh) == 19
    assert _collect(server_url, "npa-old-phone", OLD_PASSWORD) == 401
    assert _collect(server_url, "npa-old-phone", fresh) == 200
    # Accounts of other roles are not phone accounts.
    assert call("admin").post("/api/v1/phones/accounts/anna/setup", json={}).status_code == 404


def test_a_sign_in_with_the_password_keeps_its_digest_form(call, server_url) -> None:
    _account_made_before_phones("web-user")
    _account_made_before_phones("basic-user")
    wrong = call("anonymous").post(
        "/api/v1/session", json={"user": "web-user", "password": "not it"}
    )
    assert wrong.status_code == 401 and _digest_form("web-user") is None
    signed_in = call("anonymous").post(
        "/api/v1/session", json={"user": "web-user", "password": OLD_PASSWORD}
    )
    assert signed_in.status_code == 201
    assert _collect(server_url, "web-user", OLD_PASSWORD) == 200

    # Basic (what Collect sends over https) keeps it too.
    assert _collect(server_url, "basic-user", OLD_PASSWORD) == 401
    basic = httpx.get(
        f"{server_url}/openrosa/formList", auth=("basic-user", OLD_PASSWORD), timeout=60
    )
    assert basic.status_code == 200
    assert _collect(server_url, "basic-user", OLD_PASSWORD) == 200
    audit = call("authority").get("/api/v1/audit", params={"object_type": "user"}).json()
    kept = [e["detail"]["name"] for e in audit["entries"] if e["action"] == "keep_digest"]
    assert kept == ["web-user", "basic-user"]  # once each


def test_an_admin_sets_a_password_by_the_api(call, server_url) -> None:
    _account_made_before_phones("reset-user")
    admin = call("admin")
    put = admin.put("/api/v1/users/reset-user/password", json={"password": "a new pass phrase"})
    assert put.status_code == 204, put.text
    assert _collect(server_url, "reset-user", "a new pass phrase") == 200
    assert _collect(server_url, "reset-user", OLD_PASSWORD) == 401
    old = call("anonymous").post(
        "/api/v1/session", json={"user": "reset-user", "password": OLD_PASSWORD}
    )
    assert old.status_code == 401
    for caller in ("authority", "operator"):
        refused = call(caller).put("/api/v1/users/olga/password", json={"password": "x" * 12})
        assert refused.status_code == 403
    short = admin.put("/api/v1/users/reset-user/password", json={"password": "short"})
    assert short.status_code == 422
    assert admin.put("/api/v1/users/nobody/password", json={"password": "x" * 12}).status_code == (
        404
    )


def test_the_command_line_sets_a_password(server_url, tokens) -> None:
    with engine().begin() as conn:
        create_user(conn, "cli-user", "NPA", Role.OPERATOR)  # tokens only: no password
    env = {**os.environ, "DATABASE_URL": os.environ["DATABASE_URL"]}
    done = subprocess.run(
        [sys.executable, "-m", "app", "users", "set-password", "cli-user", "--password-stdin"],
        input="typed on the terminal\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "password of cli-user set" in done.stdout
    assert _collect(server_url, "cli-user", "typed on the terminal") == 200
    missing = subprocess.run(
        [sys.executable, "-m", "app", "users", "set-password", "nobody", "--password-stdin"],
        input="x\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert missing.returncode == 1 and "nobody" in missing.stderr
    assert "Traceback" not in missing.stderr


@pytest.mark.parametrize("role", ["operator", "admin"])
def test_the_phones_page_is_for_team_leaders_and_admins(role) -> None:
    from app.auth.policy import Action, permits

    assert permits(Role(role), Action.SET_UP_PHONES)
    assert not permits(Role.ANALYST, Action.SET_UP_PHONES)
    assert not permits(Role.AUTHORITY, Action.SET_UP_PHONES)


def test_a_password_is_guessed_here_no_faster_than_at_sign_in(call) -> None:
    from app.settings import rate_settings

    _account_made_before_phones("npa-guessed")
    leader = call("operator")
    tries = rate_settings().sign_in_failures_per_account
    for i in range(tries):
        wrong = leader.post(
            "/api/v1/phones/accounts/npa-guessed/setup", json={"password": f"guess {i}"}
        )
        assert wrong.status_code == 422
    stopped = leader.post(
        "/api/v1/phones/accounts/npa-guessed/setup", json={"password": OLD_PASSWORD}
    )
    assert stopped.status_code == 429 and stopped.json()["code"] == "sign_in.too_many"
    # The same count as signing in: that is held up too.
    signed_in = call("anonymous").post(
        "/api/v1/session", json={"user": "npa-guessed", "password": OLD_PASSWORD}
    )
    assert signed_in.status_code == 429
