"""A function that readies a geometry to be written as text with a given precision.

Geometries leave the database as GeoJSON rounded to a grid (about 0.1 mm in degrees, 1 mm in
metres). Rounded alone, the thin parts overlays leave can cross themselves or collapse; snapped
to the grid by ST_ReducePrecision, they stay valid there. GEOS's snap-rounding gives up on rare
inputs (a TopologyException): other ways to the same grid are then tried, and the geometry is
given as it is only when all fail. Each try is a subtransaction, which no process of a parallel
plan can start, the leader included: queries that draw run without parallel workers.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION drawn_on_grid(g geometry, grid double precision) RETURNS geometry
        LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE AS $$
        BEGIN
            BEGIN
                RETURN ST_ForcePolygonCCW(ST_ReducePrecision(g, grid));
            EXCEPTION WHEN internal_error THEN NULL;  -- GEOS: TopologyException
            END;
            BEGIN  -- on a ten times finer grid first, GEOS gets past most of its failures
                RETURN ST_ForcePolygonCCW(
                    ST_ReducePrecision(ST_ReducePrecision(g, grid / 10), grid));
            EXCEPTION WHEN internal_error THEN NULL;
            END;
            BEGIN  -- each vertex on the grid, what that crossed mended, then snap-rounded
                RETURN ST_ForcePolygonCCW(
                    ST_ReducePrecision(ST_MakeValid(ST_SnapToGrid(g, grid)), grid));
            EXCEPTION WHEN internal_error THEN NULL;
            END;
            RETURN ST_ForcePolygonCCW(g);  -- as it is, rather than no answer
        END
        $$
        """
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION drawn_on_grid(geometry, double precision)")
