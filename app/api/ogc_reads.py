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
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from fastapi import FastAPI
from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.deps import request_transaction, transaction
from app.api.ogc_app import PATH, answer_to_failure, with_cors
from app.api.routes import ogc
from app.api.security import current_principal, principal_of
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
    """Threads for the reads, as many as the pool has connections: one more would wait for
    a connection. (A pool of our own: anyio's threads cost a capacity limiter per call.)"""
    settings = database_settings()
    return ThreadPoolExecutor(settings.pool_size * 2, thread_name_prefix="ogc-reads")


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
    with request_transaction(reads=True, snapshot=snapshot) as conn:
        principal = principal_of(conn, request.headers.get("authorization"), remote)
        if feature_id is None:
            return ogc.items(request, collection_id, conn, principal, ogc_settings())
        return ogc.item(request, collection_id, feature_id, conn, principal)
