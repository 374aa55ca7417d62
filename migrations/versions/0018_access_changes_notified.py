"""Word that who may call may have changed: every write to the tokens or the users (a token
revoked or its expiry moved, a user deactivated, a role changed, rows removed) notifies the
channel ``access_changed`` when it commits.

Each process of the service keeps the callers of the tokens it has checked, to spare a
query per request (app.services.callers); it listens on the channel and forgets them all
on each notification.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

TABLES = ("api_tokens", "users")


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION notify_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('access_changed', '');
            RETURN NULL;
        END
        $$
        """
    )
    for table in TABLES:
        # Once per statement: a notification says only that something changed.
        op.execute(
            f"""
            CREATE TRIGGER {table}_access_changed
             AFTER UPDATE OR DELETE OR TRUNCATE ON {table}
             FOR EACH STATEMENT EXECUTE FUNCTION notify_access_changed()
            """
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_access_changed ON {table}")
    op.execute("DROP FUNCTION notify_access_changed()")
