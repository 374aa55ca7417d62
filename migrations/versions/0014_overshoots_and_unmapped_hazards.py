"""What an event's polygon did outside its hazard, and hazards recorded without a polygon.

``event_overshoots`` keeps, for each event whose polygon as submitted reached beyond its
hazard, the policy the uploader chose (refuse: within the limits; clip: cut to the hazard;
keep: the whole polygon is the fact's footprint), the area submitted, the part outside the
hazard and, when it was clipped, the polygon as submitted (the event row holds the clipped
one, the footprint the ledger uses). Append-only like the facts themselves.

``unmapped_hazards`` keeps the hazard records of a national database that have no polygon:
a point, or no location at all, and a declared area. They are listed and reported apart
("not mapped (declared)") and never enter the land state: no figure counted once includes
them. A hazard recorded later with a polygon under the same reference maps the record.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from alembic import op

CONTAMINATION_TYPES = "('CMR', 'AP mine', 'AT mine', 'other ERW')"

revision = "0014"
down_revision = "0013"
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
        f"""
        CREATE TABLE unmapped_hazards (
            id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            reference text NOT NULL UNIQUE CHECK (btrim(reference) <> ''),
            hazard_class text NOT NULL CHECK (hazard_class IN ('SHA', 'CHA')),
            contamination text NOT NULL CHECK (contamination IN {CONTAMINATION_TYPES}),
            munitions text[] NOT NULL DEFAULT '{{}}',
            recorded_on date NOT NULL,
            region text,
            notes text,
            location geometry(Point, 4326),
            declared_m2 double precision NOT NULL CHECK (declared_m2 > 0),
            recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            recorded_by text,
            organisation_id integer REFERENCES organisations (id)
        )
        """
    )
    for table in ("event_overshoots", "unmapped_hazards"):
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()"
        )


def downgrade() -> None:
    op.execute("DROP TABLE unmapped_hazards")
    op.execute("DROP TABLE event_overshoots")
