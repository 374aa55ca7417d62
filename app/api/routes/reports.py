"""Treaty reports: the Article 4.6 extension-request figures and the work plan."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from app.accounting import figures
from app.api.deps import AsOfDep, ConnectionDep, KnownAtDep
from app.api.security import allow, check
from app.auth.policy import Action
from app.auth.principal import Principal
from app.errors import NotFound
from app.ledger.states import Contamination
from app.reports import article_4_6, article_7
from app.reports.work_plan import METHODS, Capacity, project
from app.storage import programme as stored
from app.treaty.programme import Programme

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

Reader = Annotated[Principal, Depends(allow(Action.READ_TOTALS))]
ReportScope = Annotated[
    Contamination | Literal["all"],
    Query(alias="contamination", description="the model reported on; CCM figures: CMR"),
]
M2 = Annotated[float | None, Query(ge=0)]


def capacities(
    capacity_cancel: M2 = None,
    capacity_reduce: M2 = None,
    capacity_clear: M2 = None,
    cost_per_m2_cancel: M2 = None,
    cost_per_m2_reduce: M2 = None,
    cost_per_m2_clear: M2 = None,
) -> tuple[dict[str, float], dict[str, float]]:
    """Annual capacities (m²) and costs per m² given by the caller, by method."""
    given = {"cancel": capacity_cancel, "reduce": capacity_reduce, "clear": capacity_clear}
    costs = {"cancel": cost_per_m2_cancel, "reduce": cost_per_m2_reduce, "clear": cost_per_m2_clear}
    return (
        {m: v for m, v in given.items() if v is not None},
        {m: v for m, v in costs.items() if v is not None},
    )


Capacities = Annotated[tuple[dict[str, float], dict[str, float]], Depends(capacities)]


@router.get("/article-4-6", summary="Article 4.6 (d), (e), (f), the check, the annual table")
def article_4_6_report(
    conn: ConnectionDep,
    principal: Reader,
    as_of: AsOfDep,
    known_at: KnownAtDep,
    given: Capacities,
    contamination: ReportScope = Contamination.CMR,
) -> dict:
    programme = _programme(conn, known_at)
    scope = str(contamination.value if isinstance(contamination, Contamination) else "all")
    capacity = _capacity(conn, as_of, scope, known_at, given)
    return article_4_6.report(conn, programme, as_of, scope, known_at, capacity)


@router.get("/article-7", summary="Article 7: remaining areas, release and items in a year")
def article_7_report(
    conn: ConnectionDep,
    principal: Reader,
    year: Annotated[int, Query(ge=1990, le=2100, description="the calendar year reported on")],
    known_at: KnownAtDep,
    contamination: ReportScope = Contamination.CMR,
) -> dict:
    # The list of areas gives the location of uncleared land: signed-in callers only.
    check(principal, Action.READ_HAZARDS)
    scope = str(contamination.value if isinstance(contamination, Contamination) else "all")
    return article_7.report(conn, year, scope, known_at)


@router.get("/work-plan", summary="Remaining land by year, completion, extension needed, cost")
def work_plan(
    conn: ConnectionDep,
    principal: Reader,
    as_of: AsOfDep,
    known_at: KnownAtDep,
    given: Capacities,
    contamination: ReportScope = Contamination.CMR,
) -> dict:
    programme = _programme(conn, known_at)
    scope = str(contamination.value if isinstance(contamination, Contamination) else "all")
    remaining = figures.totals(conn, as_of, scope, known_at)
    capacity = _capacity(conn, as_of, scope, known_at, given)
    plan = project(
        remaining.sha_m2, remaining.cha_m2, as_of, programme.deadline_in_force(as_of), capacity
    )
    return {"as_of": as_of, "contamination": None if scope == "all" else scope, **plan}


def _programme(conn, known_at) -> Programme:
    document = stored.current(conn, known_at)
    if document is None:
        raise NotFound("no programme settings yet: the authority sets them at /api/v1/programme")
    return Programme.model_validate(document)


def _capacity(conn, as_of, scope, known_at, given) -> Capacity:
    m2, costs = given
    trailing = article_4_6.trailing_capacity(conn, as_of, scope, known_at, costs)
    if not m2:
        return trailing
    merged = {m: m2.get(m, trailing.m2_per_year[m]) for m in METHODS}
    defaulted = [m for m in METHODS if m not in m2]
    basis = "given by the caller" + (
        f"; {', '.join(defaulted)}: {trailing.basis}" if defaulted else ""
    )
    return Capacity(merged, costs, basis)
