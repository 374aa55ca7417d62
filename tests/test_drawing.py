"""Geometries leave the database as valid polygons at the precision they are written with."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from sqlalchemy import text
from sqlalchemy.exc import InternalError

from app.db import engine, owner_engine
from app.storage.drawing import as_geojson

# The land of one demo hazard after its clearances: GEOS 3.11's snap-rounding (PostGIS
# ST_ReducePrecision) fails on it with "TopologyException: unable to assign free hole".
HARD_CASE = (Path(__file__).parent / "data" / "snap_rounding_failure.wkt").read_text()

pytestmark = pytest.mark.db  # draws in PostGIS


def test_a_geometry_snap_rounding_fails_on_is_still_drawn_valid() -> None:
    with engine().connect() as conn:
        try:
            conn.execute(
                text("SELECT ST_ReducePrecision(ST_GeomFromText(:wkt, 4326), 1e-9)"),
                {"wkt": HARD_CASE},
            )
            snap_rounding_failed = False
        except InternalError:
            snap_rounding_failed = True
            conn.rollback()
        served = conn.execute(
            text(f"SELECT {as_geojson('ST_GeomFromText(:wkt, 4326)')}"), {"wkt": HARD_CASE}
        ).scalar_one()
    drawn = shapely.from_geojson(served)
    land = shapely.from_wkt(HARD_CASE)
    assert drawn.is_valid, (snap_rounding_failed, shapely.is_valid_reason(drawn))
    # The same land, less strips thinner than the grid (which may be metres long).
    assert drawn.symmetric_difference(land).area < 1e-6 * land.area
    assert all(p.exterior.is_ccw for p in shapely.get_parts(drawn))


def test_drawing_works_in_parallel_queries() -> None:
    """Pages of many hazards would run as parallel plans, in which no process may start the
    subtransactions the drawing's fallbacks need: queries that draw are kept serial."""
    with owner_engine().connect() as conn:  # a table of the test's own
        version = int(conn.execute(text("SHOW server_version_num")).scalar_one())
        setting = "debug_parallel_query" if version >= 160000 else "force_parallel_mode"
        conn.execute(
            text("CREATE TABLE drawing_case AS SELECT ST_GeomFromText(:wkt, 4326) g"),
            {"wkt": HARD_CASE},
        )
        conn.execute(text(f"SET LOCAL {setting} = on"))
        plan = (
            conn.execute(text(f"EXPLAIN SELECT {as_geojson('g')} FROM drawing_case"))
            .scalars()
            .all()
        )
        served = conn.execute(text(f"SELECT {as_geojson('g')} FROM drawing_case")).scalar_one()
        conn.rollback()
    assert shapely.from_geojson(served).is_valid, plan
