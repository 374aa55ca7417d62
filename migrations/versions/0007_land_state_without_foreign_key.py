"""Land-state rows no longer check their hazard with a foreign key.

The land state is derived: only the replay writes it, from hazard rows that can be neither
updated nor deleted (the ledger's append-only triggers). The foreign key guarded nothing, yet
every row written looked its hazard up and locked it, a fifth of the cost of writing land.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE land_state DROP CONSTRAINT land_state_hazard_id_fkey")


def downgrade() -> None:
    op.execute(
        "ALTER TABLE land_state ADD CONSTRAINT land_state_hazard_id_fkey "
        "FOREIGN KEY (hazard_id) REFERENCES hazards (id)"
    )
