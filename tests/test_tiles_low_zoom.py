"""Vector tiles at low zooms draw the land kept generalised with each land-state row
(migration 0020): the same land as the full geometry, within half a tile unit.

The land expected is worked out independently: the hazard's polygon and its clearance in
Shapely, projected to Web Mercator by pyproj. The tiles are decoded by GDAL.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from tests.support.shapes import ORIGIN_E, ORIGIN_N, lonlat, new_event, new_hazard
from tests.support.tiles import decoded, tile_of

WORLD_M = 40075016.685578488  # the width of Web Mercator
_TO_MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


def _outline(east: float, north: float, radius_m: float, vertices: int) -> BaseGeometry:
    """A wavy outline (metres, UTM 48N) drawn with vertices closer than a tile unit at these
    zooms: simplification has many to take out. No spikes narrower than a unit, which a
    tile leaves out wherever they are."""
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    radii = radius_m * (1 + 0.15 * np.sin(3 * angles) + 0.04 * np.sin(23 * angles))
    return shapely.Polygon(
        np.column_stack([east + radii * np.cos(angles), north + radii * np.sin(angles)])
    )


BIG = _outline(ORIGIN_E, ORIGIN_N, 3000, 600)  # about 6 km across
CLEARED = _outline(ORIGIN_E + 600, ORIGIN_N - 400, 700, 150)  # inside it


def _mercator(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geometry, lambda xy: np.column_stack(_TO_MERCATOR.transform(*xy.T)))


def _tile(geometry: BaseGeometry, z: int) -> tuple[int, int, int]:
    x, y = tile_of(geometry.centroid.x, geometry.centroid.y, z)
    return z, y, x


def _in_tile(land: BaseGeometry, z: int) -> BaseGeometry:
    """``land`` within the tile over the site and its buffer of 64 units, which it holds."""
    _, y, x = _tile(lonlat(BIG), z)
    size = WORLD_M / 2**z
    west, north = -WORLD_M / 2 + x * size, WORLD_M / 2 - y * size
    margin = 64 * size / 4096
    return land.intersection(
        shapely.box(west - margin, north - size - margin, west + size + margin, north + margin)
    )


def _drawn(client: httpx.Client, tmp_path: Path, z: int, as_of: str) -> dict[str, BaseGeometry]:
    """The tile's land over the site, by state, in Web Mercator."""
    z, y, x = _tile(lonlat(BIG), z)
    tile = client.get(
        f"/ogc/collections/land/tiles/WebMercatorQuad/{z}/{y}/{x}", params={"as_of": as_of}
    )
    assert tile.status_code == 200, tile.text
    found: dict[str, list[BaseGeometry]] = {}
    for feature in decoded(tile, tmp_path, z, y, x):
        found.setdefault(str(feature["state"]), []).append(feature["geometry"])
    return {state: shapely.union_all(parts) for state, parts in found.items()}


def _same_land(drawn: BaseGeometry, pieces: list[BaseGeometry], z: int) -> None:
    """``drawn`` is the land of ``pieces`` (each drawn on its own) within the tile's own
    tolerance: simplified by half a unit in all (the generalised geometry and the tile's
    simplification together), then each vertex snapped to the unit grid (half a diagonal):
    1.21 units at most."""
    unit = WORLD_M / 2**z / 4096
    pieces = [_in_tile(piece, z) for piece in pieces]
    land = shapely.union_all(pieces)
    near = 1.21 * unit
    assert drawn.is_valid and not drawn.is_empty
    # Nothing drawn further than that from the land, no land further than that from the drawing.
    assert land.buffer(near).covers(drawn)
    assert drawn.buffer(near).covers(land)
    # Each piece's outline moves by that much at most: the area by their lengths times that.
    assert abs(drawn.area - land.area) <= sum(piece.length for piece in pieces) * near


def test_low_zoom_tiles_draw_the_land_within_half_a_tile_unit(call, tmp_path) -> None:
    client = call("authority")
    body = new_hazard("BIG", lonlat(BIG), "2014-01-01")
    assert client.post("/api/v1/hazards", json=body).status_code == 201
    clearance = new_event(lonlat(CLEARED), "clear", "2016-01-01")
    assert client.post("/api/v1/hazards/BIG/events", json=clearance).status_code == 201
    # Two pieces from then on, dated as the ledger replays them: the cleared part and the rest.
    cleared = _mercator(lonlat(CLEARED))
    rest = _mercator(lonlat(BIG)).difference(cleared)
    analyst = call("analyst")
    for z in (7, 8):  # zooms the generalised land is drawn at, the site big enough to see
        drawn = _drawn(analyst, tmp_path, z, "2015-01-01")
        assert set(drawn) == {"SHA"}
        _same_land(drawn["SHA"], [rest, cleared], z)
        # The clearance replayed the land: its new rows carry their generalised land too.
        drawn = _drawn(analyst, tmp_path, z, "2017-01-01")
        assert set(drawn) == {"SHA", "cleared"}
        _same_land(drawn["SHA"], [rest], z)
        _same_land(drawn["cleared"], [cleared], z)
