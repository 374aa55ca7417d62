"""Accounts from the command line in the checkout, with no variable to set: the command line
finds the private cluster as scripts/pg.sh makes it, takes a password without a terminal
(standard input or an environment variable), and says in one sentence when there is no
database to reach."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import local_cluster

ROOT = Path(__file__).resolve().parent.parent
TEST_DATABASE = "landrelease_test"  # the database `make test` makes in the private cluster


def _bare_environment(**extra: str) -> dict[str, str]:
    """The environment of a shell in the checkout: no DATABASE_URL, no PG_PORT (the tests'
    database is named, as `make run`'s would be by default)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PG_PORT")}
    return {**env, "DB_NAME": TEST_DATABASE, **extra}


def _cli(*args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_bare_environment(**env),
        timeout=120,
    )


def _private_cluster() -> None:
    """These tests find the database as a shell in the checkout would: they need the tests'
    database to be the private cluster's (as `make test` makes it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DB_NAME", TEST_DATABASE)
        patch.delenv("PG_PORT", raising=False)
        found = local_cluster.database_url()
    if found is None or found != os.environ.get("DATABASE_URL"):
        pytest.skip("the tests run against a PostGIS of their own, not the private cluster")


def test_the_command_line_finds_the_cluster_as_the_script_does(migrated_database) -> None:
    _private_cluster()
    script = subprocess.run(
        ["scripts/pg.sh", "url"], capture_output=True, text=True, cwd=ROOT,
        env=_bare_environment(), check=True,
    )  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DB_NAME", TEST_DATABASE)
        patch.delenv("PG_PORT", raising=False)
        assert local_cluster.database_url() == script.stdout.strip()
    assert f"/{TEST_DATABASE}?" in script.stdout


def test_users_and_tokens_are_created_with_no_variable_set(call, tokens) -> None:
    _private_cluster()
    created = _cli(
        "users", "create", "--name", "sam", "--organisation", "MAG", "--role", "operator",
        "--password-stdin", stdin="a long pass phrase\n",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert "user sam (operator, MAG) created" in created.stdout
    signed_in = call("anonymous").post(
        "/api/v1/session", json={"user": "sam", "password": "a long pass phrase"}
    )
    assert signed_in.status_code == 201, signed_in.text

    from_env = _cli(
        "users", "create", "--name", "tia", "--organisation", "MAG", "--role", "analyst",
        "--password-env", "NEW_PASSWORD", NEW_PASSWORD="another pass phrase",
    )  # fmt: skip
    assert from_env.returncode == 0, from_env.stderr
    session = call("anonymous").post(
        "/api/v1/session", json={"user": "tia", "password": "another pass phrase"}
    )
    assert session.status_code == 201

    issued = _cli("tokens", "create", "--user", "sam")
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip().splitlines()[-1]
    me = call("anonymous").get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["user"] == "sam" and me.json()["organisation"] == "MAG"


def test_a_password_is_never_asked_for_without_a_terminal(call, tokens) -> None:
    _private_cluster()
    asked = _cli(
        "users", "create", "--name", "kim", "--organisation", "MAG", "--role", "operator",
        "--password", stdin="",
    )  # fmt: skip
    assert asked.returncode == 1
    assert "no terminal to ask the password on" in asked.stderr
    assert "--password-stdin" in asked.stderr and "Traceback" not in asked.stderr
    empty = _cli(
        "users", "create", "--name", "kim", "--organisation", "MAG", "--role", "operator",
        "--password-stdin", stdin="\n",
    )  # fmt: skip
    assert empty.returncode == 1 and "the password is empty" in empty.stderr
    unset = _cli(
        "users", "create", "--name", "kim", "--organisation", "MAG", "--role", "operator",
        "--password-env", "NOT_SET_ANYWHERE",
    )  # fmt: skip
    assert unset.returncode == 1 and "NOT_SET_ANYWHERE is not set" in unset.stderr
    refused = call("anonymous").post("/api/v1/session", json={"user": "kim", "password": "x"})
    assert refused.status_code == 401  # no user was made


def test_no_database_to_reach_is_said_in_one_sentence() -> None:
    done = _cli(
        "users", "create", "--name", "x", "--organisation", "y", "--role", "operator",
        DATABASE_URL="postgresql://nobody@127.0.0.1:1/none",
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach the database")
    assert "make run" in lines[0] and "DATABASE_URL" in lines[0]
