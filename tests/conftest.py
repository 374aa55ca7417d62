"""Tests that need the database run against a real PostGIS whose schema comes from the
migrations; the others never touch it.

``make test`` creates the database and sets DATABASE_URL, which connects as the service's own
role (so every test shows the service works with the rights it is given and no more), and
OWNER_DATABASE_URL, the role that owns the tables: it migrates the database, gives the
service role its rights, and empties the tables before each test marked ``db``. A test is
marked ``db`` when it asks for a fixture that uses the database (its fixtures reach
``migrated_database``), or by hand when it calls ``engine()`` itself; ``browser`` and
``gis_client`` likewise follow the fixtures that install those clients. ``make test-fast``
runs the tests with none of these marks, with no database. API tests talk to a real uvicorn
server over a loopback socket.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from alembic import command
from alembic.config import Config
from hypothesis import settings
from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from app.db import engine, owner_engine
from app.settings import database_settings
from app.storage.privileges import grant_service_role
from app.storage.schema import drop_schema_objects

# The same examples on every run by default, so that a run is reproduced by running it again;
# HYPOTHESIS_PROFILE=explore draws new ones each time (and keeps failures in .hypothesis/).
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


# This run's temporary folder and the TMPDIR it replaced.
_PRIVATE_TMP = pytest.StashKey[tuple[str, str | None]]()


def pytest_configure(config: pytest.Config) -> None:
    """A temporary folder of this run's own for the service, its command line and the
    clients: the tests that check an upload leaves no folder behind are then not disturbed by
    other programs (or other test runs) using the machine's temporary folder."""
    private = tempfile.mkdtemp(prefix="landrelease-tests-")
    config.stash[_PRIVATE_TMP] = (private, os.environ.get("TMPDIR"))
    os.environ["TMPDIR"] = private
    tempfile.tempdir = private


def pytest_unconfigure(config: pytest.Config) -> None:
    private, previous = config.stash[_PRIVATE_TMP]
    tempfile.tempdir = None
    if previous is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = previous
    shutil.rmtree(private, ignore_errors=True)


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Every test calls from 127.0.0.1: the per-address limits on anonymous reads and sign-ins
# would stop the suite, not a caller. tests/test_rate_limits.py checks the limits in services
# of their own.
os.environ.setdefault("RATE_ANONYMOUS_REPORTS_PER_ADDRESS", "1000000")
os.environ.setdefault("RATE_SIGN_IN_PER_ADDRESS", "1000000")
LEDGER_TABLES = (
    "land_state, hazard_land, event_overshoots, event_voids, events, unmapped_hazards, hazards, "
    "imported_files, imports, programme_versions, audit_log, api_tokens, users, organisations, "
    "regions"
)
# The callers of the API tests: role -> (user, organisation).
CALLERS = {
    "admin": ("ada", "National Mine Action Authority"),
    "authority": ("aziz", "National Mine Action Authority"),
    "analyst": ("anna", "National Mine Action Authority"),
    "operator": ("olga", "NPA"),
    "other_operator": ("omar", "HALO Trust"),
}


# The fixture that marks a test, for each mark that follows from a fixture.
MARKING_FIXTURES = {
    "db": "migrated_database",
    "browser": "chromium_installed",
    "gis_client": "gis_clients_installed",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        for mark, fixture in MARKING_FIXTURES.items():
            if fixture in fixtures:
                item.add_marker(mark)


@pytest.fixture(autouse=True)
def _empty_tables_for_db_tests(request: pytest.FixtureRequest) -> None:
    """Only the tests marked ``db`` wait for the database and empty it."""
    if request.node.get_closest_marker("db") is not None:
        request.getfixturevalue("empty_ledger")


@pytest.fixture(scope="session")
def migrated_database() -> None:
    if "DATABASE_URL" not in os.environ:
        pytest.exit(
            "DATABASE_URL is not set: run the tests with `make test` "
            "(`make test-fast` runs those that need no database)",
            returncode=2,
        )
    with owner_engine().begin() as conn:
        drop_schema_objects(conn)
    config = Config(os.path.join(ROOT, "alembic.ini"))
    command.upgrade(config, "head")
    settings = database_settings()
    if settings.owner_url != settings.database_url:
        with owner_engine().begin() as conn:
            grant_service_role(conn, engine().url.username or "")


@pytest.fixture
def empty_ledger(migrated_database: None) -> None:
    # A browser test's last requests may still be served when the next test starts: wait
    # until the database is quiet, and try again if emptying it still meets one of them.
    for attempt in range(20):
        _wait_until_quiet()
        try:
            with owner_engine().begin() as conn:
                conn.execute(text("SET LOCAL lock_timeout = '2s'"))
                conn.execute(text(f"TRUNCATE {LEDGER_TABLES} RESTART IDENTITY CASCADE"))
            return
        except OperationalError:
            if attempt == 19:
                raise
            time.sleep(0.2)


def _wait_until_quiet(timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    with engine().connect() as conn:
        while time.monotonic() < deadline:
            busy = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
                    "AND state NOT IN ('idle')"
                )
            ).scalar_one()
            conn.rollback()
            if not busy:
                return
            time.sleep(0.05)


@pytest.fixture
def conn(migrated_database: None) -> Iterator[Connection]:
    """A connection whose work is committed as each use case's own transaction would be."""
    with engine().connect() as connection:
        yield connection


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server_url(migrated_database: None) -> Iterator[str]:
    from app.api.main import app

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", workers=1)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def tokens(empty_ledger: None) -> dict[str, str]:
    """A user and a token for each kind of caller."""
    from app.auth.principal import Role
    from app.services.accounts import create_token, create_user

    issued = {}
    with engine().begin() as conn:
        for caller, (name, organisation) in CALLERS.items():
            role = Role(caller.removeprefix("other_"))
            create_user(conn, name, organisation, role)
            issued[caller] = create_token(conn, name).token
    return issued


@pytest.fixture
def call(server_url: str, tokens: dict[str, str]) -> Iterator:
    """``call(caller)``: an HTTP client acting as that caller ("anonymous": no token)."""
    clients: list[httpx.Client] = []

    def client_for(caller: str) -> httpx.Client:
        headers = {} if caller == "anonymous" else {"Authorization": f"Bearer {tokens[caller]}"}
        http = httpx.Client(base_url=server_url, timeout=60, headers=headers)
        clients.append(http)
        return http

    yield client_for
    for http in clients:
        http.close()


@pytest.fixture
def client(call) -> httpx.Client:
    """The national authority's client."""
    return call("authority")


@pytest.fixture(scope="session")
def chromium_installed() -> str:
    """Debian's Chromium (installed on first use): the path of its executable."""
    from tests.support.clients import BROWSER, ensure_installed

    ensure_installed(BROWSER)
    return BROWSER.executable


@pytest.fixture(scope="session")
def browser(chromium_installed: str) -> Iterator:
    """Chromium driven by Playwright, one for the whole session (the browser tests)."""
    import shutil

    from playwright import sync_api as playwright_api

    executable = shutil.which("chromium") or chromium_installed
    with playwright_api.sync_playwright() as playwright:
        # SwiftShader gives the headless browser the WebGL that the map needs.
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=["--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def gis_clients_installed() -> None:
    """GDAL's command-line tools and headless QGIS with its OAPIF provider (installed on
    first use)."""
    from tests.support.clients import GIS_CLIENTS, ensure_installed

    ensure_installed(GIS_CLIENTS)
