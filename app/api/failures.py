"""Database failures that are no fault of the request, said as such: 503 with Retry-After and
no internal detail (no host, socket path or SQL), for the API and the OGC API alike."""

from __future__ import annotations

import logging
from collections.abc import Callable

import psycopg
from fastapi import FastAPI, Request, Response
from sqlalchemy import exc

from app.cancellation import ClientGone
from app.errors import LandReleaseError, ServiceUnavailable
from app.settings import database_settings

log = logging.getLogger("landrelease.database")

# What a failure of the database looks like from here: the pool had no free connection in
# time, the server is away or went away, or a statement ran out of time.
FAILURES: tuple[type[Exception], ...] = (
    exc.TimeoutError,
    exc.OperationalError,
    exc.InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)
QUERY_CANCELED = "57014"


def handle_failures(application: FastAPI, respond: Callable[[LandReleaseError], Response]) -> None:
    """Register on ``application`` the answers to database failures (``respond`` writes the
    503 as the application writes its errors) and to a client that left."""

    async def database_failure(_: Request, error: Exception) -> Response:
        return respond(unavailable(error))

    async def client_gone(_: Request, __: Exception) -> Response:
        return Response(status_code=499)  # nobody reads it: the client has gone

    for failure in FAILURES:
        application.add_exception_handler(failure, database_failure)
    application.add_exception_handler(ClientGone, client_gone)


def unavailable(error: Exception) -> ServiceUnavailable:
    """The answer to a database failure; the failure itself goes to the log only."""
    settings = database_settings()
    wait = settings.retry_after_s
    if isinstance(error, exc.TimeoutError):
        log.warning("no free database connection: %s", error)
        return ServiceUnavailable(
            f"the service is busy: try again in {wait} s",
            retry_after_s=wait,
            code="service.busy",
            params={"seconds": wait},
        )
    original = error.orig if isinstance(error, exc.DBAPIError) else error
    if getattr(original, "sqlstate", None) == QUERY_CANCELED:
        log.warning("a statement ran out of time: %s", original)
        return ServiceUnavailable(
            "the request needed more time than a query may take: ask for less, or try again "
            f"in {wait} s",
            retry_after_s=wait,
            code="request.too_long",
            params={"seconds": wait},
        )
    log.warning("the database cannot be reached: %s", original)
    return ServiceUnavailable(
        f"the database cannot be reached: try again in {wait} s",
        retry_after_s=wait,
        code="database.unavailable",
        params={"seconds": wait},
    )
