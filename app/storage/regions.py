"""Administrative regions in PostGIS, and the boundaries new land is cut along."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.geo.area import geodesic_area_m2
from app.geo.polygons import as_multipolygon, ledger_footprint
from app.ledger.boundaries import Boundaries


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: int
    parent_code: str | None
    geometry: BaseGeometry


def replace_regions(conn: Connection, regions: Sequence[Region], source: str) -> None:
    """Put ``regions`` in place of the loaded ones (the land state must then be rebuilt)."""
    conn.execute(text("DELETE FROM regions"))
    for level in sorted({r.level for r in regions}):  # parents first
        conn.execute(
            text(
                """
                INSERT INTO regions (code, name, level, parent_code, geom, area_m2, source)
                VALUES (:code, :name, :level, :parent_code,
                        ST_GeomFromWKB(:wkb, 4326), :area_m2, :source)
                """
            ),
            [
                {
                    "code": r.code,
                    "name": r.name,
                    "level": r.level,
                    "parent_code": r.parent_code,
                    "wkb": as_multipolygon(r.geometry).wkb,
                    "area_m2": geodesic_area_m2(r.geometry),
                    "source": source,
                }
                for r in regions
                if r.level == level
            ],
        )


_cache_lock = threading.Lock()
_cached: tuple[str, Boundaries | None] | None = None


def boundaries(conn: Connection) -> Boundaries | None:
    """The regions of the finest level loaded (None when there are none), read once per
    change of the regions table: replays ask for them on every write."""
    global _cached
    fingerprint = conn.execute(
        text(
            """
            SELECT coalesce(md5(string_agg(code || ':' || ST_NPoints(geom) || ':' || area_m2,
                                           ',' ORDER BY code)), '')
              FROM regions WHERE level = (SELECT max(level) FROM regions)
            """
        )
    ).scalar_one()
    with _cache_lock:
        if _cached is not None and _cached[0] == fingerprint:
            return _cached[1]
    loaded = _load(conn) if fingerprint else None
    with _cache_lock:
        _cached = (fingerprint, loaded)
    return loaded


def _load(conn: Connection) -> Boundaries:
    rows = conn.execute(
        text(
            """
            SELECT code, ST_AsBinary(geom) FROM regions
             WHERE level = (SELECT max(level) FROM regions) ORDER BY code
            """
        )
    ).all()
    # Cut along the geodesics between boundary vertices, as footprints are: areas are
    # geodesic, so a long straight lon/lat edge would give a piece a different area
    # depending on where the cut vertices fall on it.
    return Boundaries(
        [code for code, _ in rows], [ledger_footprint(shapely.from_wkb(wkb)) for _, wkb in rows]
    )


def levels(conn: Connection) -> list[int]:
    return list(conn.execute(text("SELECT DISTINCT level FROM regions ORDER BY level")).scalars())


@dataclass(frozen=True)
class RegionName:
    code: str
    name: str
    level: int
    parent_code: str | None


def names(conn: Connection, level: int | None = None) -> list[RegionName]:
    """Regions (of one level, or all) without their geometry, by level and code."""
    return [
        RegionName(r["code"], r["name"], r["level"], r["parent_code"]) for r in listing(conn, level)
    ]


def listing(conn: Connection, level: int | None = None) -> list[dict]:
    """Regions without geometry, with their geodesic area and source."""
    rows = conn.execute(
        text(
            """
            SELECT code, name, level, parent_code, area_m2, source FROM regions
             WHERE CAST(:level AS integer) IS NULL OR level = :level
             ORDER BY level, code
            """
        ),
        {"level": level},
    )
    return [row._asdict() for row in rows]
