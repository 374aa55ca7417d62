"""What an event's polygon did outside its hazard.

``event_overshoots`` keeps, for each event whose polygon as submitted reached beyond its
hazard, the policy the uploader chose (refuse: within the limits; clip: cut to the hazard;
keep: the whole polygon is the fact's footprint), the area submitted, the part outside the
hazard and, when it was clipped, the polygon as submitted (the event row holds the clipped
one, the footprint the ledger uses). Append-only like the facts themselves.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE event_overshoots (
            event_id bigint PRIMARY KEY REFERENCES events (id),
            policy text NOT NULL CHECK (policy IN ('refuse', 'clip', 'keep')),
            submitted_m2 double precision NOT NULL CHECK (submitted_m2 > 0),
            outside_m2 double precision NOT NULL CHECK (outside_m2 >= 0),
            submitted_footprint geometry(MultiPolygon, 4326),
            CHECK ((policy = 'clip') = (submitted_footprint IS NOT NULL))
        )
        """
    )
    op.execute(
        "CREATE TRIGGER event_overshoots_append_only BEFORE UPDATE OR DELETE ON event_overshoots "
        "FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()"
    )


def downgrade() -> None:
    op.execute("DROP TABLE event_overshoots")
