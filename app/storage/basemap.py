"""The offline basemap: its features by layer, where they came from, and its vector tiles."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, text

LAYERS = ("lakes", "rivers", "roads", "borders", "places")  # drawn in this order
WEB_MERCATOR_WIDTH_M = 40075016.685578488
METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class BasemapRow:
    wkb: bytes  # a lon/lat geometry
    rank: int = 0  # rivers: the WDBII level (1 largest); roads: the file's class, if any
    name: str | None = None
    name_local: str | None = None  # in the country's own script
    population: int | None = None


def replace_layer(
    conn: Connection, layer: str, rows: Iterable[BasemapRow], source: str, licence: str
) -> int:
    """Replace ``layer`` whole with ``rows``; says where they came from."""
    conn.execute(text("DELETE FROM basemap_features WHERE layer = :layer"), {"layer": layer})
    values = [
        {
            "layer": layer,
            "wkb": r.wkb,
            "rank": r.rank,
            "name": r.name,
            "name_local": r.name_local,
            "population": r.population,
        }
        for r in rows
    ]
    if values:
        conn.execute(
            text(
                "INSERT INTO basemap_features (layer, rank, name, name_local, population, geom) "
                "VALUES (:layer, :rank, :name, :name_local, :population, "
                "ST_GeomFromWKB(:wkb, 4326))"
            ),
            values,
        )
    conn.execute(
        text(
            "INSERT INTO basemap_sources (layer, source, licence) "
            "VALUES (:layer, :source, :licence) "
            "ON CONFLICT (layer) DO UPDATE SET source = excluded.source, "
            "licence = excluded.licence, loaded_at = now()"
        ),
        {"layer": layer, "source": source, "licence": licence},
    )
    return len(values)


def layers(conn: Connection) -> list[dict]:
    """Each loaded layer with its number of features, source and licence."""
    rows = conn.execute(
        text(
            """
            SELECT s.layer, s.source, s.licence, s.loaded_at,
                   (SELECT count(*) FROM basemap_features f WHERE f.layer = s.layer) AS features
              FROM basemap_sources s ORDER BY s.layer
            """
        )
    ).mappings()
    return [dict(row) for row in rows]


def regions_extent(conn: Connection) -> tuple[float, float, float, float] | None:
    row = conn.execute(
        text(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
            "(SELECT ST_Extent(geom) AS e FROM regions) x"
        )
    ).one()
    return None if row[0] is None else (row[0], row[1], row[2], row[3])


# What a zoom shows: the larger rivers and the larger places first.
def _river_rank(z: int) -> int:
    return 2 if z < 7 else 4 if z < 10 else 10


def _min_population(z: int) -> int:
    return 50_000 if z < 7 else 5_000 if z < 9 else 0


_TILE = """
    WITH t AS (
        SELECT ST_AsMVTGeom(
                   ST_Transform(ST_Simplify(f.geom, :tolerance, true), 3857),
                   ST_TileEnvelope(:z, :x, :y), 4096, 64, true) AS geom,
               f.rank, f.name, f.name_local, f.population
          FROM basemap_features f
         WHERE f.layer = :layer
           AND f.geom && ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 0.02), 4326)
           AND (f.layer <> 'rivers' OR f.rank <= :river_rank)
           AND (f.layer <> 'places' OR coalesce(f.population, 0) >= :min_population)
    )
    SELECT ST_AsMVT(t.*, :layer, 4096, 'geom') FROM t WHERE t.geom IS NOT NULL
"""


def tile(conn: Connection, z: int, x: int, y: int) -> bytes:
    """A vector tile with a layer per basemap layer (a tile's layers are concatenated)."""
    latitude = math.atan(math.sinh(math.pi * (1 - 2 * (y + 0.5) / 2**z)))
    ground_unit_m = WEB_MERCATOR_WIDTH_M / 2**z / 4096 * math.cos(latitude)
    params = {
        "z": z,
        "x": x,
        "y": y,
        "tolerance": ground_unit_m / 2 / METRES_PER_DEGREE,
        "river_rank": _river_rank(z),
        "min_population": _min_population(z),
    }
    parts = [conn.execute(text(_TILE), {**params, "layer": layer}).scalar() for layer in LAYERS]
    return b"".join(bytes(p) for p in parts if p)
