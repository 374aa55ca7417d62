"""Treaty reports: the Article 4.6 extension-request figures and the work plan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import FileResponse
from sqlalchemy import Connection

from app.accounting import figures
from app.api.deps import AsOfDep, ConnectionDep, KnownAtDep
from app.api.layers import LAYER_FILE, LayerFormat, layer_file
from app.api.models.files import file_answer
from app.api.models.reports import Article7Report, Article46Report, WorkPlan
from app.api.security import allow, check
from app.auth.policy import Action
from app.auth.principal import Principal
from app.errors import NotFound
from app.i18n.language import current_language
from app.ledger.states import Contamination
from app.reports import article_4_6, article_7, burndown, tables
from app.reports.heading import Heading
from app.reports.labels import Labels
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
M2 = Annotated[float | None, Query(ge=0)]
ReportFormat = Annotated[
    Literal["json", "csv", "xlsx", "html", "pdf"],
    Query(
        description="json, csv (a zip of one file per table), xlsx (a sheet per table), html "
        "(the printable page), pdf (that page as PDF)"
    ),
]
MEDIA = {
    "csv": ("application/zip", "zip"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "html": ("text/html; charset=utf-8", "html"),
    "pdf": ("application/pdf", "pdf"),
}
# The report as JSON (the model), or as tables in one of the other formats.
TABLES = file_answer(
    "the report: JSON, or its tables as csv (zip), xlsx, html or pdf",
    *(media.partition(";")[0] for media, _ in MEDIA.values()),
)


def _formatted(
    report: dict,
    fmt: str,
    name: str,
    heading: Heading,
    to_tables: Callable[[dict, Labels], list],
    labels: Labels,
) -> Response | dict:
    """The report as JSON, or as tables in ``fmt``, in the language of ``labels``."""
    if fmt == "json":
        return _told(report, labels)
    found = to_tables(report, labels)
    body: bytes | str
    if fmt == "csv":
        body = tables.to_csv_zip(found)
    elif fmt == "xlsx":
        body = tables.to_xlsx(found, heading, labels)
    elif fmt == "pdf":
        body = tables.to_pdf(tables.to_html(found, heading, labels))
    else:
        body = tables.to_html(found, heading, labels)
    media, suffix = MEDIA[fmt]
    disposition = "inline" if fmt == "html" else "attachment"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'{disposition}; filename="{name}.{suffix}"'},
    )


def _told(report: dict, labels: Labels) -> dict:
    """A report or plan with the capacity basis of its work plan in the reader's words."""
    plan = report.get("work_plan", report)
    basis = plan.get("capacity_basis")
    if isinstance(basis, dict):
        plan = {**plan, "capacity_basis": labels.told(basis)}
        return {**report, "work_plan": plan} if "work_plan" in report else plan
    return report


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
    conn: ConnectionDep,
    principal: Reader,
    as_of: AsOfDep,
    known_at: KnownAtDep,
    given: Capacities,
    scope: ReportScope,
    format: ReportFormat = "json",
) -> Response | dict:
    programme, capacity = _plan_inputs(conn, as_of, scope, known_at, given)
    report = article_4_6.report(conn, programme, as_of, scope, known_at, capacity)
    name = f"article-4-6-{as_of.isoformat()}"
    labels = Labels(current_language())
    heading = Heading(
        labels("title.article_4_6"),
        programme.country,
        as_of,
        scope,
        datetime.now(UTC),
        programme.currency,
    )
    return _formatted(report, format, name, heading, tables.article_4_6_tables, labels)


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
    labels = Labels(current_language())
    document = stored.current(conn, known_at)
    country = document["country"] if document else labels("heading.no_country")
    heading = Heading(
        labels("title.article_7", year=year),
        country,
        date(year, 12, 31),
        scope,
        datetime.now(UTC),
    )
    return _formatted(report, format, f"article-7-{year}", heading, tables.article_7_tables, labels)


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
    extension: Literal["svg", "png"],
    conn: ConnectionDep,
    principal: Reader,
    as_of: AsOfDep,
    known_at: KnownAtDep,
    given: Capacities,
    scope: ReportScope,
) -> Response:
    programme, capacity = _plan_inputs(conn, as_of, scope, known_at, given)
    labels = Labels(current_language())
    image = burndown.chart(conn, programme, as_of, scope, capacity, known_at, extension, labels)
    media = "image/svg+xml" if extension == "svg" else "image/png"
    return Response(image, media_type=media)


@router.get(
    "/work-plan",
    response_model=WorkPlan,
    summary="Remaining land by year, completion, extension needed, cost",
)
def work_plan(
    conn: ConnectionDep,
    principal: Reader,
    as_of: AsOfDep,
    known_at: KnownAtDep,
    given: Capacities,
    scope: ReportScope,
) -> dict:
    programme, capacity = _plan_inputs(conn, as_of, scope, known_at, given)
    remaining = figures.totals(conn, as_of, scope, known_at)
    plan = project(
        remaining.sha_m2, remaining.cha_m2, as_of, programme.deadline_in_force(as_of), capacity
    )
    told = _told(plan, Labels(current_language()))
    return {"as_of": as_of, "contamination": None if scope == "all" else scope, **told}


def _programme(conn: Connection, known_at: datetime | None) -> Programme:
    document = stored.current(conn, known_at)
    if document is None:
        raise NotFound(code="programme.not_set")
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
        return Capacity(m2, costs, {"code": "report.basis.given", "params": {}})
    trailing = article_4_6.trailing_capacity(conn, as_of, scope, known_at, costs)
    if not m2:
        return trailing
    merged = {m: m2.get(m, trailing.m2_per_year[m]) for m in METHODS}
    basis = {
        "code": "report.basis.partly_given",
        "params": {"methods": defaulted, "trailing": trailing.basis},
    }
    return Capacity(merged, costs, basis)
