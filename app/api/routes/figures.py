"""National figures: totals as of a date and the land-release balance over a period."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Connection

from app.accounting import figures
from app.api.deps import AsOfDep, ConnectionDep, KnownAtDep, ScopeDep
from app.api.security import allow, check
from app.auth.policy import Action
from app.auth.principal import Principal
from app.errors import InvalidInput
from app.ledger.states import Contamination
from app.services import preview

router = APIRouter(prefix="/api/v1", tags=["figures"])

Reader = Annotated[Principal, Depends(allow(Action.READ_TOTALS))]
PeriodStart = Annotated[date, Query(alias="from", description="start of the period (excluded)")]
PeriodEnd = Annotated[date | None, Query(alias="to", description="end (included); default today")]
GroupBy = Annotated[
    Literal["contamination", "hazard_class", "region"] | None,
    Query(
        description="split the figures: per contamination type (each type's own model, "
        "which may overlap) or per class of the owning hazard (adds up to the total)"
    ),
]
IncludePending = Annotated[
    bool,
    Query(description="authority only: preview the figures with pending submissions approved"),
]


@router.get("/totals", summary="Contaminated land (SHA, CHA) as of a date, each m² once")
def totals(
    conn: ConnectionDep,
    principal: Reader,
    as_of: AsOfDep,
    scope: ScopeDep,
    known_at: KnownAtDep,
    include_pending: IncludePending = False,
    group_by: GroupBy = None,
) -> dict:
    result = figures.totals(conn, as_of, scope, known_at).as_dict()
    if group_by is not None:
        result["groups"] = _groups(conn, group_by, as_of, scope, known_at, include_pending)
    if _preview(principal, include_pending, known_at):
        difference = preview.with_all_pending(conn, scope)
        if difference is not None:
            added = figures.parcel_totals(difference.added, as_of)
            removed = figures.parcel_totals(difference.removed, as_of)
            result["sha_m2"] += added["SHA"] - removed["SHA"]
            result["cha_m2"] += added["CHA"] - removed["CHA"]
            result["remaining_m2"] = result["sha_m2"] + result["cha_m2"]
    return _labelled(result, scope, known_at, include_pending)


@router.get("/land-release", summary="Land released by method over (from, to], with the balance")
def land_release(
    conn: ConnectionDep,
    principal: Reader,
    scope: ScopeDep,
    known_at: KnownAtDep,
    start: Annotated[date, Query(alias="from", description="start of the period (excluded)")],
    end: Annotated[
        date | None, Query(alias="to", description="end (included); default today")
    ] = None,
    include_pending: IncludePending = False,
) -> dict:
    end = end or date.today()
    if end < start:
        raise InvalidInput(f"to ({end}) is before from ({start})", field="to")
    official = figures.land_release(conn, start, end, scope, known_at)
    if _preview(principal, include_pending, known_at):
        difference = preview.with_all_pending(conn, scope)
        if difference is not None:
            official = figures.with_difference(official, difference.added, difference.removed)
    return _labelled(official.as_dict(), scope, known_at, include_pending)


def _groups(
    conn: Connection,
    group_by: str,
    as_of: date,
    scope: str,
    known_at: datetime | None,
    include_pending: bool,
) -> dict[str, dict]:
    if include_pending:
        raise InvalidInput("group_by and include_pending cannot be combined yet", field="group_by")
    if group_by == "region":
        raise InvalidInput(
            "regions are not loaded yet: figures per region need administrative boundaries",
            field="group_by",
        )
    if group_by == "contamination":
        # Each type's own model: a point contaminated twice counts in both types.
        return {
            c.value: figures.totals(conn, as_of, c.value, known_at).as_dict()
            for c in Contamination
            if scope in ("all", c.value)
        }
    return {
        cls: totals.as_dict()
        for cls, totals in figures.totals_by_hazard_class(conn, as_of, scope, known_at).items()
    }


def _preview(principal: Principal, include_pending: bool, known_at: datetime | None) -> bool:
    if not include_pending:
        return False
    check(principal, Action.PREVIEW_PENDING)
    if known_at is not None:
        raise InvalidInput(
            "include_pending previews today's submissions: drop known_at", field="include_pending"
        )
    return True


def _labelled(result: dict, scope: str, known_at: datetime | None, pending: bool) -> dict:
    return {
        **result,
        "contamination": None if scope == "all" else scope,
        "known_at": known_at,
        "include_pending": pending,
    }
