"""The service's health: whether the database answers, with its PostGIS and schema versions.
Anyone may ask, so a failure is said without its detail (that goes to the log)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.api.failures import FAILURES, unavailable
from app.api.models.service import Health, Unavailable
from app.db import engine
from app.errors import headers_for
from app.i18n.language import current_language
from app.storage.database import versions

router = APIRouter(tags=["service"])


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Unavailable, "description": "the database cannot be reached"}},
    summary="Service and database status",
)
def health() -> JSONResponse:
    try:
        with engine().connect() as conn:
            postgis, revision = versions(conn)
    except FAILURES as error:
        refused = unavailable(error)
        return JSONResponse(
            {
                "status": "unavailable",
                "database": "unreachable",
                "detail": refused.text(current_language()),
            },
            status_code=503,
            headers=headers_for(refused),
        )
    return JSONResponse(
        {"status": "ok", "database": "ok", "postgis": postgis, "schema_revision": revision}
    )
