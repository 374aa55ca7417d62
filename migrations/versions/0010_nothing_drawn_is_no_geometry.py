"""Land that is nothing once drawn on a grid is served as no geometry, never as an empty one.

Overlays leave pieces of land micrometres wide along edges two polygons share. Snapped to the
grid of the digits written (0.1 mm in degrees, 1 mm in metres) they collapse, and a feature
served with them alone had an empty MultiPolygon, which GIS clients read as a feature
nowhere. ``drawn_on_grid`` now gives NULL when nothing with an area is left, and
``drawable`` says whether a piece of land keeps some area when drawn in a CRS on a grid: the
OGC API leaves out the features whose land is nothing when drawn.

``drawable`` first tries a test that costs a pass over the vertices: if the area exceeds
that of a band of width *t* along every ring (2·t·perimeter + rings·π·t²), the polygon holds a
disc of radius *t* (a polygon every point of which lies within *t* of its rings fits in that
band). With *t* two grid steps in the output CRS, the disc's centre stays inside the polygon
when snap-rounding moves every edge by at most 0.71 of a step. Only pieces that fail it (the
slivers, and pieces near the poles drawn in metres) are drawn to find out.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE OR REPLACE FUNCTION drawn_on_grid(g geometry, grid double precision)
        RETURNS geometry LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE AS $$
        DECLARE
            drawn geometry;
        BEGIN
            BEGIN
                drawn := ST_ReducePrecision(g, grid);
            EXCEPTION WHEN internal_error THEN  -- GEOS: TopologyException
                BEGIN  -- on a ten times finer grid first, GEOS gets past most of its failures
                    drawn := ST_ReducePrecision(ST_ReducePrecision(g, grid / 10), grid);
                EXCEPTION WHEN internal_error THEN
                    BEGIN  -- each vertex on the grid, what that crossed mended, snap-rounded
                        drawn := ST_ReducePrecision(ST_MakeValid(ST_SnapToGrid(g, grid)), grid);
                    EXCEPTION WHEN internal_error THEN
                        drawn := g;  -- as it is, rather than no answer
                    END;
                END;
            END;
            IF ST_IsEmpty(drawn) OR ST_Area(drawn) = 0 THEN
                RETURN NULL;  -- nothing with an area is left on the grid
            END IF;
            RETURN ST_ForcePolygonCCW(drawn);
        END
        $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION drawable(g geometry, srid integer, grid double precision)
        RETURNS boolean LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE AS $$
        DECLARE
            -- Units of the output CRS per degree of the lon/lat plane, at least, in every
            -- direction: 1 in degrees; in metres (UTM and Web Mercator, scale factors of
            -- 0.9996 and more), a degree of latitude is over 110 574 m on the ground and one
            -- of longitude over 111 319 m times the cosine of the latitude.
            per_degree double precision := 1;
            reach double precision;
        BEGIN
            IF srid <> ST_SRID(g) THEN
                per_degree := 0.9996 * 110000
                    * cos(radians(greatest(abs(ST_YMin(g)), abs(ST_YMax(g)))));
            END IF;
            IF per_degree > 0 THEN
                reach := 2 * grid / per_degree;  -- two grid steps, in degrees
                IF ST_Area(g) > 2 * reach * ST_Perimeter(g) + ST_NRings(g) * pi() * reach ^ 2
                THEN
                    RETURN true;
                END IF;
            END IF;
            RETURN drawn_on_grid(ST_Transform(g, srid), grid) IS NOT NULL;
        END
        $$
        """
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION drawable(geometry, integer, double precision)")
    op.execute(
        """
        CREATE OR REPLACE FUNCTION drawn_on_grid(g geometry, grid double precision)
        RETURNS geometry LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE AS $$
        BEGIN
            BEGIN
                RETURN ST_ForcePolygonCCW(ST_ReducePrecision(g, grid));
            EXCEPTION WHEN internal_error THEN NULL;
            END;
            BEGIN
                RETURN ST_ForcePolygonCCW(
                    ST_ReducePrecision(ST_ReducePrecision(g, grid / 10), grid));
            EXCEPTION WHEN internal_error THEN NULL;
            END;
            BEGIN
                RETURN ST_ForcePolygonCCW(
                    ST_ReducePrecision(ST_MakeValid(ST_SnapToGrid(g, grid)), grid));
            EXCEPTION WHEN internal_error THEN NULL;
            END;
            RETURN ST_ForcePolygonCCW(g);
        END
        $$
        """
    )
