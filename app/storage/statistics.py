"""Keeping the planner's statistics of the ledger tables in step with a long write."""

from __future__ import annotations

from sqlalchemy import Connection, text


def analyse(conn: Connection, land_only: bool) -> None:
    """ANALYZE the land state, or the hazards, events and land state, with the owner's rights
    (the service's role owns no table: see migration 0011)."""
    conn.execute(text("SELECT analyse_ledger(:land_only)"), {"land_only": land_only})


class Statistics:
    """Analyses the ledger tables as a long write makes them grow.

    A large import adds rows faster than autovacuum can see them (they are not committed
    yet), and after a rolled-back dry run the statistics even say the tables are empty: the
    planner then scans whole tables for every batch and an import slows down with its own
    size. Analysing whenever the rows written have grown fourfold since the last analysis
    keeps the plans on the indexes for a few analyses in all (ANALYZE counts the rows this
    transaction wrote; each one of a large ledger takes the better part of a second).
    """

    def __init__(self, conn: Connection, first_after: int = 1_000) -> None:
        self.conn = conn
        self.written = 0
        self.next_analysis = first_after

    def keep_up(self, about_to_write: int) -> None:
        if self.written >= self.next_analysis:
            analyse(self.conn, land_only=False)
            self.next_analysis = 4 * self.written
        self.written += about_to_write
