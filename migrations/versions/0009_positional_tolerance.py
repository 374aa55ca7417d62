"""The positional tolerance: absorbed land per land-state row, and the rule the land state
was computed with.

Land a fact takes in beyond its own polygon (a strip narrower than the tolerance that it
would otherwise leave behind) is counted in ``absorbed_m2``, shared out with ``area_m2``
whenever a piece is cut. ``ledger_rules`` says which tolerance the current land state was
replayed with: a database that predates the tolerance gets a row with none, so the
application replays its ledger under the rule it is configured with the next time it writes
(keeping every earlier version of the land state, so figures as known at any past moment do
not move).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE land_state ADD COLUMN absorbed_m2 double precision NOT NULL DEFAULT 0 "
        "CHECK (absorbed_m2 >= 0)"
    )
    op.execute(
        """
        CREATE TABLE ledger_rules (
            id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tolerance_m double precision NOT NULL CHECK (tolerance_m >= 0),
            applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
        )
        """
    )
    # The land state as it stands was computed with no tolerance.
    op.execute("INSERT INTO ledger_rules (tolerance_m) VALUES (0)")


def downgrade() -> None:
    op.execute("DROP TABLE ledger_rules")
    op.execute("ALTER TABLE land_state DROP COLUMN absorbed_m2")
