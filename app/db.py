"""The database engines: the service's (its own role, every statement under a timeout) and the
owner's (migrations, grants and the maintenance commands)."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

from app.cancellation import refuse_if_client_gone
from app.settings import database_settings

_creating = threading.Lock()


def engine() -> Engine:
    """The service's connections: a statement running longer than the setting is cancelled
    by the server itself (requests that write raise the limit for their transaction), and
    none starts for a client that has gone. Made once: the first requests of a new process
    arrive together, and two engines would hold two pools."""
    with _creating:
        return _engine()


@lru_cache
def _engine() -> Engine:
    settings = database_settings()
    timeout_ms = round(settings.statement_timeout_s * 1000)
    created = create_engine(
        settings.database_url,
        pool_size=settings.pool_size,
        max_overflow=settings.pool_size,
        pool_timeout=settings.pool_timeout_s,
        pool_pre_ping=True,
        connect_args={"options": f"-c statement_timeout={timeout_ms}"},
    )
    event.listen(created, "before_cursor_execute", _before_statement)
    return created


def _before_statement(*_: Any) -> None:
    refuse_if_client_gone()


@lru_cache
def owner_engine() -> Engine:
    """Connections as the role that owns the tables, without a pool (a command's one
    connection)."""
    return create_engine(database_settings().owner_url, poolclass=NullPool)
