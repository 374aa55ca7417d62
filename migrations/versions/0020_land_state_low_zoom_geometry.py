"""Each piece of today's national land state also kept as the low-zoom vector tiles draw it:
in Web Mercator, simplified at an eighth of a tile unit at zoom 8 (4.8 m of Web Mercator).

A tile at zoom 7 or less covers most of the country: built for a date no kept tile answers,
it projected and simplified every piece at full resolution, most of its time. A generated
column is written wherever a row is written (and when it is retired: then it is emptied),
and the table's rows are filled in by this migration.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# app.ogc.queries.LOW_ZOOM_TOLERANCE_M: the two must agree.
TOLERANCE_M = 40075016.685578488 / 2**8 / 4096 / 8


def upgrade() -> None:
    op.execute(
        f"""
        ALTER TABLE land_state ADD COLUMN low_zoom_geom geometry GENERATED ALWAYS AS (
            CASE WHEN scope = 'all' AND known_until IS NULL
                 THEN ST_Simplify(ST_Transform(geom, 3857), {TOLERANCE_M!r}, true) END
        ) STORED
        """
    )


def downgrade() -> None:
    op.execute("ALTER TABLE land_state DROP COLUMN low_zoom_geom")
