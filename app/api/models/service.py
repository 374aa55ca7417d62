"""The service's own status."""

from __future__ import annotations

from app.api.models.common import ResponseModel


class Health(ResponseModel):
    status: str
    database: str
    postgis: str
    schema_revision: str | None


class Unavailable(ResponseModel):
    status: str
    database: str
    detail: str
