"""The application: routers, the OGC API mounted at /ogc, and the one place where domain
errors become HTTP responses (the OGC API answers its own, as OGC exceptions)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy.exc import DataError

from app.api.errors import unusable_value, validation_problems
from app.api.language import LanguageMiddleware
from app.api.ogc_app import OgcMount, create_ogc_app
from app.api.routes import (
    audit,
    basemap,
    events,
    exports,
    figures,
    hazard_symbols,
    hazards,
    health,
    imports,
    programme,
    regions,
    reports,
    review,
    session,
    submissions,
)
from app.errors import InvalidInput, LandReleaseError, status_code_for
from app.i18n.language import current_language
from app.web import routes as web


def create_app() -> FastAPI:
    application = FastAPI(
        title="Land release information system",
        description="Hazardous areas, the land-release ledger and its figures, each m² counted "
        "once, as of any date. Areas are geodesic square metres on WGS84. GIS clients read the "
        "OGC API at /ogc, which has its own definition: /ogc/api.",
        version="0.1.0",
        docs_url=None,  # served below with assets of our own: the documentation works offline
        redoc_url=None,
    )
    modules = (
        health,
        basemap,
        session,
        hazards,
        hazard_symbols,
        events,
        figures,
        regions,
        programme,
        reports,
        imports,
        exports,
        review,
        submissions,
        audit,
    )
    for module in modules:
        application.include_router(module.router)
    application.include_router(web.router)
    ogc = create_ogc_app(application.dependency_overrides)
    application.router.routes.append(OgcMount("/ogc", app=ogc, name="ogc"))

    @application.get("/docs", include_in_schema=False)
    async def _documentation() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Land release information system: API",
            swagger_js_url=f"/static/vendor/{web.SWAGGER_UI}/swagger-ui-bundle.js",
            swagger_css_url=f"/static/vendor/{web.SWAGGER_UI}/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    application.mount("/static", web.static_files(), name="static")
    application.add_middleware(LanguageMiddleware)

    @application.exception_handler(LandReleaseError)
    async def _domain_error(_: Request, error: LandReleaseError) -> JSONResponse:
        status = status_code_for(error)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(error.as_dict(current_language()), status_code=status, headers=headers)

    @application.exception_handler(DataError)
    async def _unstorable_value(_: Request, error: DataError) -> JSONResponse:
        return JSONResponse(unusable_value(error).as_dict(current_language()), status_code=422)

    @application.exception_handler(RequestValidationError)
    async def _invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        language = current_language()
        problems = validation_problems(list(error.errors()), language)
        first = problems[0] if problems else {"field": "body", "code": "validation.invalid"}
        refused = InvalidInput(
            code="request.invalid",
            params={
                "field": first["field"],
                "problem": {"code": first["code"], "params": first.get("params", {})},
            },
            field=first["field"],
        )
        return JSONResponse({**refused.as_dict(language), "problems": problems}, status_code=422)

    return application


app = create_app()
