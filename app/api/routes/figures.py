"""National figures: totals as of a date and the land-release balance over a period."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from app.accounting import figures
from app.api.deps import AsOfDep, ConnectionDep, ScopeDep
from app.errors import InvalidInput

router = APIRouter(prefix="/api/v1", tags=["figures"])


@router.get("/totals", summary="Contaminated land (SHA, CHA) as of a date, each m² once")
def totals(conn: ConnectionDep, as_of: AsOfDep, scope: ScopeDep) -> dict:
    return {**figures.totals(conn, as_of, scope).as_dict(), "contamination": _label(scope)}


@router.get("/land-release", summary="Land released by method over (from, to], with the balance")
def land_release(
    conn: ConnectionDep,
    scope: ScopeDep,
    start: Annotated[date, Query(alias="from", description="start of the period (excluded)")],
    end: Annotated[
        date | None, Query(alias="to", description="end (included); default today")
    ] = None,
) -> dict:
    end = end or date.today()
    if end < start:
        raise InvalidInput(f"to ({end}) is before from ({start})", field="to")
    result = figures.land_release(conn, start, end, scope).as_dict()
    return {**result, "contamination": _label(scope)}


def _label(scope: str) -> str | None:
    return None if scope == "all" else scope
