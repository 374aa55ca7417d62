"""What every write to the ledger begins with: the lock that puts writers in order and gives
the ledger time, and the rule (the positional tolerance) the stored land state follows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, text


def lock_ledger(conn: Connection) -> datetime:
    """Serialise writers (a fact's effect depends on every fact recorded before it) and return
    the ledger time of this transaction: taken once the lock is held, so that ledger times
    follow the order in which writes become visible."""
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('landrelease.ledger'))"))
    return conn.execute(text("SELECT clock_timestamp()")).scalar_one()


def land_rule(conn: Connection) -> float | None:
    """The tolerance (m) the current land state was computed with (None: not recorded)."""
    return conn.execute(
        text("SELECT tolerance_m FROM ledger_rules ORDER BY id DESC LIMIT 1")
    ).scalar_one_or_none()


def record_land_rule(conn: Connection, tolerance_m: float, at: datetime) -> None:
    conn.execute(
        text("INSERT INTO ledger_rules (tolerance_m, applied_at) VALUES (:tolerance, :at)"),
        {"tolerance": tolerance_m, "at": at},
    )
