"""Dependencies shared by the routes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import Depends, Query
from sqlalchemy import Connection

from app.db import transaction
from app.ledger.states import Contamination
from app.settings import ApiSettings, LedgerSettings, api_settings, ledger_settings

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
    return as_of or date.today()


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
    if known_at is not None and known_at.tzinfo is None:
        known_at = known_at.replace(tzinfo=UTC)  # a time without zone is UTC
    return known_at


KnownAtDep = Annotated[datetime | None, Depends(known_at_time)]
