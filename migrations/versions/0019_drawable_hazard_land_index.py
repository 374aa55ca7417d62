"""The hazards whose kept land is something once drawn, found from an index alone: a page of
the hazards collection skips its offset's hazards by checking each one's kept land, and
with this index the check reads no table row (about a third of a deep page's time).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX hazard_land_drawable_idx ON hazard_land (hazard_id) WHERE drawable")


def downgrade() -> None:
    op.execute("DROP INDEX hazard_land_drawable_idx")
