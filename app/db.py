"""The database engine and the per-request connection."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from sqlalchemy import Connection, Engine, create_engine

from app.settings import database_settings


@lru_cache
def engine() -> Engine:
    settings = database_settings()
    return create_engine(
        settings.database_url,
        pool_size=settings.pool_size,
        max_overflow=settings.pool_size,
        pool_pre_ping=True,
    )


def transaction() -> Iterator[Connection]:
    """One transaction per request: committed when the handler returns, rolled back on error."""
    with engine().begin() as connection:
        yield connection
