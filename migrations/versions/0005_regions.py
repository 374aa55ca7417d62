"""Administrative regions, and the region each piece of land lies in.

Land is cut along region boundaries when it is first recorded, so every land-state row lies
in one region (the finest level loaded) or outside all of them, and regional figures add up
to the national ones exactly.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE regions (
            code text PRIMARY KEY,
            name text NOT NULL,
            level smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
            parent_code text REFERENCES regions (code),
            geom geometry(MultiPolygon, 4326) NOT NULL,
            area_m2 double precision NOT NULL,
            source text NOT NULL,
            CHECK ((level = 1) = (parent_code IS NULL))
        )
        """
    )
    op.execute("CREATE INDEX regions_geom_idx ON regions USING gist (geom)")
    op.execute("CREATE INDEX regions_level_idx ON regions (level, code)")
    # Which region (of the finest level) the land of a row lies in; NULL: outside all of them.
    op.execute("ALTER TABLE land_state ADD COLUMN region_code text")
    op.execute(
        "CREATE INDEX land_state_region_idx ON land_state (scope, region_code, since_on) "
        "INCLUDE (state, previous_state, until_on, area_m2) WHERE known_until IS NULL"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE land_state DROP COLUMN region_code")
    op.execute("DROP TABLE regions")
