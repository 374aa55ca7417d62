"""Indexes for the vector tiles of a date no kept tile answers.

The national rows alive on a date within a tile were found by reading the whole land state
(every version of every scope: a tile at zoom 6 holds most of the country, so the index on
the geometry alone did not narrow it): this index finds them from the date and the tile
together. The hazards' properties a tile carries are read from a covering index rather than
the hazards' rows with their geometries.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # app.storage.conditions.alive_during: the expression the queries name. A stint never
    # ends before it begins (the fact that ends it comes later in the ledger's order), which
    # daterange() requires of every row the index holds.
    op.execute(
        """
        CREATE INDEX land_state_alive_geom_idx ON land_state
         USING gist (geom, daterange(since_on, until_on))
         WHERE scope = 'all' AND known_until IS NULL
        """
    )
    op.execute(
        "CREATE INDEX hazards_tile_properties_idx ON hazards (id) "
        "INCLUDE (reference, hazard_class, contamination)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX hazards_tile_properties_idx")
    op.execute("DROP INDEX land_state_alive_geom_idx")
