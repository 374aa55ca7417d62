"""Dependencies shared by the routes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy import Connection

from app.cancellation import current_work
from app.dates import check_plausible
from app.db import engine
from app.ledger.states import Contamination
from app.settings import (
    ApiSettings,
    LedgerSettings,
    api_settings,
    database_settings,
    ledger_settings,
)
from app.storage.session import allow_statements_for

# Requests that only read.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def transaction(request: Request) -> Iterator[Connection]:
    """One transaction per request: committed when the handler returns, rolled back on error.

    A request that reads sees one snapshot of the database from its first statement to its
    last (REPEATABLE READ, read only): figures combined from several queries agree with each
    other whatever writers commit meanwhile. A request that writes may run its statements
    longer than one that reads. The connection is the request's work: cancelled when its
    client leaves (app.cancellation).
    """
    with request_transaction(request.method in SAFE_METHODS) as conn:
        yield conn


@contextmanager
def request_transaction(reads: bool, snapshot: bool = True) -> Iterator[Connection]:
    """A transaction of the request being answered (see ``transaction``), for a route that
    must not hold a connection for all its time (signing in waits for a password hash).

    ``snapshot=False``: a read whose statements need no snapshot of their own (one
    statement, or statements that check they read the same data: app.api.ogc_reads) runs
    without BEGIN and COMMIT, two round trips fewer."""
    with engine().connect() as conn:
        if reads and not snapshot:
            conn.execution_options(isolation_level="AUTOCOMMIT")
        elif reads:
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            if not reads:
                allow_statements_for(conn, database_settings().write_statement_timeout_s)
            work = current_work()
            if work is None:
                yield conn
                return
            with work.attached(conn.connection.dbapi_connection):  # type: ignore[arg-type]
                yield conn


# The transaction commits when the route returns, before the response leaves: a client that
# got 201 reads its own write at once, and a failed commit is an error, not a lost write.
ConnectionDep = Annotated[Connection, Depends(transaction, scope="function")]
LedgerSettingsDep = Annotated[LedgerSettings, Depends(ledger_settings)]
ApiSettingsDep = Annotated[ApiSettings, Depends(api_settings)]


def as_of_date(
    as_of: Annotated[
        date | None,
        Query(description="figures after every fact dated this day or earlier; default today"),
    ] = None,
) -> date:
    if as_of is None:
        return date.today()
    check_plausible(as_of, "as_of")
    return as_of


def contamination_scope(
    contamination: Annotated[
        Contamination | None,
        Query(description="run the land-state model on hazards of this type only (CCM: CMR)"),
    ] = None,
) -> str:
    return contamination.value if contamination else "all"


AsOfDep = Annotated[date, Depends(as_of_date)]
ScopeDep = Annotated[str, Depends(contamination_scope)]


def known_at_time(
    known_at: Annotated[
        datetime | None,
        Query(description="the figures as the database held them at this moment (ISO 8601)"),
    ] = None,
) -> datetime | None:
    if known_at is None:
        return None
    check_plausible(known_at, "known_at")
    if known_at.tzinfo is None:
        known_at = known_at.replace(tzinfo=UTC)  # a time without zone is UTC
    return known_at


KnownAtDep = Annotated[datetime | None, Depends(known_at_time)]
