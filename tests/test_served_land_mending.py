"""The kept land of a batch of hazards is written whole when GEOS fails on one of them.

``hazard_land`` is written without the mending SQL functions (no subtransaction per hazard);
when GEOS's snap-rounding fails on the land of one hazard of a batch, the batch is written
again with them. The hazard GEOS fails on is then drawn as ``drawn_on_grid`` mends it, and
the others exactly as the quick way wrote them: a hazard with land and one whose land is only
a sliver, nothing once drawn.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import shapely
from sqlalchemy import Connection, text
from sqlalchemy.exc import InternalError

from app.db import engine
from app.storage import served_land
from tests.support.reference import area_m2
from tests.support.shapes import new_event, new_hazard, rect

pytestmark = pytest.mark.db  # some tests reach the database through the engine alone

# The land of one demo hazard after its clearances, on which GEOS 3.11's snap-rounding fails
# ("TopologyException: unable to assign free hole"); tests/test_drawing.py draws it alone.
HARD_CASE = shapely.from_wkt(
    (Path(__file__).parent / "data" / "snap_rounding_failure.wkt").read_text()
)
LAND = rect(0, 0, 300, 200)
SLIVER_HOLDER = rect(600, 0, 800, 200)
# 1 µm wide, 2 m long, east of SLIVER_HOLDER: nothing on the 1e-9° grid.
_WEST = round(SLIVER_HOLDER.bounds[2] + 2e-4, 11)
_SOUTH = round(SLIVER_HOLDER.bounds[1] + 1e-4, 9) + 2e-10
SLIVER = shapely.box(_WEST, _SOUTH, _WEST + 2e-5, _SOUTH + 1e-11)
FAILING = rect(1200, 0, 1400, 200)


def _add_land(conn: Connection, reference: str, geometry: shapely.Geometry) -> int:
    """A piece of land the hazard holds since its record (national and contamination
    models), as the replay writes land-state rows; its kept land is not refreshed."""
    return (
        conn.execute(
            text(
                """
            INSERT INTO land_state (scope, geom, state, previous_state, hazard_id,
                                    since_on, since_seq, known_from, area_m2)
            SELECT scope, ST_Multi(ST_GeomFromText(:wkt, 4326)), 'SHA', NULL, h.id,
                   h.recorded_on, h.seq, now(), :area
              FROM hazards h, unnest(ARRAY['all', h.contamination]) scope
             WHERE h.reference = :reference
            RETURNING hazard_id
            """
            ),
            {"wkt": geometry.wkt, "area": area_m2(geometry), "reference": reference},
        )
        .scalars()
        .first()
    )


def _kept(conn: Connection) -> dict[str, tuple]:
    rows = conn.execute(
        text(
            """
            SELECT h.reference, ST_AsEWKB(k.land), k.sha_m2, k.cha_m2, k.drawable,
                   k.drawn_geojson
              FROM hazard_land k JOIN hazards h ON h.id = k.hazard_id
            """
        )
    )
    return {reference: tuple(values) for reference, *values in rows}


@pytest.fixture
def hazard_ids(client: httpx.Client) -> dict[str, int]:
    """LAND holds land; SLIVER_HOLDER, cleared to its edge, a sliver only; FAILING, cleared
    to its edge, nothing yet."""
    for reference, polygon in (
        ("LAND", LAND),
        ("SLIVER_HOLDER", SLIVER_HOLDER),
        ("FAILING", FAILING),
    ):
        assert (
            client.post("/api/v1/hazards", json=new_hazard(reference, polygon)).status_code == 201
        )
        if reference != "LAND":
            cleared = client.post(
                f"/api/v1/hazards/{reference}/events",
                json=new_event(polygon, "clear", "2015-01-01", operator="NPA"),
            )
            assert cleared.status_code == 201, cleared.text
    with engine().begin() as conn:
        sliver_holder = _add_land(conn, "SLIVER_HOLDER", SLIVER)
        served_land.refresh(conn, {sliver_holder})
        ids = {r: i for r, i in conn.execute(text("SELECT reference, id FROM hazards"))}
    return ids


def test_a_batch_with_land_geos_fails_on_is_written_mended(hazard_ids: dict[str, int]) -> None:
    with engine().begin() as conn:
        quick = _kept(conn)  # written without the mending functions
        assert set(quick) == {"LAND", "SLIVER_HOLDER"}
        assert quick["LAND"][3] is True and quick["LAND"][4] is not None
        # The sliver alone is nothing when drawn: no geometry, not drawable.
        assert quick["SLIVER_HOLDER"][3] is False and quick["SLIVER_HOLDER"][4] is None

        _add_land(conn, "FAILING", HARD_CASE)
        served_land.refresh(conn, set(hazard_ids.values()))  # one batch of the three
        mended = _kept(conn)
        land = conn.execute(
            text("SELECT land FROM hazard_land WHERE hazard_id = :id"),
            {"id": hazard_ids["FAILING"]},
        ).scalar_one()
        expected = conn.execute(
            text("SELECT ST_AsGeoJSON(ST_Multi(drawn_on_grid(:land, 1e-9)), 9, 0)"),
            {"land": land},
        ).scalar_one()
        assert served_land.stale_hazards(conn) == []
        conn.rollback()

    assert mended["LAND"] == quick["LAND"]
    assert mended["SLIVER_HOLDER"] == quick["SLIVER_HOLDER"]
    failing = mended["FAILING"]
    assert failing[3] is True and failing[4] == expected
    drawn = shapely.from_geojson(failing[4])
    assert drawn.is_valid, shapely.is_valid_reason(drawn)
    assert drawn.symmetric_difference(HARD_CASE).area < 1e-6 * HARD_CASE.area
    assert all(p.exterior.is_ccw for p in shapely.get_parts(drawn))


def test_snap_rounding_fails_on_that_land() -> None:
    """What the test above rests on: GEOS fails where the quick way snap-rounds."""
    with engine().connect() as conn, pytest.raises(InternalError) as failure:
        conn.execute(
            text("SELECT ST_ReducePrecision(ST_Multi(ST_GeomFromText(:wkt, 4326)), 1e-9)"),
            {"wkt": HARD_CASE.wkt},
        )
    assert failure.value.orig is not None
    assert failure.value.orig.sqlstate == served_land.GEOS_FAILED
