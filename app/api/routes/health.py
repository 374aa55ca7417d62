"""The service's health: whether the database answers, with its PostGIS and schema versions."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from app.api.models.service import Health, Unavailable
from app.db import engine
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
    except SQLAlchemyError as error:
        return JSONResponse(
            {"status": "unavailable", "database": "unreachable", "detail": str(error.__cause__)},
            status_code=503,
        )
    return JSONResponse(
        {"status": "ok", "database": "ok", "postgis": postgis, "schema_revision": revision}
    )
