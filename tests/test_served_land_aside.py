"""The kept land of hazards on new land, drawn on a second connection, is the land the
transaction itself would draw: the same rows, for a batch large enough to be drawn aside,
and the same again when drawing aside fails and the transaction draws it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import shapely
from shapely.geometry import MultiPolygon
from sqlalchemy import Connection, text

from app.db import engine
from app.geo.polygons import as_multipolygon
from app.ledger.facts import NewHazard
from app.ledger.states import Contamination, HazardClass
from app.services import recording
from app.storage import bulk, served_land, served_land_aside
from tests.support.shapes import rect

pytestmark = pytest.mark.db  # one test reaches the database through the engine alone


def _hazards() -> list[NewHazard]:
    """Enough hazards to be drawn aside: most alone, some pairs overlapping each other (a
    group replayed from scratch), of two contamination types and both classes."""
    count = served_land_aside.MIN_HAZARDS + 20
    hazards = [
        NewHazard(
            f"H{i}",
            HazardClass.SHA if i % 3 else HazardClass.CHA,
            Contamination.CMR if i % 2 else Contamination.AP_MINE,
            date(2020, 1, 1 + i % 28),
            MultiPolygon(
                [rect(30 * (i % 40), 30 * (i // 40), 30 * (i % 40) + 20, 30 * (i // 40) + 20)]
            ),
        )
        for i in range(count)
    ]
    # Overlapping the first ten, recorded later in the same batch.
    hazards += [
        NewHazard(
            f"O{i}",
            HazardClass.CHA,
            Contamination.CMR,
            date(2021, 6, 1),
            MultiPolygon([rect(30 * i + 10, 5, 30 * i + 28, 15)]),
        )
        for i in range(10)
    ]
    return hazards


def _kept(conn: Connection) -> dict[int, tuple]:
    rows = conn.execute(
        text(
            "SELECT hazard_id, ST_AsEWKB(land), sha_m2, cha_m2, drawable, drawn_geojson "
            "FROM hazard_land"
        )
    )
    return {hazard_id: tuple(values) for hazard_id, *values in rows}


def _drawn_in_the_transaction(conn: Connection) -> dict[int, tuple]:
    ids = list(conn.execute(text("SELECT id FROM hazards")).scalars())
    served_land.refresh(conn, set(ids))
    return _kept(conn)


@pytest.mark.parametrize("aside_fails", [False, True])
def test_kept_land_drawn_aside_is_that_of_the_transaction(
    conn: Connection, monkeypatch: pytest.MonkeyPatch, aside_fails: bool
) -> None:
    drawn_aside: list[bool] = []
    draw = served_land_aside._drawn

    def watched(engine, params):  # type: ignore[no-untyped-def]
        drawn_aside.append(True)
        return None if aside_fails else draw(engine, params)

    monkeypatch.setattr(served_land_aside, "_drawn", watched)
    with conn.begin():
        results = recording.record_hazards(conn, _hazards())
        assert all(isinstance(r, recording.HazardRecorded) for r in results)
        assert drawn_aside == [True]
        kept = _kept(conn)
        assert len(kept) == len(results)
        assert kept == _drawn_in_the_transaction(conn)
        assert served_land.stale_hazards(conn) == []
        conn.rollback()


def test_a_few_hazards_are_drawn_in_the_transaction(
    conn: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(served_land_aside, "_drawn", lambda *_: pytest.fail("drawn aside"))
    with conn.begin():
        recording.record_hazards(conn, _hazards()[:3])
        assert len(_kept(conn)) == 3
        assert served_land.stale_hazards(conn) == []
        conn.rollback()


def test_land_geos_fails_on_is_left_to_the_transaction() -> None:
    """Drawn aside, the land GEOS's snap-rounding fails on gives no rows at all (the
    transaction then draws the batch with the mending functions); other land gives its row."""
    hard_case = shapely.from_wkt(
        (Path(__file__).parent / "data" / "snap_rounding_failure.wkt").read_text()
    )

    def drawn(geometry: shapely.Geometry) -> list | None:
        return served_land_aside._drawn(
            engine(),
            {
                "ids": [7],
                "geoms": [bytes(g) for g in bulk.ewkb([as_multipolygon(geometry)])],
                "areas": [1.0],
                "states": ["SHA"],
            },
        )

    assert drawn(hard_case) is None
    rows = drawn(rect(0, 0, 300, 200))
    assert rows is not None and [(r[0], r[2], r[3], r[4]) for r in rows] == [(7, 1.0, 0.0, True)]
