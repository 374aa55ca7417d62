"""The land-release ledger: hazards, events, voids and the derived land-state pieces.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

CONTAMINATION_TYPES = "('CMR', 'AP mine', 'AT mine', 'other ERW')"
LAND_STATES = "('SHA', 'CHA', 'cancelled', 'reduced', 'cleared', 'corrected')"


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    # One sequence orders the recording of every fact, hazard records and events alike:
    # it breaks ties between facts with the same date of information.
    op.execute("CREATE SEQUENCE ledger_seq")
    op.execute(
        f"""
        CREATE TABLE hazards (
            id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            seq bigint NOT NULL UNIQUE DEFAULT nextval('ledger_seq'),
            reference text NOT NULL UNIQUE CHECK (btrim(reference) <> ''),
            hazard_class text NOT NULL CHECK (hazard_class IN ('SHA', 'CHA')),
            contamination text NOT NULL CHECK (contamination IN {CONTAMINATION_TYPES}),
            munitions text[] NOT NULL DEFAULT '{{}}',
            recorded_on date NOT NULL,
            region text,
            notes text,
            footprint geometry(MultiPolygon, 4326) NOT NULL
                CHECK (ST_IsValid(footprint) AND NOT ST_IsEmpty(footprint)),
            footprint_m2 double precision
                GENERATED ALWAYS AS (ST_Area(footprint::geography)) STORED,
            recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            recorded_by text
        )
        """
    )
    op.execute("CREATE INDEX hazards_footprint_idx ON hazards USING gist (footprint)")
    op.execute(
        """
        CREATE TABLE events (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            seq bigint NOT NULL UNIQUE DEFAULT nextval('ledger_seq'),
            hazard_id integer NOT NULL REFERENCES hazards (id),
            kind text NOT NULL
                CHECK (kind IN ('confirm', 'cancel', 'reduce', 'clear', 'correct')),
            occurred_on date NOT NULL,
            footprint geometry(MultiPolygon, 4326) NOT NULL
                CHECK (ST_IsValid(footprint) AND NOT ST_IsEmpty(footprint)),
            requested_m2 double precision
                GENERATED ALWAYS AS (ST_Area(footprint::geography)) STORED,
            operator text,
            method text,
            items jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(items) = 'object'),
            report_ref text,
            recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            recorded_by text
        )
        """
    )
    op.execute("CREATE INDEX events_footprint_idx ON events USING gist (footprint)")
    op.execute("CREATE INDEX events_hazard_idx ON events (hazard_id, occurred_on)")
    op.execute(
        """
        CREATE TABLE event_voids (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id bigint NOT NULL UNIQUE REFERENCES events (id),
            reason text NOT NULL CHECK (btrim(reason) <> ''),
            voided_by text,
            recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
        )
        """
    )
    # History is append-only: a mistaken fact is voided, never edited or deleted.
    op.execute(
        """
        CREATE FUNCTION refuse_history_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% on % refused: the ledger is append-only (void a fact instead)',
                TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END $$
        """
    )
    for table in ("hazards", "events", "event_voids"):
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()"
        )
    # Derived from the facts by replay (app.ledger): one row per stint of a piece of land: in
    # one state, owned by one hazard, from the fact that put it there (since) to the fact that
    # changed it (until). All stints of a piece share its geometry and area.
    # scope is 'all' for the national scope, or a contamination type for its own scope.
    op.execute(
        f"""
        CREATE TABLE land_state (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            scope text NOT NULL CHECK (scope = 'all' OR scope IN {CONTAMINATION_TYPES}),
            geom geometry(MultiPolygon, 4326) NOT NULL,
            state text NOT NULL CHECK (state IN {LAND_STATES}),
            previous_state text CHECK (previous_state IN {LAND_STATES}),
            hazard_id integer NOT NULL REFERENCES hazards (id),
            since_on date NOT NULL,
            since_seq bigint NOT NULL,
            until_on date,
            until_seq bigint,
            -- Transaction time: when the database came to hold this row, and when a later
            -- fact, void or approval replaced it (figures "as known at" a past moment).
            known_from timestamptz NOT NULL,
            known_until timestamptz,
            -- Fixed when the land is first recorded (its geodesic area), shared out in
            -- proportion to geodesic area when a piece is cut: see app.ledger.pieces.
            area_m2 double precision NOT NULL CHECK (area_m2 >= 0),
            CHECK ((until_on IS NULL) = (until_seq IS NULL))
        )
        """
    )
    current = "WHERE known_until IS NULL"
    op.execute(f"CREATE INDEX land_state_geom_idx ON land_state USING gist (geom) {current}")
    # Totals as of a date and flows over a period read these indexes only.
    op.execute(
        "CREATE INDEX land_state_as_of_idx ON land_state (scope, state, since_on) "
        f"INCLUDE (until_on, area_m2) {current}"
    )
    op.execute(
        "CREATE INDEX land_state_flow_idx ON land_state (scope, since_on) "
        f"INCLUDE (state, previous_state, area_m2) {current}"
    )
    # Figures as known at a past moment read every version of the rows.
    op.execute(
        "CREATE INDEX land_state_known_idx ON land_state (scope, since_on) "
        "INCLUDE (state, previous_state, until_on, area_m2, known_from, known_until)"
    )
    op.execute("CREATE INDEX land_state_hazard_idx ON land_state (hazard_id, scope)")
    op.execute("CREATE INDEX land_state_since_seq_idx ON land_state (since_seq)")


def downgrade() -> None:
    op.execute("DROP TABLE land_state")
    op.execute("DROP TABLE event_voids")
    op.execute("DROP TABLE events")
    op.execute("DROP TABLE hazards")
    op.execute("DROP FUNCTION refuse_history_rewrite()")
    op.execute("DROP SEQUENCE ledger_seq")
