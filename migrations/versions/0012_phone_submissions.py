"""Submissions from phones (ODK Collect, KoboCollect): each received instance once, with its
photos, and what Digest authentication needs of a password.

- ``phone_submissions`` holds one row per instance a phone sent (its ``instanceID``): a phone
  sends again what it is not sure arrived, and the resend must be recorded once. The row
  names the upload (``imports``) its fact came with, so it goes through the same review.
- ``phone_attachments``: the photos sent with an instance, kept with it.
- ``users.digest_ha1``: MD5(user:realm:password), the only form of a password that HTTP Digest
  (what ODK Collect sends over http) can check; set when a password is set.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE users ADD COLUMN digest_ha1 text")
    op.execute(
        """
        CREATE TABLE phone_submissions (
            instance_id text PRIMARY KEY CHECK (btrim(instance_id) <> ''),
            form_id text NOT NULL,
            form_version text,
            xml_sha256 text NOT NULL,
            import_id integer NOT NULL REFERENCES imports (id),
            device_id text,
            user_agent text,
            received_by text,
            received_at timestamptz NOT NULL DEFAULT clock_timestamp()
        )
        """
    )
    op.execute("CREATE INDEX phone_submissions_import_idx ON phone_submissions (import_id)")
    op.execute(
        """
        CREATE TABLE phone_attachments (
            instance_id text NOT NULL REFERENCES phone_submissions (instance_id),
            name text NOT NULL,
            content_type text NOT NULL,
            content bytea NOT NULL,
            PRIMARY KEY (instance_id, name)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE phone_attachments")
    op.execute("DROP TABLE phone_submissions")
    op.execute("ALTER TABLE users DROP COLUMN digest_ha1")
