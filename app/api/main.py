"""The application: routers, the OGC API mounted at /ogc, and the one place where domain
errors become HTTP responses (the OGC API answers its own, as OGC exceptions)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.types import ASGIApp

from app.api.body_limits import BodyLimits
from app.api.disconnect import DisconnectWatch
from app.api.errors import unusable_value, validation_problems
from app.api.failures import handle_failures
from app.api.language import LanguageMiddleware
from app.api.ogc_app import OgcMount, create_ogc_app
from app.api.ogc_reads import ReadsFirst, feature_reads
from app.api.routes import (
    audit,
    basemap,
    data_quality,
    events,
    exports,
    figures,
    hazard_symbols,
    hazards,
    health,
    imports,
    openrosa,
    phones,
    programme,
    regions,
    reports,
    review,
    session,
    submissions,
    users,
)
from app.api.security_headers import SecurityHeaders
from app.errors import InvalidInput, LandReleaseError, headers_for, status_code_for
from app.i18n.language import current_language
from app.services.workspace import remove_leftovers
from app.web import routes as web


@asynccontextmanager
async def _lifespan(_: FastAPI) -> AsyncIterator[None]:
    # What a killed process (kill -9, out of memory) was unpacking or exporting.
    removed = remove_leftovers()
    if removed:
        logging.getLogger("landrelease").info("removed %d leftover temporary folders", removed)
    yield


def create_app() -> FastAPI:
    application = ReadsFirst(
        lifespan=_lifespan,
        title="Land release information system",
        description="Hazardous areas, the land-release ledger and its figures, each m² counted "
        "once, as of any date. Areas are geodesic square metres on WGS84. GIS clients read the "
        "OGC API at /ogc, which has its own definition: /ogc/api.",
        version="0.1.0",
        docs_url=None,  # app.web serves it with assets of our own: it works offline
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
        imports,
        exports,
        review,
        submissions,
        phones,
        users,
        audit,
        data_quality,
    )
    for module in modules:
        application.include_router(module.router)
    for router in reports.routers:
        application.include_router(router)
    # The server a phone is given: signed in by user and password, or by the key of a QR code.
    application.include_router(openrosa.router, prefix="/openrosa")
    application.include_router(openrosa.router, prefix="/openrosa/key/{token}")
    application.include_router(web.router)
    ogc = create_ogc_app(application.dependency_overrides)
    application.router.routes.append(OgcMount("/ogc", app=ogc, name="ogc"))

    application.mount("/static", web.static_files(), name="static")
    # From the inside out: a request's work stops when its client leaves; bodies are bounded
    # (and uploads authenticated) before they are read; errors in the caller's language;
    # security headers on every answer. The OGC API's feature reads go through the same,
    # by a short way (app.api.ogc_reads).
    layers: list[tuple[Callable[..., ASGIApp], dict[str, Any]]] = [
        (DisconnectWatch, {}),
        (BodyLimits, {"uploads": imports.UPLOADS}),
        (LanguageMiddleware, {}),
        (SecurityHeaders, {}),
    ]
    reads = feature_reads()
    for layer, options in layers:
        application.add_middleware(layer, **options)
        reads = layer(reads, **options)
    application.reads = ServerErrorMiddleware(reads)

    @application.exception_handler(LandReleaseError)
    async def _domain_error(_: Request, error: LandReleaseError) -> JSONResponse:
        return error_response(error)

    handle_failures(application, error_response)

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


def error_response(error: LandReleaseError) -> JSONResponse:
    return JSONResponse(
        error.as_dict(current_language()),
        status_code=status_code_for(error),
        headers=headers_for(error),
    )


app = create_app()
