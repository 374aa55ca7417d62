"""An offline basemap for orientation: rivers, lakes, borders, places and, when an operator
loads them, roads, each row a feature of one layer in lon/lat, served as vector tiles.

The rows are reference data, not facts: a new preparation replaces a layer whole. Each
layer says where it came from and under which licence (``basemap_sources``), which the map
shows as its attribution.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-09
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE basemap_features (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            layer text NOT NULL CHECK (layer IN ('rivers', 'lakes', 'borders', 'places', 'roads')),
            rank integer NOT NULL DEFAULT 0,
            name text,
            name_local text,
            population integer,
            geom geometry(Geometry, 4326) NOT NULL
        )
        """
    )
    op.execute("CREATE INDEX basemap_features_geom_idx ON basemap_features USING gist (geom)")
    op.execute("CREATE INDEX basemap_features_layer_idx ON basemap_features (layer, rank)")
    op.execute(
        """
        CREATE TABLE basemap_sources (
            layer text PRIMARY KEY,
            source text NOT NULL,
            licence text NOT NULL,
            loaded_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE basemap_sources")
    op.execute("DROP TABLE basemap_features")
