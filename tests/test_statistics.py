"""The planner's statistics of the ledger tables: a write they lag behind is noticed."""

from __future__ import annotations

from datetime import date

from shapely.geometry import MultiPolygon
from sqlalchemy import text

from app.ledger.facts import NewHazard
from app.ledger.states import Contamination, HazardClass
from app.services import recording
from app.storage.statistics import Statistics, analyse, behind
from tests.support.shapes import rect


def _flushed(conn) -> None:
    """This session's counts of rows written, sent to the statistics others read."""
    conn.execute(text("SELECT pg_stat_force_next_flush()"))
    conn.commit()


def test_a_write_the_statistics_have_not_seen_is_analysed_first(conn) -> None:
    analyse(conn, land_only=False)
    _flushed(conn)
    assert not behind(conn)
    conn.commit()
    with conn.begin():
        recording.record_hazards(
            conn,
            [
                NewHazard(
                    f"H{i}",
                    HazardClass.SHA,
                    Contamination.CMR,
                    date(2020, 1, 1),
                    MultiPolygon([rect(30 * i, 0, 30 * i + 20, 20)]),
                )
                for i in range(80)
            ],
        )
    _flushed(conn)
    assert behind(conn)
    conn.commit()
    with conn.begin():
        statistics = Statistics(conn)
        statistics.keep_up(10)  # the first batch finds the tables analysed
    _flushed(conn)
    assert not behind(conn)
