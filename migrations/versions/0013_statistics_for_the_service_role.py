"""The planner's statistics of the ledger tables, refreshed by the service without owning them.

The service connects as a role that owns no table (docs/operations.md, "Database roles"), and
only a table's owner may ANALYZE it. A long import or a replay of the whole ledger analyses
the tables it grows, inside its own transaction (autovacuum cannot see rows not yet
committed): this function does that with the owner's rights, and nothing else. Only the
roles `python -m app db grant` names may call it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION analyse_ledger(land_only boolean) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        BEGIN
            IF land_only THEN
                ANALYZE public.land_state;
            ELSE
                ANALYZE public.hazards, public.events, public.land_state;
            END IF;
        END
        $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION analyse_ledger(boolean) FROM PUBLIC")


def downgrade() -> None:
    op.execute("DROP FUNCTION analyse_ledger(boolean)")
