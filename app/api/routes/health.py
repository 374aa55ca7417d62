from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.api.models.service import Health, Unavailable
from app.db import engine

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
            postgis = conn.execute(text("SELECT postgis_lib_version()")).scalar_one()
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as error:
        return JSONResponse(
            {"status": "unavailable", "database": "unreachable", "detail": str(error.__cause__)},
            status_code=503,
        )
    return JSONResponse(
        {"status": "ok", "database": "ok", "postgis": postgis, "schema_revision": revision}
    )
