"""The database engines: the service's (its own role, every statement under a timeout) and the
owner's (migrations, grants and the maintenance commands)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from sqlalchemy import Connection, Engine, create_engine

from app.settings import database_settings


@lru_cache
def engine() -> Engine:
    """The service's connections: a statement running longer than the setting is cancelled
    by the server itself (requests that write raise the limit for their transaction)."""
    settings = database_settings()
    timeout_ms = round(settings.statement_timeout_s * 1000)
    return create_engine(
        settings.database_url,
        pool_size=settings.pool_size,
        max_overflow=settings.pool_size,
        pool_timeout=settings.pool_timeout_s,
        pool_pre_ping=True,
        connect_args={"options": f"-c statement_timeout={timeout_ms}"},
    )


@lru_cache
def owner_engine() -> Engine:
    """Connections as the role that owns the tables, without a pool (a command's one
    connection)."""
    from sqlalchemy.pool import NullPool

    return create_engine(database_settings().owner_url, poolclass=NullPool)


def transaction() -> Iterator[Connection]:
    """One transaction per request: committed when the handler returns, rolled back on error."""
    with engine().begin() as connection:
        yield connection
