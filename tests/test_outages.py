"""A database that is away, busy or slow: the service answers 503 with Retry-After and no
internal detail, every statement stops at its timeout, and a client that leaves takes its
database work with it."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

import httpx
import pytest
from sqlalchemy import make_url, text

from app.db import engine, owner_engine
from tests.support.servers import service
from tests.support.shapes import new_hazard, rect


def _away_url() -> str:
    """DATABASE_URL with a port nothing listens on: a database that is stopped."""
    url = make_url(engine().url.render_as_string(hide_password=False))
    query = dict(url.query)
    if "port" in query:
        query["port"] = "1"
        return url.set(query=query).render_as_string(hide_password=False)
    return url.set(port=1).render_as_string(hide_password=False)


@pytest.fixture
def database_away(migrated_database) -> str:
    with service(DATABASE_URL=_away_url(), DB_POOL_TIMEOUT_S="2") as url:
        yield url


@pytest.mark.parametrize(
    "path",
    [
        "/health",
        "/api/v1/totals",
        "/api/v1/reports/article-4-6",
        "/api/v1/hazards",
        "/ogc/collections/regions/items",
    ],
)
def test_a_stopped_database_answers_503_with_retry_after_and_no_detail(database_away, path):
    answer = httpx.get(database_away + path, headers={"Authorization": "Bearer lr_x"}, timeout=30)
    assert answer.status_code == 503, answer.text
    assert int(answer.headers["retry-after"]) >= 1
    text_ = answer.text
    # Nothing about where the database lives or how it failed.
    for secret in ("port", "socket", "host", "psycopg", ".pgdata", "127.0.0.1", "Traceback"):
        assert secret not in text_, (secret, text_)
    body = answer.json()
    if path == "/health":
        assert body["database"] == "unreachable"
    elif path.startswith("/ogc"):  # an OGC exception document
        assert body["code"] == "ServiceUnavailable"
    else:
        assert body["code"] == "database.unavailable"


def test_the_503_is_said_in_the_callers_language(database_away) -> None:
    answer = httpx.get(
        database_away + "/api/v1/totals", headers={"Accept-Language": "fr"}, timeout=30
    )
    assert answer.status_code == 503
    assert "injoignable" in answer.json()["detail"]


@pytest.fixture
def land_locked(empty_ledger):
    """The land state locked by another transaction (as the owner), until the test ends:
    every request reading it waits."""
    connection = owner_engine().connect()
    connection.execute(text("LOCK TABLE land_state IN ACCESS EXCLUSIVE MODE"))
    yield
    connection.rollback()
    connection.close()


def test_an_exhausted_pool_answers_503_and_a_slow_statement_stops_at_its_timeout(
    land_locked,
) -> None:
    settings = {"DB_POOL_SIZE": "1", "DB_POOL_TIMEOUT_S": "0.5", "DB_STATEMENT_TIMEOUT_S": "8"}
    with service(**settings) as url, ThreadPoolExecutor(2) as pool:
        # The pool's two connections (one, and one more) wait on the lock...
        waiting = [pool.submit(httpx.get, url + "/api/v1/totals", timeout=60) for _ in range(2)]
        _wait_for_queries(2)
        # ...so a third request finds no connection: 503 at once, not a 500 after 30 s.
        started = time.monotonic()
        busy = httpx.get(url + "/api/v1/totals", timeout=60)
        assert busy.status_code == 503, busy.text
        assert busy.json()["code"] == "service.busy"
        assert busy.headers["retry-after"]
        assert time.monotonic() - started < 3
        # The two waiting ones stop at the statement timeout.
        for future in waiting:
            slow = future.result()
            assert slow.status_code == 503, slow.text
            assert slow.json()["code"] == "request.too_long"
            assert slow.headers["retry-after"]


def _wait_for_queries(count: int) -> None:
    deadline = time.monotonic() + 10
    while _waiting_queries() < count:
        assert time.monotonic() < deadline, "the requests never reached the database"
        time.sleep(0.05)


def _waiting_queries() -> int:
    """Statements of the service's role waiting on a lock now (asked as that role: only
    its own sessions' state is shown to it)."""
    with engine().connect() as conn:
        return conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = current_user "
                "AND state = 'active' AND wait_event_type = 'Lock'"
            )
        ).scalar_one()


def test_a_client_that_leaves_takes_its_database_work_with_it(
    server_url, land_locked, tokens
) -> None:
    """Without the cancel, the statement would wait on the lock for its full timeout."""
    headers = {"Authorization": f"Bearer {tokens['analyst']}"}

    def ask() -> None:
        # The client gives up after a second and closes its connection.
        with suppress(httpx.TimeoutException):
            httpx.get(server_url + "/api/v1/totals", headers=headers, timeout=1.0)

    asking = threading.Thread(target=ask)
    asking.start()
    _wait_for_queries(1)
    asking.join()
    deadline = time.monotonic() + 5
    while _waiting_queries() > 0:
        assert time.monotonic() < deadline, "the query still runs after its client left"
        time.sleep(0.05)


def test_a_write_may_run_longer_than_a_read(client) -> None:
    """Writes (imports, replays) get their own statement timeout: recording works."""
    answer = client.post("/api/v1/hazards", json=new_hazard("W-1", rect(0, 0, 100, 100)))
    assert answer.status_code == 201
