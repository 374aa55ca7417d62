"""Keeping the planner's statistics of the ledger tables in step with a long write."""

from __future__ import annotations

from sqlalchemy import Connection, text


def analyse(conn: Connection, land_only: bool) -> None:
    """ANALYZE the land state, or the hazards, events and land state, with the owner's rights
    (the service's role owns no table: see migration 0011)."""
    conn.execute(text("SELECT analyse_ledger(:land_only)"), {"land_only": land_only})


def behind(conn: Connection) -> bool:
    """Whether a ledger table has changed since its last analysis by more than autovacuum
    lets pass before analysing it (50 rows and a tenth of the rows the planner counts)."""
    return bool(
        conn.execute(
            text(
                """
                SELECT EXISTS (
                    SELECT 1
                      FROM pg_stat_user_tables t JOIN pg_class c ON c.oid = t.relid
                     WHERE t.relid IN ('public.hazards'::regclass, 'public.events'::regclass,
                                       'public.land_state'::regclass)
                       AND t.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)
                )
                """
            )
        ).scalar_one()
    )


def plan_for_batches(conn: Connection) -> None:
    """Plan the rest of this transaction's statements without JIT compilation and without
    parallel workers: a batch's statements (a few thousand rows each) pass the planner's
    thresholds for both, and on them JIT compiling took longer than it saved (60-90 ms of
    a 250 ms overlap check) and the workers took the core the client needs."""
    conn.execute(text("SET LOCAL jit = off"))
    conn.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


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
        # Statistics already behind the tables (a large import committed a moment ago, which
        # autovacuum has not seen yet) would send the first batch down a plan for empty
        # tables: a nested loop over every land-state row for each polygon.
        self.first_after = first_after
        self.next_analysis = 0 if behind(conn) else first_after

    def keep_up(self, about_to_write: int) -> None:
        if self.written >= self.next_analysis:
            analyse(self.conn, land_only=False)
            self.next_analysis = max(4 * self.written, self.first_after)
        self.written += about_to_write
