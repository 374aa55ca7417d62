"""The answers of the treaty reports (routes/reports.py): a report as JSON or as its tables in
a file, the capacities a projection takes, and the settings of the treaty asked for.

Every format of every report is written in ``formatted``: JSON, or the tables as CSV, XLSX, the
printable page or its PDF, each file under the report's heading (country, as-of date, scope,
time of generation).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Response
from fastapi.responses import FileResponse
from sqlalchemy import Connection

from app.accounting import figures
from app.api.layers import layer_file
from app.api.models.files import file_answer
from app.api.security import check
from app.auth.policy import Action
from app.auth.principal import Principal
from app.i18n.catalogue import told as told_message
from app.i18n.language import current_language
from app.reports import apmbc_tables, article_4_6, article_5, article_7, burndown, tables
from app.reports.extension_request import trailing_capacity
from app.reports.heading import Heading
from app.reports.labels import Labels, labels, scope_words
from app.reports.work_plan import METHODS, Capacity, project
from app.services import programme as programmes
from app.storage import programme as stored
from app.storage.conditions import View
from app.treaty.programme import TreatySettings
from app.treaty.treaties import RULES, Treaty

M2 = Annotated[float | None, Query(ge=0, allow_inf_nan=False)]
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
Tables = Callable[[dict[str, Any]], list[tables.Table]]


def formatted(
    report: dict[str, Any], fmt: str, name: str, heading: Heading, to_tables: Tables
) -> Response | dict[str, Any]:
    """The report as JSON, or as tables in ``fmt`` under ``heading``, in the reader's
    language."""
    language = current_language()
    if fmt == "json":
        return told(report, language)
    found = to_tables(report)
    words = Labels(language)
    body: bytes | str
    if fmt == "csv":
        body = tables.to_csv_zip(found)
    elif fmt == "xlsx":
        body = tables.to_xlsx(found, heading, words)
    elif fmt == "pdf":
        body = tables.to_pdf(tables.to_html(found, heading, words))
    else:
        body = tables.to_html(found, heading, words)
    media, suffix = MEDIA[fmt]
    disposition = "inline" if fmt == "html" else "attachment"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'{disposition}; filename="{name}.{suffix}"'},
    )


def told(report: dict[str, Any], language: str) -> dict[str, Any]:
    """A report or plan with the capacity basis of its work plan in the reader's words."""
    plan = report.get("work_plan", report)
    basis = plan.get("capacity_basis")
    if not isinstance(basis, dict):
        return report
    plan = {**plan, "capacity_basis": told_message(basis, language)}
    return {**report, "work_plan": plan} if "work_plan" in report else plan


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


Given = tuple[dict[str, float], dict[str, float]]
Capacities = Annotated[Given, Depends(capacities)]


def treaty_settings(
    conn: Connection, treaty: Treaty, known_at: datetime | None
) -> tuple[str, TreatySettings]:
    """The country and the settings of ``treaty`` (NotFound when the State is not party)."""
    programme = programmes.current(conn, known_at)
    return programme.country, programme.treaty(treaty)


def heading(report: dict[str, Any], title: str, as_of: date, scope: str) -> Heading:
    """The heading of a report's files: its title, the country, the date its figures stand
    at, what they cover, the time the file is made and the currency of its costs."""
    return Heading(
        title, report["country"], as_of, scope, datetime.now(UTC), report.get("currency")
    )


def _capacity(
    conn: Connection, as_of: date, scope: str, known_at: datetime | None, given: Given
) -> Capacity:
    m2, costs = given
    defaulted = [m for m in METHODS if m not in m2]
    if not defaulted:  # all given: no need to read three years of history
        return Capacity(m2, costs, {"code": "report.basis.given", "params": {}})
    trailing = trailing_capacity(conn, as_of, scope, known_at, costs)
    if not m2:
        return trailing
    merged = {m: m2.get(m, trailing.m2_per_year[m]) for m in METHODS}
    basis = {
        "code": "report.basis.partly_given",
        "params": {"methods": defaulted, "trailing": trailing.basis},
    }
    return Capacity(merged, costs, basis)


def extension_request(
    conn: Connection,
    treaty: Treaty,
    as_of: date,
    known_at: datetime | None,
    given: Given,
    scope: str,
    fmt: str,
) -> Response | dict[str, Any]:
    """The figures of ``treaty``'s extension request: CCM Article 4.6, APMBC Article 5."""
    if treaty is Treaty.APMBC:
        return apmbc_article_5(conn, as_of, known_at, given, fmt)
    return ccm_article_4_6(conn, as_of, known_at, given, scope, fmt)


def ccm_article_4_6(
    conn: Connection,
    as_of: date,
    known_at: datetime | None,
    given: Given,
    scope: str,
    fmt: str,
) -> Response | dict[str, Any]:
    programme = programmes.current(conn, known_at)
    settings = programme.treaty(Treaty.CCM)
    capacity = _capacity(conn, as_of, scope, known_at, given)
    report = article_4_6.report(
        conn, programme.country, settings, as_of, scope, known_at, capacity, programme.currency
    )
    label = labels(current_language())
    title = label(
        "report.title.ccm.article_4_6",
        contamination=scope_words(scope, label),
        as_of=as_of.isoformat(),
    )
    name = f"article-4-6-{as_of.isoformat()}"
    words = Labels(current_language())
    return formatted(
        report,
        fmt,
        name,
        heading(report, title, as_of, scope),
        lambda r: tables.article_4_6_tables(r, words),
    )


def apmbc_article_5(
    conn: Connection, as_of: date, known_at: datetime | None, given: Given, fmt: str
) -> Response | dict[str, Any]:
    programme = programmes.current(conn, known_at)
    settings = programme.treaty(Treaty.APMBC)
    scope = RULES[Treaty.APMBC].scope
    capacity = _capacity(conn, as_of, scope, known_at, given)
    report = article_5.report(
        conn, programme.country, settings, as_of, known_at, capacity, programme.currency
    )
    language = current_language()
    label = labels(language)
    title = label("report.title.apmbc.article_5", contamination=scope, as_of=as_of.isoformat())
    name = f"apmbc-article-5-{as_of.isoformat()}"
    return formatted(
        report,
        fmt,
        name,
        heading(report, title, as_of, scope),
        lambda r: apmbc_tables.article_5_tables(r, language),
    )


def article_7_report(
    conn: Connection,
    principal: Principal,
    treaty: Treaty,
    year: int,
    scope: str,
    known_at: datetime | None,
    fmt: str,
) -> Response | dict[str, Any]:
    # The list of areas gives the location of uncleared land: signed-in callers only.
    check(principal, Action.READ_HAZARDS)
    report = article_7.report(conn, year, scope, known_at, treaty)
    language = current_language()
    label = labels(language)
    title = label(
        f"report.title.{treaty.value.lower()}.article_7",
        year=str(year),
        contamination=scope_words(scope, label),
    )
    # The earlier CCM paths answer without the programme's settings: no country then.
    document = stored.current(conn, known_at)
    country = document["country"] if document else label("report.heading.no_country")
    on = heading({"country": country}, title, date(year, 12, 31), scope)
    if treaty is Treaty.APMBC:
        return formatted(
            report,
            fmt,
            f"apmbc-article-7-{year}",
            on,
            lambda r: apmbc_tables.article_7_tables(r, language),
        )
    words = Labels(language)
    return formatted(
        report, fmt, f"article-7-{year}", on, lambda r: tables.article_7_tables(r, words)
    )


def areas_file(
    conn: Connection, principal: Principal, view: View, fmt: str, name: str
) -> FileResponse:
    """The contaminated areas a report lists, as a file (signed-in callers only)."""
    check(principal, Action.READ_HAZARDS)
    return layer_file(conn, "hazards", view, None, fmt, name)


def work_plan(
    conn: Connection,
    treaty: Treaty,
    as_of: date,
    known_at: datetime | None,
    given: Given,
    scope: str,
) -> dict[str, Any]:
    _, settings = treaty_settings(conn, treaty, known_at)
    capacity = _capacity(conn, as_of, scope, known_at, given)
    remaining = figures.totals(conn, as_of, scope, known_at)
    plan = project(
        remaining.sha_m2,
        remaining.cha_m2,
        as_of,
        settings.deadline_in_force(as_of),
        capacity,
        settings.rules,
    )
    return {
        "treaty": treaty.value,
        "as_of": as_of,
        "contamination": None if scope == "all" else scope,
        **told(plan, current_language()),
    }


def burndown_chart(
    conn: Connection,
    treaty: Treaty,
    extension: str,
    as_of: date,
    known_at: datetime | None,
    given: Given,
    scope: str,
) -> Response:
    country, settings = treaty_settings(conn, treaty, known_at)
    capacity = _capacity(conn, as_of, scope, known_at, given)
    words = Labels(current_language())
    image = burndown.chart(
        conn, country, settings, as_of, scope, capacity, known_at, extension, words
    )
    media = "image/svg+xml" if extension == "svg" else "image/png"
    return Response(image, media_type=media)
