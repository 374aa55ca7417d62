"""The programme's treaty settings, kept as versions (the latest is in force).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE programme_versions (
            id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            document jsonb NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            recorded_by text
        )
        """
    )
    op.execute(
        "CREATE TRIGGER programme_versions_append_only BEFORE UPDATE OR DELETE "
        "ON programme_versions FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()"
    )


def downgrade() -> None:
    op.execute("DROP TABLE programme_versions")
