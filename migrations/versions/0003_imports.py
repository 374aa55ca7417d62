"""Imports of field files: each upload's report, kept and listed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE imports (
            id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            file_name text NOT NULL,
            size_bytes bigint NOT NULL,
            sha256 text NOT NULL CHECK (length(sha256) = 64),
            target text NOT NULL CHECK (target IN ('hazards', 'events')),
            status text NOT NULL CHECK (status IN ('applied', 'rejected', 'dry run')),
            features_read integer NOT NULL,
            accepted integer NOT NULL,
            rejected integer NOT NULL,
            report jsonb NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            recorded_by text,
            organisation_id integer REFERENCES organisations (id)
        )
        """
    )
    # The same file applied twice is recognised by its hash.
    op.execute(
        "CREATE INDEX imports_applied_idx ON imports (sha256, target) WHERE status = 'applied'"
    )
    op.execute(
        "CREATE TRIGGER imports_append_only BEFORE UPDATE OR DELETE ON imports "
        "FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()"
    )


def downgrade() -> None:
    op.execute("DROP TABLE imports")
