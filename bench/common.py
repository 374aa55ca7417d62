"""What the benchmarks share: a fresh schema, the service in a subprocess, timing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.db import engine, owner_engine  # noqa: E402
from app.settings import database_settings  # noqa: E402
from app.storage.privileges import grant_service_role  # noqa: E402
from app.storage.schema import drop_schema_objects  # noqa: E402


def fresh_schema() -> None:
    """The schema made anew by the migrations (as the owner role), the service role's
    rights given."""
    with owner_engine().begin() as conn:
        drop_schema_objects(conn)
    command.upgrade(Config(str(ROOT / "alembic.ini")), "head")
    if database_settings().owner_url != database_settings().database_url:
        with owner_engine().begin() as conn:
            grant_service_role(conn, engine().url.username or "")


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen) -> None:
    for _ in range(300):
        try:
            if httpx.get(url).status_code < 500:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{url} did not answer")


def serve(*options: str) -> tuple[subprocess.Popen, str]:
    """The service on a free port, one worker, as `make run` starts it (plus ``options`` of
    `python -m app serve`)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port), *options],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/health", process)
    return process, url


def socket_parts() -> dict[str, str]:
    """Database name, user, socket folder (or host) and port of DATABASE_URL."""
    url = make_url(database_settings().database_url)
    return {
        "dbname": url.database or "",
        "user": url.username or "",
        "host": str(url.query.get("host") or url.host or ""),
        "port": str(url.query.get("port") or url.port or 5432),
    }


def pg_connection_string() -> str:
    """DATABASE_URL as GDAL's PG: connection string."""
    parts = socket_parts()
    return "PG:" + " ".join(f"{key}={value}" for key, value in parts.items() if value)
