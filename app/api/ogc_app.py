"""The OGC API as an application of its own, mounted at /ogc: its routes, and its errors as
OGC exception documents ({"code", "description"}), which GIS clients show to their users."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Scope

from app.api.errors import unusable_value
from app.api.failures import FAILURES, handle_failures, unavailable
from app.api.routes import ogc, ogc_qgis, ogc_tiles
from app.cancellation import ClientGone
from app.errors import LandReleaseError, RetryLater, status_code_for
from app.i18n.language import current_language
from app.ogc.params import OgcError
from app.settings import cors_settings

PATH = "/ogc"


def create_ogc_app(dependency_overrides: dict[Callable[..., Any], Callable[..., Any]]) -> FastAPI:
    """The OGC API; ``dependency_overrides`` are the main application's, shared."""
    application = FastAPI(
        # Its definition is the OGC one at /ogc/api, written for GIS clients.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    application.dependency_overrides = dependency_overrides
    application.include_router(ogc.router)
    application.include_router(ogc_tiles.router)
    application.include_router(ogc_qgis.router)
    cors = _cors_options()
    if cors is not None:
        application.add_middleware(CORSMiddleware, **cors)

    @application.exception_handler(OgcError)
    async def _ogc_error(_: Request, error: OgcError) -> JSONResponse:
        return error_response(error)

    @application.exception_handler(LandReleaseError)
    async def _domain_error(_: Request, error: LandReleaseError) -> JSONResponse:
        return domain_error_response(error)

    handle_failures(application, domain_error_response)

    @application.exception_handler(DataError)
    async def _unstorable_value(_: Request, error: DataError) -> JSONResponse:
        return unstorable_value_response(error)

    @application.exception_handler(RequestValidationError)
    async def _invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        where = ".".join(str(p) for p in error.errors()[0]["loc"]) if error.errors() else ""
        return error_response(
            OgcError(400, "InvalidParameterValue", "ogc.not_valid", {"where": where})
        )

    return application


def _cors_options() -> dict[str, Any] | None:
    """Web maps of other sites may read the layers and tiles (none by default)."""
    origins = cors_settings().origins()
    if not origins:
        return None
    return {
        "allow_origins": origins,
        "allow_methods": ["GET", "HEAD"],
        "allow_headers": ["Authorization", "Accept", "Accept-Language", "If-None-Match"],
        "expose_headers": ["Content-Crs", "ETag"],
    }


def with_cors(app: ASGIApp) -> ASGIApp:
    """``app`` answering other sites as the OGC API does (app.api.ogc_reads)."""
    cors = _cors_options()
    return app if cors is None else CORSMiddleware(app, **cors)


def answer_to_failure(error: Exception) -> Response | None:
    """The OGC API's answer to an error its handlers answer (None: to none of them), for
    the routes answered outside the mounted application (app.api.ogc_reads)."""
    if isinstance(error, OgcError):
        return error_response(error)
    if isinstance(error, LandReleaseError):
        return domain_error_response(error)
    if isinstance(error, DataError):
        return unstorable_value_response(error)
    if isinstance(error, FAILURES):
        return domain_error_response(unavailable(error))
    if isinstance(error, ClientGone):
        return Response(status_code=499)  # nobody reads it: the client has gone
    return None


def unstorable_value_response(error: DataError) -> JSONResponse:
    refused = unusable_value(error)
    return error_response(OgcError(400, "InvalidParameterValue", refused.code, refused.params))


def error_response(error: OgcError, headers: dict[str, str] | None = None) -> JSONResponse:
    if error.status == 401:
        headers = {"WWW-Authenticate": 'Basic realm="landrelease", Bearer'}
    return JSONResponse(
        {"code": error.code, "description": error.description(current_language())},
        status_code=error.status,
        headers=headers,
    )


def domain_error_response(error: LandReleaseError) -> JSONResponse:
    """A domain error as an OGC exception document (503 and 429 say when to come back)."""
    status = status_code_for(error)
    headers = {"Retry-After": str(error.retry_after_s)} if isinstance(error, RetryLater) else None
    return error_response(
        OgcError(status, type(error).__name__, error.code, error.params, error.hint), headers
    )


class OgcMount(Mount):
    """The mount of the OGC API, whose landing page is /ogc itself (the address GIS clients
    are given) as well as /ogc/: a plain mount answers only below /ogc/."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and scope["path"] == scope.get("root_path", "") + self.path:
            landing = {**scope, "path": scope["path"] + "/"}
            match, child_scope = super().matches(landing)
            return match, {**child_scope, "path": landing["path"]}
        return super().matches(scope)
