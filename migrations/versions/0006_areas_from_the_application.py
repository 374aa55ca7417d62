"""Hazard and event areas are written by the application instead of computed by PostGIS.

The application measures every footprint anyway (GeographicLib, the same geodesic algorithm
PostGIS uses) to record its land; computing the area a second time in the database, on the
densified polygon, was the largest single cost of writing a hazard row.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table, column in (("hazards", "footprint_m2"), ("events", "requested_m2")):
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP EXPRESSION")
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL")
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {table}_{column}_check CHECK ({column} > 0)"
        )


def downgrade() -> None:
    for table, column in (("hazards", "footprint_m2"), ("events", "requested_m2")):
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_{column}_check")
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} double precision "
            "GENERATED ALWAYS AS (ST_Area(footprint::geography)) STORED"
        )
