"""Each treaty's reports, under /api/v1/reports/ccm and /api/v1/reports/apmbc: the extension
request figures (CCM Article 4.6, APMBC Article 5) with their list of areas, the Article 7
tables with theirs, the work plan and the burn-down chart, each on the scope of the
contamination its treaty covers.

The CCM paths that came before (/api/v1/reports/article-4-6, ...) still answer as the CCM's,
with ``contamination`` (CMR by default) and without needing the programme's settings where
they did not; the OpenAPI document marks them deprecated.
"""

# No `from __future__ import annotations`: FastAPI reads the routes' annotations, which name
# types made inside report_routes, when they are defined.
from collections.abc import Callable
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import FileResponse

from app.api import report_answers as answers
from app.api.anonymous_reads import FiguresReader, answered
from app.api.deps import AsOfDep, ConnectionDep, KnownAtDep
from app.api.layers import LAYER_FILE, LayerFormat
from app.api.models.files import file_answer
from app.api.models.reports import Article5Report, Article7Report, Article46Report, WorkPlan
from app.api.security import allow
from app.auth.policy import Action
from app.auth.principal import Principal
from app.ledger.states import Contamination
from app.storage.conditions import View
from app.treaty.treaties import RULES, Treaty

Reader = Annotated[Principal, Depends(allow(Action.READ_TOTALS))]
Year = Annotated[int, Query(ge=1990, le=2100, description="the calendar year reported on")]
# The extension request of each treaty: its path, its answer, what it holds.
REQUESTS = {
    Treaty.CCM: (
        "/article-4-6",
        Article46Report,
        "Article 4.6 (d), (e), (f), the check, the annual table, the work plan",
    ),
    Treaty.APMBC: (
        "/article-5",
        Article5Report,
        "Article 5 extension request figures: mined areas at EIF and since, released by "
        "method, remaining, the check, the annual table, the work plan",
    ),
}


def chosen_scope(
    contamination: Annotated[
        Contamination | Literal["all"],
        Query(description="the scope reported on; CCM figures: CMR (the default)"),
    ] = Contamination.CMR,
) -> str:
    return contamination.value if isinstance(contamination, Contamination) else "all"


def treaty_scope(treaty: Treaty) -> Callable[[], str]:
    """The scope of the contamination ``treaty`` covers (no query parameter)."""
    scope = RULES[treaty].scope
    return lambda: scope


def report_routes(
    treaty: Treaty, prefix: str, scope_of: Callable[..., str], earlier: bool = False
) -> APIRouter:
    """The routes of ``treaty``'s reports under ``prefix``; ``earlier``: the CCM paths that
    came before the treaties had their own."""
    router = APIRouter(prefix=prefix, tags=["reports"], deprecated=earlier)
    Scope = Annotated[str, Depends(scope_of)]
    request_path, request_model, request_summary = REQUESTS[treaty]
    # Files are named after their treaty, except where they were named before.
    named = "" if earlier else f"{treaty.value.lower()}-"
    words = f"{treaty.value}, {RULES[treaty].scope}"

    def party_only(conn: ConnectionDep, known_at: KnownAtDep) -> None:
        """A State's own treaties only; the earlier paths answered without any settings."""
        if not earlier:
            answers.treaty_settings(conn, treaty, known_at)

    Party = Annotated[None, Depends(party_only)]

    @router.get(
        request_path,
        response_model=request_model,
        responses=answers.TABLES,
        summary=f"{request_summary} ({words})",
    )
    def extension_request(
        request: Request,
        conn: ConnectionDep,
        principal: FiguresReader,
        as_of: AsOfDep,
        known_at: KnownAtDep,
        given: answers.Capacities,
        scope: Scope,
        format: answers.ReportFormat = "json",
    ) -> Response | dict:
        return answered(
            request,
            principal,
            conn,
            lambda: answers.extension_request(conn, treaty, as_of, known_at, given, scope, format),
        )

    @router.get(
        f"{request_path}/areas",
        response_class=Response,
        responses=LAYER_FILE,
        summary=f"The areas remaining at the reference date ({words}), as a file",
    )
    def extension_request_areas(
        conn: ConnectionDep,
        principal: Reader,
        party: Party,
        as_of: AsOfDep,
        known_at: KnownAtDep,
        scope: Scope,
        format: LayerFormat = "geojson",
    ) -> FileResponse:
        view = View(as_of, scope, known_at, frozenset())
        name = f"{named}{request_path[1:]}-{as_of}-areas"
        return answers.areas_file(conn, principal, view, format, name)

    @router.get(
        "/article-7",
        response_model=Article7Report,
        responses=answers.TABLES,
        summary=f"Article 7 ({words}): remaining areas, release and items in a year",
    )
    def article_7(
        conn: ConnectionDep,
        principal: Reader,
        party: Party,
        year: Year,
        known_at: KnownAtDep,
        scope: Scope,
        format: answers.ReportFormat = "json",
    ) -> Response | dict:
        return answers.article_7_report(conn, principal, treaty, year, scope, known_at, format)

    @router.get(
        "/article-7/areas",
        response_class=Response,
        responses=LAYER_FILE,
        summary=f"The contaminated areas of an Article 7 report ({words}), as a file",
    )
    def article_7_areas(
        conn: ConnectionDep,
        principal: Reader,
        party: Party,
        year: Year,
        known_at: KnownAtDep,
        scope: Scope,
        format: LayerFormat = "geojson",
    ) -> FileResponse:
        view = View(date(year, 12, 31), scope, known_at, frozenset())
        return answers.areas_file(conn, principal, view, format, f"{named}article-7-{year}-areas")

    @router.get(
        "/work-plan",
        response_model=WorkPlan,
        summary=f"Work plan ({words}): remaining land by year, completion, extension, cost",
    )
    def work_plan(
        request: Request,
        conn: ConnectionDep,
        principal: FiguresReader,
        as_of: AsOfDep,
        known_at: KnownAtDep,
        given: answers.Capacities,
        scope: Scope,
    ) -> dict:
        return answered(
            request,
            principal,
            conn,
            lambda: answers.work_plan(conn, treaty, as_of, known_at, given, scope),
        )

    @router.get(
        "/burndown.{extension}",
        response_class=Response,
        responses=file_answer("the chart", "image/svg+xml", "image/png"),
        summary=f"Burn-down chart ({words}): remaining area over time, history and projection",
    )
    def burndown(
        request: Request,
        extension: Literal["svg", "png"],
        conn: ConnectionDep,
        principal: FiguresReader,
        as_of: AsOfDep,
        known_at: KnownAtDep,
        given: answers.Capacities,
        scope: Scope,
    ) -> Response:
        return answered(
            request,
            principal,
            conn,
            lambda: answers.burndown_chart(conn, treaty, extension, as_of, known_at, given, scope),
        )

    return router


routers = (
    report_routes(Treaty.CCM, "/api/v1/reports/ccm", treaty_scope(Treaty.CCM)),
    report_routes(Treaty.APMBC, "/api/v1/reports/apmbc", treaty_scope(Treaty.APMBC)),
    report_routes(Treaty.CCM, "/api/v1/reports", chosen_scope, earlier=True),
)
