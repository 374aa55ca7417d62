"""The database engines: the service's (its own role, every statement under a timeout) and the
owner's (migrations, grants and the maintenance commands)."""

from __future__ import annotations

import threading
import time
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.pool import ConnectionPoolEntry, NullPool, PoolProxiedConnection

from app.cancellation import refuse_if_client_gone
from app.settings import database_settings

_creating = threading.Lock()


def engine() -> Engine:
    """The service's connections: a statement running longer than the setting is cancelled
    by the server itself (requests that write raise the limit for their transaction), and
    none starts for a client that has gone. Made once: the first requests of a new process
    arrive together, and two engines would hold two pools."""
    with _creating:
        return _engine()


@lru_cache
def _engine() -> Engine:
    size = database_settings().pool_size
    return _service_engine(pool_size=size, max_overflow=size)


def reads_engine() -> Engine:
    """Connections of the OGC API's feature reads (app.api.ogc_reads), a pool of their own:
    each of the reads' threads keeps one between requests, which must not take them from
    the other requests."""
    with _creating:
        return _reads_engine()


@lru_cache
def _reads_engine() -> Engine:
    return _service_engine(pool_size=database_settings().pool_size, max_overflow=0)


def _service_engine(pool_size: int, max_overflow: int) -> Engine:
    settings = database_settings()
    timeout_ms = round(settings.statement_timeout_s * 1000)
    created = create_engine(
        settings.database_url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=settings.pool_timeout_s,
        # The connection used last is given out first: its server process has loaded what a
        # write needs (an import's second connection, used only to draw land, would
        # otherwise be the next one given out, and the next import would pay for warming it).
        pool_use_lifo=True,
        connect_args={"options": f"-c statement_timeout={timeout_ms}"},
    )
    event.listen(created, "before_cursor_execute", _before_statement)
    event.listen(created.pool, "checkin", _rested)
    event.listen(created.pool, "checkout", _checked_if_rested)
    return created


# A connection back from a request is used again at once while requests keep coming: it is
# pinged (a round trip) only when it has rested this long, time enough for the server to
# have restarted or a firewall to have dropped it. One that breaks in use fails its
# request, and the pool replaces it (a request that fails so is answered 503).
PING_AFTER_REST_S = 10.0


def _rested(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    record.info["rested_since"] = time.monotonic()


def _checked_if_rested(
    dbapi_connection: Any, record: ConnectionPoolEntry, proxy: PoolProxiedConnection
) -> None:
    """Ping a connection that rested: one that does not answer is replaced (the pool asks
    for another on DisconnectionError)."""
    rested = record.info.get("rested_since")
    if rested is None or time.monotonic() - rested < PING_AFTER_REST_S:
        return
    try:
        dbapi_connection.execute("SELECT 1")
        if dbapi_connection.info.transaction_status != TransactionStatus.IDLE:
            dbapi_connection.rollback()
    except psycopg.Error as error:
        raise exc.DisconnectionError(str(error)) from error


def _before_statement(*_: Any) -> None:
    refuse_if_client_gone()


@lru_cache
def owner_engine() -> Engine:
    """Connections as the role that owns the tables, without a pool (a command's one
    connection)."""
    return create_engine(database_settings().owner_url, poolclass=NullPool)
