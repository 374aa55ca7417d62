"""The OGC API's feature reads (a page of items, an item) answered by a short way.

They are what GIS clients ask for most, and most of a request's time went to the way to
them: the application's own layers (error pages, telemetry, body limits), the main
application's routes tried one by one, then the mounted application's, and its
dependencies each in a thread of their own (the transaction entered in one and left in
another, the caller looked up in a third, the route in a fourth). Here the path is matched
once, before the application's layers, and the route's own function runs with the
request's transaction and caller in one worker thread. What the answer goes through is the
same: the service's middlewares (security headers, language, body limits, the disconnect
watch, as ``create_app`` lists them), the OGC API's CORS, its error documents, and a 500
for what nothing answers. FastAPI's request telemetry (OpenTelemetry, when a provider is
configured) does not see these requests. Where a test or an embedding application
overrides a dependency, the mounted application answers them, as before.
"""

from __future__ import annotations

import asyncio
import contextvars
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache

from fastapi import FastAPI
from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, exc
from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.deps import request_transaction, transaction
from app.api.ogc_app import PATH, answer_to_failure, with_cors
from app.api.routes import ogc
from app.api.security import current_principal, principal_of
from app.cancellation import current_work
from app.db import PING_AFTER_REST_S, reads_engine
from app.ogc.kept import DataChanged
from app.settings import database_settings, ogc_settings

# /ogc/collections/{collection_id}/items and /ogc/collections/{collection_id}/items/{id}
FEATURES = re.compile(rf"^{PATH}/collections/([^/]+)/items(?:/([^/]+))?$")
OVERRIDABLE = (transaction, current_principal, ogc_settings)


class ReadsFirst(FastAPI):
    """The application: its OGC feature reads go to ``reads`` (set by ``create_app``)."""

    reads: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.reads is not None and scope["type"] == "http" and scope["method"] == "GET":
            found = FEATURES.match(get_route_path(scope))
            if found is not None and not self._overridden():
                await self.reads({**scope, "ogc_feature": found.groups()}, receive, send)
                return
        await super().__call__(scope, receive, send)

    def _overridden(self) -> bool:
        overrides = self.dependency_overrides
        return bool(overrides) and any(d in overrides for d in OVERRIDABLE)


def feature_reads() -> ASGIApp:
    """The answer to a feature read, with the OGC API's CORS."""
    return with_cors(_answer)


async def _answer(scope: Scope, receive: Receive, send: Send) -> None:
    request = Request(scope, receive)
    # The thread runs in the request's context: its language, its work (cancellation).
    context = contextvars.copy_context()
    response = await asyncio.get_running_loop().run_in_executor(
        _workers(), context.run, _respond, request
    )
    await response(scope, receive, send)


@lru_cache
def _workers() -> ThreadPoolExecutor:
    """Threads for the reads, one per connection of their pool (app.db.reads_engine), each
    keeping its own. (Threads of our own: anyio's cost a capacity limiter per call.)"""
    settings = database_settings()
    return ThreadPoolExecutor(settings.pool_size, thread_name_prefix="ogc-reads")


_kept = threading.local()


@contextmanager
def _kept_connection() -> Iterator[Connection]:
    """This thread's connection, in autocommit, kept between requests: taking one from a pool
    and giving it back cost about a fifth of an item's processor time. One that rested is
    pinged first, as the pool does (app.db), and replaced if it does not answer; one that a
    failure left broken or inside a transaction is given back."""
    conn: Connection | None = getattr(_kept, "conn", None)
    rested = conn is not None and time.monotonic() - _kept.used > PING_AFTER_REST_S
    if conn is not None and rested and not _answers(conn):
        conn.close()
        conn = None
    if conn is None:
        conn = reads_engine().connect().execution_options(isolation_level="AUTOCOMMIT")
        _kept.conn = conn
    try:
        with conn.begin():
            work = current_work()
            if work is None:
                yield conn
            else:
                with work.attached(conn.connection.dbapi_connection):  # type: ignore[arg-type]
                    yield conn
    finally:
        _kept.used = time.monotonic()
        if conn.invalidated or not _idle(conn):
            _kept.conn = None
            conn.close()


def _answers(conn: Connection) -> bool:
    try:
        conn.exec_driver_sql("SELECT 1")
        conn.commit()
    except exc.DBAPIError:
        return False
    return True


def _idle(conn: Connection) -> bool:
    dbapi = conn.connection.dbapi_connection
    return dbapi is not None and dbapi.info.transaction_status == TransactionStatus.IDLE


def _respond(request: Request) -> Response:
    """The answer of the OGC API's route, in this one thread, with the request's connection
    and caller. Its statements run without a snapshot of their own (no BEGIN and COMMIT:
    two round trips of three for most reads): an item is one statement, and a page and
    its count each say which data they saw. When a write came between them, the page is
    read again in one snapshot."""
    try:
        try:
            return _route(request, snapshot=False)
        except DataChanged:
            return _route(request, snapshot=True)
    except Exception as error:
        answer = answer_to_failure(error)
        if answer is None:
            raise
        return answer


def _route(request: Request, snapshot: bool) -> Response:
    collection_id, feature_id = request.scope["ogc_feature"]
    remote = request.client.host if request.client else None
    reading = request_transaction(reads=True) if snapshot else _kept_connection()
    with reading as conn:
        principal = principal_of(conn, request.headers.get("authorization"), remote)
        if feature_id is None:
            return ogc.items(request, collection_id, conn, principal, ogc_settings())
        return ogc.item(request, collection_id, feature_id, conn, principal)
