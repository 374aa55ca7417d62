"""Settings of a request's own transaction."""

from __future__ import annotations

from sqlalchemy import Connection, text


def allow_statements_for(conn: Connection, seconds: float) -> None:
    """Each statement of this transaction may run this long (instead of the connection's
    statement_timeout), as writes that replay much of the ledger need."""
    conn.execute(
        text("SELECT set_config('statement_timeout', :ms, true)"),
        {"ms": str(round(seconds * 1000))},
    )
