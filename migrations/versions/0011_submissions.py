"""Submissions people can trust: one submission per file, facts that know their upload, and
withdrawal.

- ``imported_files`` holds one row per file (content and target) whose facts are in the
  ledger, pending or official. Its primary key is what refuses the same file twice, however
  close together the uploads come: the second insert waits for the first transaction and
  fails when it commits. The row goes when nothing of the upload is pending or official any
  more (withdrawn or rejected whole), so a corrected submission may be sent again.
- ``hazards.import_id`` and ``events.import_id`` name the upload a fact came with: the
  authority reviews an upload as a whole, the operator follows it. An import reserves its id
  first and writes its row last, so the references are checked at commit.
- ``withdrawn``: an operator takes back a pending submission. Like a review, it is the one
  change a pending fact may undergo, and it gives a hazard's reference back.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

REVIEW_COLUMNS = "'{status,reviewed_by,reviewed_at,review_reason,footprint_m2,requested_m2}'"


def _fact_rewrite_rule(decisions: str) -> None:
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION refuse_fact_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND OLD.status = 'pending'
               AND NEW.status IN {decisions}
               AND to_jsonb(OLD) - {REVIEW_COLUMNS}::text[]
                   = to_jsonb(NEW) - {REVIEW_COLUMNS}::text[] THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '% on % refused: the ledger is append-only (void a fact instead)',
                TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END $$
        """
    )


def upgrade() -> None:
    for table in ("hazards", "events"):
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_status_check")
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {table}_status_check "
            "CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn'))"
        )
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN import_id integer "
            "REFERENCES imports (id) DEFERRABLE INITIALLY DEFERRED"
        )
        op.execute(
            f"CREATE INDEX {table}_import_idx ON {table} (import_id) WHERE import_id IS NOT NULL"
        )
    _fact_rewrite_rule("('approved', 'rejected', 'withdrawn')")
    op.execute("DROP INDEX hazards_reference_idx")
    op.execute(
        "CREATE UNIQUE INDEX hazards_reference_idx ON hazards (reference) "
        "WHERE status NOT IN ('rejected', 'withdrawn')"
    )
    op.execute(
        """
        CREATE TABLE imported_files (
            sha256 text NOT NULL,
            target text NOT NULL,
            import_id integer NOT NULL REFERENCES imports (id) DEFERRABLE INITIALLY DEFERRED,
            PRIMARY KEY (sha256, target)
        )
        """
    )
    # Files applied before: the first import of each holds it.
    op.execute(
        """
        INSERT INTO imported_files (sha256, target, import_id)
        SELECT DISTINCT ON (sha256, target) sha256, target, id
          FROM imports WHERE status = 'applied' ORDER BY sha256, target, id
        """
    )
    op.execute("DROP INDEX imports_applied_idx")


def downgrade() -> None:
    op.execute(
        "CREATE INDEX imports_applied_idx ON imports (sha256, target) WHERE status = 'applied'"
    )
    op.execute("DROP TABLE imported_files")
    op.execute("DROP INDEX hazards_reference_idx")
    op.execute(
        "CREATE UNIQUE INDEX hazards_reference_idx ON hazards (reference) "
        "WHERE status <> 'rejected'"
    )
    _fact_rewrite_rule("('approved', 'rejected')")
    for table in ("hazards", "events"):
        op.execute(f"DROP INDEX {table}_import_idx")
        op.execute(f"ALTER TABLE {table} DROP COLUMN import_id")
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_status_check")
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {table}_status_check "
            "CHECK (status IN ('pending', 'approved', 'rejected'))"
        )
