"""Edited forms from phones: ODK Collect sends an edited form as a new instance whose
``meta/deprecatedID`` names the instance it replaces.

- ``phone_submissions.replaces``: that instance. An edit of a submission still pending
  withdraws it (the trace: this column and the withdrawal's reason); an edit of one already
  decided is a new submission that says which one it corrects.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE phone_submissions ADD COLUMN replaces text "
        "REFERENCES phone_submissions (instance_id)"
    )
    op.execute(
        "CREATE INDEX phone_submissions_replaces_idx ON phone_submissions (replaces) "
        "WHERE replaces IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX phone_submissions_replaces_idx")
    op.execute("ALTER TABLE phone_submissions DROP COLUMN replaces")
