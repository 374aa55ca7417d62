"""Who may see and change what: organisations, users, tokens; review of submissions; audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ROLES = "('admin', 'authority', 'analyst', 'operator')"
# Generated columns are not computed yet in a BEFORE trigger: they are left out of the check.
REVIEW_COLUMNS = "'{status,reviewed_by,reviewed_at,review_reason,footprint_m2,requested_m2}'"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE organisations (
            id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
            created_at timestamptz NOT NULL DEFAULT clock_timestamp()
        )
        """
    )
    op.execute(
        f"""
        CREATE TABLE users (
            id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
            organisation_id integer NOT NULL REFERENCES organisations (id),
            role text NOT NULL CHECK (role IN {ROLES}),
            password_hash text,
            active boolean NOT NULL DEFAULT true,
            created_at timestamptz NOT NULL DEFAULT clock_timestamp()
        )
        """
    )
    # Tokens are stored as SHA-256 hashes only; the prefix identifies one in lists and logs.
    op.execute(
        f"""
        CREATE TABLE api_tokens (
            id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            user_id integer NOT NULL REFERENCES users (id),
            token_hash text NOT NULL UNIQUE CHECK (length(token_hash) = 64),
            prefix text NOT NULL,
            role text NOT NULL CHECK (role IN {ROLES}),
            created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            expires_at timestamptz,
            revoked_at timestamptz
        )
        """
    )
    for table in ("hazards", "events"):
        op.execute(
            f"""
            ALTER TABLE {table}
                ADD COLUMN organisation_id integer REFERENCES organisations (id),
                ADD COLUMN status text NOT NULL DEFAULT 'approved'
                    CHECK (status IN ('pending', 'approved', 'rejected')),
                ADD COLUMN reviewed_by text,
                ADD COLUMN reviewed_at timestamptz,
                ADD COLUMN review_reason text
            """
        )
        op.execute(
            f"CREATE INDEX {table}_pending_idx ON {table} (recorded_at) WHERE status = 'pending'"
        )
    # A rejected submission gives its reference back: a corrected one may be sent again.
    op.execute("ALTER TABLE hazards DROP CONSTRAINT hazards_reference_key")
    op.execute(
        "CREATE UNIQUE INDEX hazards_reference_idx ON hazards (reference) "
        "WHERE status <> 'rejected'"
    )
    # Review is the one change a fact may undergo: pending to approved or rejected, once.
    op.execute(
        f"""
        CREATE FUNCTION refuse_fact_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND OLD.status = 'pending'
               AND NEW.status IN ('approved', 'rejected')
               AND to_jsonb(OLD) - {REVIEW_COLUMNS}::text[]
                   = to_jsonb(NEW) - {REVIEW_COLUMNS}::text[] THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '% on % refused: the ledger is append-only (void a fact instead)',
                TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END $$
        """
    )
    for table in ("hazards", "events"):
        op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_fact_rewrite()"
        )
    op.execute(
        """
        CREATE TABLE audit_log (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT clock_timestamp(),
            user_id integer REFERENCES users (id),
            user_name text,
            organisation_id integer REFERENCES organisations (id),
            action text NOT NULL,
            object_type text NOT NULL,
            object_id text,
            detail jsonb NOT NULL DEFAULT '{}',
            remote_addr text
        )
        """
    )
    op.execute("CREATE INDEX audit_log_at_idx ON audit_log (at)")
    op.execute("CREATE INDEX audit_log_user_idx ON audit_log (user_id, at)")
    op.execute("CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, at)")
    op.execute(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()"
    )


def downgrade() -> None:
    op.execute("DROP TABLE audit_log")
    op.execute("DROP INDEX hazards_reference_idx")
    op.execute("ALTER TABLE hazards ADD CONSTRAINT hazards_reference_key UNIQUE (reference)")
    for table in ("hazards", "events"):
        op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()"
        )
        op.execute(
            f"ALTER TABLE {table} DROP COLUMN organisation_id, DROP COLUMN status, "
            "DROP COLUMN reviewed_by, DROP COLUMN reviewed_at, DROP COLUMN review_reason"
        )
    op.execute("DROP FUNCTION refuse_fact_rewrite()")
    op.execute("DROP TABLE api_tokens")
    op.execute("DROP TABLE users")
    op.execute("DROP TABLE organisations")
