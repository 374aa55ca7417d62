"""National figures: totals as of a date and the land-release balance over a period."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from sqlalchemy import Connection

from app.accounting import by_region, figures, previewed
from app.api.anonymous_reads import FiguresReader, answered
from app.api.deps import AsOfDep, ConnectionDep, KnownAtDep, ScopeDep
from app.api.models.figures import LandReleaseAnswer, TotalsAnswer
from app.api.security import check
from app.auth.policy import Action
from app.auth.principal import Principal
from app.dates import check_plausible
from app.errors import InvalidInput
from app.ledger.states import Contamination
from app.services import preview
from app.storage import unmapped

router = APIRouter(prefix="/api/v1", tags=["figures"])

PeriodStart = Annotated[date, Query(alias="from", description="start of the period (excluded)")]
PeriodEnd = Annotated[date | None, Query(alias="to", description="end (included); default today")]
GroupBy = Annotated[
    Literal["contamination", "hazard_class", "region"] | None,
    Query(
        description="split the figures: per administrative region (land crossing a boundary "
        "split by its geometry; adds up to the total), per contamination type (each type's "
        "own scope, which may overlap) or per class of the owning hazard (adds up to the total)"
    ),
]
RegionLevel = Annotated[
    int, Query(ge=1, le=4, description="with group_by=region: 1 province, 2 district")
]
IncludePending = Annotated[
    bool,
    Query(description="authority only: preview the figures with pending submissions approved"),
]


@router.get(
    "/totals",
    response_model=TotalsAnswer,
    response_model_exclude_unset=True,  # groups only when asked for
    summary="Contaminated land (SHA, CHA) as of a date, each m² once",
)
def totals(
    request: Request,
    conn: ConnectionDep,
    principal: FiguresReader,
    as_of: AsOfDep,
    scope: ScopeDep,
    known_at: KnownAtDep,
    include_pending: IncludePending = False,
    group_by: GroupBy = None,
    region_level: RegionLevel = 1,
) -> dict:
    def compute() -> dict:
        return _totals(
            conn, principal, as_of, scope, known_at, include_pending, group_by, region_level
        )

    return answered(request, principal, conn, compute)


def _totals(
    conn: Connection,
    principal: Principal,
    as_of: date,
    scope: str,
    known_at: datetime | None,
    include_pending: bool,
    group_by: str | None,
    region_level: int,
) -> dict:
    official = figures.totals(conn, as_of, scope, known_at)
    groups = None
    if group_by is not None:
        _refuse_grouped_preview(include_pending)
        groups = _total_groups(conn, group_by, region_level, as_of, scope, known_at)
    if _preview(principal, include_pending, known_at):
        difference = preview.with_all_pending(conn, scope)
        if difference is not None:
            official = previewed.shifted_totals(official, difference.added, difference.removed)
    result = official.as_dict()
    result["not_mapped"] = unmapped.declared(conn, as_of, scope, known_at).as_dict()
    if groups is not None:
        result["groups"] = groups
    return _labelled(result, scope, known_at, include_pending)


@router.get(
    "/land-release",
    response_model=LandReleaseAnswer,
    response_model_exclude_unset=True,  # groups only when asked for
    summary="Land released by method over (from, to], with the balance",
)
def land_release(
    request: Request,
    conn: ConnectionDep,
    principal: FiguresReader,
    scope: ScopeDep,
    known_at: KnownAtDep,
    start: Annotated[date, Query(alias="from", description="start of the period (excluded)")],
    end: Annotated[
        date | None, Query(alias="to", description="end (included); default today")
    ] = None,
    include_pending: IncludePending = False,
    group_by: GroupBy = None,
    region_level: RegionLevel = 1,
) -> dict:
    end = end or date.today()
    check_plausible(start, "from")
    check_plausible(end, "to")
    if end < start:
        raise InvalidInput(
            code="figures.to_before_from",
            params={"to": end.isoformat(), "from": start.isoformat()},
            field="to",
        )

    def compute() -> dict:
        return _land_release(
            conn, principal, start, end, scope, known_at, include_pending, group_by, region_level
        )

    return answered(request, principal, conn, compute)


def _land_release(
    conn: Connection,
    principal: Principal,
    start: date,
    end: date,
    scope: str,
    known_at: datetime | None,
    include_pending: bool,
    group_by: str | None,
    region_level: int,
) -> dict:
    official = figures.land_release(conn, start, end, scope, known_at)
    groups = None
    if group_by is not None:
        _refuse_grouped_preview(include_pending)
        groups = _release_groups(conn, group_by, region_level, start, end, scope, known_at)
    if _preview(principal, include_pending, known_at):
        difference = preview.with_all_pending(conn, scope)
        if difference is not None:
            official = previewed.shifted_land_release(
                official, difference.added, difference.removed
            )
    result = official.as_dict()
    result["not_mapped"] = unmapped.declared(conn, end, scope, known_at).as_dict()
    if groups is not None:
        result["groups"] = groups
    return _labelled(result, scope, known_at, include_pending)


def _refuse_grouped_preview(include_pending: bool) -> None:
    if include_pending:
        raise InvalidInput(code="figures.grouped_preview", field="group_by")


def _total_groups(
    conn: Connection,
    group_by: str,
    region_level: int,
    as_of: date,
    scope: str,
    known_at: datetime | None,
) -> dict[str, dict]:
    if group_by == "region":
        rows = by_region.totals(conn, as_of, region_level, scope, known_at)
        return {row["code"]: row for row in rows}
    if group_by == "contamination":
        # Each type's own scope: a point contaminated twice counts in both types.
        return {c: figures.totals(conn, as_of, c, known_at).as_dict() for c in _types(scope)}
    return {
        cls: totals.as_dict()
        for cls, totals in figures.totals_by_hazard_class(conn, as_of, scope, known_at).items()
    }


def _release_groups(
    conn: Connection,
    group_by: str,
    region_level: int,
    start: date,
    end: date,
    scope: str,
    known_at: datetime | None,
) -> dict[str, dict]:
    if group_by == "region":
        rows = by_region.land_release(conn, start, end, region_level, scope, known_at)
        return {row["code"]: row for row in rows}
    if group_by == "contamination":
        return {
            c: figures.land_release(conn, start, end, c, known_at).as_dict() for c in _types(scope)
        }
    found = figures.land_release_by_hazard_class(conn, start, end, scope, known_at)
    return {cls: balance.as_dict() for cls, balance in found.items()}


def _types(scope: str) -> list[str]:
    return [c.value for c in Contamination if scope in ("all", c.value)]


def _preview(principal: Principal, include_pending: bool, known_at: datetime | None) -> bool:
    if not include_pending:
        return False
    check(principal, Action.PREVIEW_PENDING)
    if known_at is not None:
        raise InvalidInput(code="figures.preview_known_at", field="include_pending")
    return True


def _labelled(result: dict, scope: str, known_at: datetime | None, pending: bool) -> dict:
    return {
        **result,
        "contamination": None if scope == "all" else scope,
        "known_at": known_at,
        "include_pending": pending,
    }
