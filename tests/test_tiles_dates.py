"""Vector tiles of a date draw the pieces alive that day, found by the index of the tiles on
their stints' date ranges (migration 0021): the first and the last day of each stint, the
day a fact changes the land, open-ended stints, and the tiles of every zoom.

The pieces expected are worked out independently, from the facts' dates and the rule of a
stint (alive from its first day, not on the day the next fact ends it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import Connection, text

from app.storage.conditions import alive, alive_during
from tests.support.shapes import new_event, new_hazard, rect
from tests.support.tiles import decoded, tile_of

SITE = rect(0, 0, 2000, 1500)  # lon/lat
CLEARED = rect(0, 0, 800, 1500)
RECORDED, CLEARED_ON = "2014-03-01", "2016-05-10"

# The state of each piece drawn on each date: none before the hazard is recorded; from that
# day, the two pieces the ledger keeps (the part cleared later and the rest: the replay cuts
# the land from its start), suspected; from the clearance's day (not the day before), the
# rest and the cleared part, no longer suspected.
EXPECTED = {
    "2014-02-28": [],
    RECORDED: ["SHA", "SHA"],
    "2016-05-09": ["SHA", "SHA"],
    CLEARED_ON: ["SHA", "cleared"],
    "2016-05-11": ["SHA", "cleared"],
    "2031-01-01": ["SHA", "cleared"],  # stints still open
}


def _tile_over_site(z: int) -> tuple[int, int, int]:
    x, y = tile_of(SITE.centroid.x, SITE.centroid.y, z)
    return z, y, x


def _states(client: httpx.Client, tmp_path: Path, z: int, on: str) -> list[str]:
    """The state of each feature of the tile over the site on ``on``, sorted."""
    z, y, x = _tile_over_site(z)
    tile = client.get(
        f"/ogc/collections/land/tiles/WebMercatorQuad/{z}/{y}/{x}", params={"as_of": on}
    )
    assert tile.status_code in (200, 204), tile.text
    if not tile.content:
        return []
    return sorted(str(feature["state"]) for feature in decoded(tile, tmp_path, z, y, x))


def _record_site(call) -> None:
    client = call("authority")
    body = new_hazard("SITE", SITE, RECORDED)
    assert client.post("/api/v1/hazards", json=body).status_code == 201
    clearance = new_event(CLEARED, "clear", CLEARED_ON)
    assert client.post("/api/v1/hazards/SITE/events", json=clearance).status_code == 201


def test_tiles_draw_the_pieces_alive_on_each_date_at_every_zoom(call, tmp_path) -> None:
    _record_site(call)
    analyst = call("analyst")
    for z in (5, 6, 8, 12):  # drawn from the generalised land up to 8, from the land after
        for on, states in EXPECTED.items():
            assert _states(analyst, tmp_path, z, on) == states, (z, on)


def test_the_date_range_condition_selects_the_rows_alive_selects(call, conn: Connection) -> None:
    _record_site(call)
    # A stint that begins and ends the same day, besides: alive on no day.
    conn.execute(
        text(
            "INSERT INTO land_state (scope, geom, state, hazard_id, since_on, since_seq, until_on,"
            " until_seq, known_from, area_m2) SELECT scope, geom, state, hazard_id, since_on,"
            " since_seq, since_on, since_seq + 1, known_from, area_m2 FROM land_state LIMIT 1"
        )
    )
    days = [date.fromisoformat(on) for on in EXPECTED] + [date(2014, 3, 2), date(2016, 5, 8)]
    alive_rows = []
    for day in days:
        same = conn.execute(
            text(
                f"SELECT count(*) FILTER (WHERE {alive('s')}), "
                f"count(*) FILTER (WHERE {alive_during('s')}), count(*) FROM land_state s"
            ),
            {"as_of": day},
        ).one()
        assert same[0] == same[1], (day, same)
        alive_rows.append(same[0])
    conn.rollback()
    assert min(alive_rows) == 0 and max(alive_rows) > 0  # days with and without land
