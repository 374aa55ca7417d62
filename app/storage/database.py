"""The database as a whole, as a health check reports it: the PostGIS it runs and the
revision of the schema the migrations brought it to."""

from __future__ import annotations

from sqlalchemy import Connection, text


def versions(conn: Connection) -> tuple[str, str | None]:
    """(PostGIS library version, Alembic revision of the schema; None before any)."""
    postgis = conn.execute(text("SELECT postgis_lib_version()")).scalar_one()
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return postgis, revision
