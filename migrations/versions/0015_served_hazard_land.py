"""The land each hazard is served with, kept when its land changes rather than worked out on
every read.

A hazard is served (OGC API, hazards collection) with its remaining land: the union of its
suspected and confirmed pieces in the national land state, drawn on the grid of the digits
written (1e-9 degrees: valid there, counter-clockwise, as ``drawn_on_grid`` draws it). Worked
out per request, the union and the snap-rounding took most of the time of a page. ``hazard_land``
holds them for the newest land (each hazard's open stints), written by the land state's own
writers (app.storage.land_state, through app.storage.served_land) in the transaction that
changes the land. It is the land as of every date on or after the newest date of the land
state; the OGC API reads it for those dates and works the land out as before for the others.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No foreign key: a row is written for each hazard whose land changes, and the checks
    # would cost every write; the rows follow land_state, which has none either.
    op.execute(
        """
        CREATE TABLE hazard_land (
            hazard_id integer PRIMARY KEY,
            land geometry(MultiPolygon, 4326) NOT NULL,
            sha_m2 double precision NOT NULL,
            cha_m2 double precision NOT NULL,
            -- Some piece is something once drawn in degrees on the 1e-9 grid.
            drawable boolean NOT NULL,
            -- The land drawn on that grid, as GeoJSON with 9 digits (NULL: nothing there).
            drawn_geojson text
        )
        """
    )
    op.execute("CREATE INDEX hazard_land_land_idx ON hazard_land USING gist (land)")
    op.execute(
        """
        INSERT INTO hazard_land (hazard_id, land, sha_m2, cha_m2, drawable, drawn_geojson)
        SELECT hazard_id, land, sha_m2, cha_m2, drawable,
               ST_AsGeoJSON(ST_Multi(drawn_on_grid(land, 1e-9)), 9, 0)
          FROM (SELECT s.hazard_id,
                       CASE WHEN count(*) = 1 THEN (array_agg(s.geom))[1]
                            ELSE ST_Multi(ST_Union(s.geom)) END AS land,
                       coalesce(sum(s.area_m2) FILTER (WHERE s.state = 'SHA'), 0) AS sha_m2,
                       coalesce(sum(s.area_m2) FILTER (WHERE s.state = 'CHA'), 0) AS cha_m2,
                       bool_or(drawable(s.geom, 4326, 1e-9)) AS drawable
                  FROM land_state s
                 WHERE s.scope = 'all' AND s.known_until IS NULL AND s.until_on IS NULL
                   AND s.state IN ('SHA', 'CHA')
                 GROUP BY s.hazard_id) a
        """
    )
    # The owner's ANALYZE of the land (for the service's role) covers the kept land too.
    _analyse_ledger("public.land_state, public.hazard_land")


def downgrade() -> None:
    _analyse_ledger("public.land_state")
    op.execute("DROP TABLE hazard_land")


def _analyse_ledger(land_tables: str) -> None:
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION analyse_ledger(land_only boolean) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        BEGIN
            IF land_only THEN
                ANALYZE {land_tables};
            ELSE
                ANALYZE public.hazards, public.events, {land_tables};
            END IF;
        END
        $$
        """
    )
