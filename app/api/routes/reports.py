"""Treaty reports: the Article 4.6 extension-request figures and the work plan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import FileResponse
from sqlalchemy import Connection

from app.accounting import figures
from app.api.anonymous_reads import FiguresReader, answered
from app.api.deps import AsOfDep, ConnectionDep, KnownAtDep
from app.api.layers import LAYER_FILE, LayerFormat, layer_file
from app.api.models.files import file_answer
from app.api.models.reports import Article7Report, Article46Report, WorkPlan
from app.api.security import allow, check
from app.auth.policy import Action
from app.auth.principal import Principal
from app.errors import NotFound
from app.ledger.states import Contamination
from app.reports import article_4_6, article_7, burndown, tables
from app.reports.work_plan import METHODS, Capacity, project
from app.storage import programme as stored
from app.storage.conditions import View
from app.treaty.programme import Programme

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

Reader = Annotated[Principal, Depends(allow(Action.READ_TOTALS))]


def report_scope(
    contamination: Annotated[
        Contamination | Literal["all"],
        Query(description="the scope reported on; CCM figures: CMR (the default)"),
    ] = Contamination.CMR,
) -> str:
    return contamination.value if isinstance(contamination, Contamination) else "all"


ReportScope = Annotated[str, Depends(report_scope)]
M2 = Annotated[float | None, Query(ge=0, allow_inf_nan=False)]
ReportFormat = Annotated[
    Literal["json", "csv", "xlsx", "html"],
    Query(description="json, csv (a zip of one file per table), xlsx (a sheet per table), html"),
]
MEDIA = {
    "csv": ("application/zip", "zip"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "html": ("text/html; charset=utf-8", "html"),
}
# The report as JSON (the model), or as tables in one of the other formats.
TABLES = file_answer(
    "the report: JSON, or its tables as csv (zip), xlsx or html",
    *(media.partition(";")[0] for media, _ in MEDIA.values()),
)


def _formatted(
    report: dict, fmt: str, name: str, title: str, to_tables: Callable[[dict], list]
) -> Response | dict:
    if fmt == "json":
        return report
    found = to_tables(report)
    body: bytes | str = (
        tables.to_csv_zip(found)
        if fmt == "csv"
        else tables.to_xlsx(found)
        if fmt == "xlsx"
        else tables.to_html(title, found)
    )
    media, suffix = MEDIA[fmt]
    disposition = "inline" if fmt == "html" else "attachment"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'{disposition}; filename="{name}.{suffix}"'},
    )


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


@router.get(
    "/article-4-6",
    response_model=Article46Report,
    responses=TABLES,
    summary="Article 4.6 (d), (e), (f), the check, the annual table",
)
def article_4_6_report(
    request: Request,
    conn: ConnectionDep,
    principal: FiguresReader,
    as_of: AsOfDep,
    known_at: KnownAtDep,
    given: Capacities,
    scope: ReportScope,
    format: ReportFormat = "json",
) -> Response | dict:
    def compute() -> Response | dict:
        programme, capacity = _plan_inputs(conn, as_of, scope, known_at, given)
        report = article_4_6.report(conn, programme, as_of, scope, known_at, capacity)
        name = f"article-4-6-{as_of.isoformat()}"
        title = "Article 4.6 extension request figures"
        return _formatted(report, format, name, title, tables.article_4_6_tables)

    return answered(request, principal, conn, compute)


@router.get(
    "/article-7",
    response_model=Article7Report,
    responses=TABLES,
    summary="Article 7: remaining areas, release and items in a year",
)
def article_7_report(
    conn: ConnectionDep,
    principal: Reader,
    year: Annotated[int, Query(ge=1990, le=2100, description="the calendar year reported on")],
    known_at: KnownAtDep,
    scope: ReportScope,
    format: ReportFormat = "json",
) -> Response | dict:
    # The list of areas gives the location of uncleared land: signed-in callers only.
    check(principal, Action.READ_HAZARDS)
    report = article_7.report(conn, year, scope, known_at)
    return _formatted(
        report, format, f"article-7-{year}", f"Article 7 report, {year}", tables.article_7_tables
    )


@router.get(
    "/article-7/areas",
    response_class=Response,
    responses=LAYER_FILE,
    summary="The contaminated areas of an Article 7 report, as a file",
)
def article_7_areas(
    conn: ConnectionDep,
    principal: Reader,
    year: Annotated[int, Query(ge=1990, le=2100)],
    known_at: KnownAtDep,
    scope: ReportScope,
    format: LayerFormat = "geojson",
) -> FileResponse:
    check(principal, Action.READ_HAZARDS)
    view = View(date(year, 12, 31), scope, known_at, frozenset())
    return layer_file(conn, "hazards", view, None, format, f"article-7-{year}-areas")


@router.get(
    "/article-4-6/areas",
    response_class=Response,
    responses=LAYER_FILE,
    summary="The areas remaining at the reference date, as a file",
)
def article_4_6_areas(
    conn: ConnectionDep,
    principal: Reader,
    as_of: AsOfDep,
    known_at: KnownAtDep,
    scope: ReportScope,
    format: LayerFormat = "geojson",
) -> FileResponse:
    check(principal, Action.READ_HAZARDS)
    view = View(as_of, scope, known_at, frozenset())
    return layer_file(conn, "hazards", view, None, format, f"article-4-6-{as_of}-areas")


@router.get(
    "/burndown.{extension}",
    response_class=Response,
    responses=file_answer("the chart", "image/svg+xml", "image/png"),
    summary="Burn-down chart: remaining area over time, history and projection",
)
def burndown_chart(
    request: Request,
    extension: Literal["svg", "png"],
    conn: ConnectionDep,
    principal: FiguresReader,
    as_of: AsOfDep,
    known_at: KnownAtDep,
    given: Capacities,
    scope: ReportScope,
) -> Response:
    def compute() -> Response:
        programme, capacity = _plan_inputs(conn, as_of, scope, known_at, given)
        image = burndown.chart(conn, programme, as_of, scope, capacity, known_at, extension)
        media = "image/svg+xml" if extension == "svg" else "image/png"
        return Response(image, media_type=media)

    return answered(request, principal, conn, compute)


@router.get(
    "/work-plan",
    response_model=WorkPlan,
    summary="Remaining land by year, completion, extension needed, cost",
)
def work_plan(
    request: Request,
    conn: ConnectionDep,
    principal: FiguresReader,
    as_of: AsOfDep,
    known_at: KnownAtDep,
    given: Capacities,
    scope: ReportScope,
) -> dict:
    def compute() -> dict:
        programme, capacity = _plan_inputs(conn, as_of, scope, known_at, given)
        remaining = figures.totals(conn, as_of, scope, known_at)
        deadline = programme.deadline_in_force(as_of)
        plan = project(remaining.sha_m2, remaining.cha_m2, as_of, deadline, capacity)
        return {"as_of": as_of, "contamination": None if scope == "all" else scope, **plan}

    return answered(request, principal, conn, compute)


def _programme(conn: Connection, known_at: datetime | None) -> Programme:
    document = stored.current(conn, known_at)
    if document is None:
        raise NotFound("no programme settings yet: the authority sets them at /api/v1/programme")
    return Programme.model_validate(document)


def _plan_inputs(
    conn: Connection,
    as_of: date,
    scope: str,
    known_at: datetime | None,
    given: tuple[dict[str, float], dict[str, float]],
) -> tuple[Programme, Capacity]:
    """The settings and the capacities a projection needs."""
    return _programme(conn, known_at), _capacity(conn, as_of, scope, known_at, given)


def _capacity(
    conn: Connection,
    as_of: date,
    scope: str,
    known_at: datetime | None,
    given: tuple[dict[str, float], dict[str, float]],
) -> Capacity:
    m2, costs = given
    defaulted = [m for m in METHODS if m not in m2]
    if not defaulted:  # all given: no need to read three years of history
        return Capacity(m2, costs, "given by the caller")
    trailing = article_4_6.trailing_capacity(conn, as_of, scope, known_at, costs)
    if not m2:
        return trailing
    merged = {m: m2.get(m, trailing.m2_per_year[m]) for m in METHODS}
    basis = "given by the caller" + (
        f"; {', '.join(defaulted)}: {trailing.basis}" if defaulted else ""
    )
    return Capacity(merged, costs, basis)
