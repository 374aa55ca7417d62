"""Administrative regions in PostGIS: loading them, reading them, the boundaries new land is
cut along, and the walks up and down the tree of regions that figures per region use."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from sqlalchemy import Connection, text

from app.geo.area import geodesic_area_m2
from app.geo.polygons import as_multipolygon
from app.ledger.boundaries import Boundaries
from app.ledger.region_cells import Region, boundaries_of
from app.storage.sql import Clause


def replace_regions(conn: Connection, regions: Sequence[Region], source: str) -> None:
    """Put ``regions`` in place of the loaded ones (the land state must then be re-cut)."""
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
    """The boundaries new land is cut along (None when no region is loaded), read once per
    change of the regions table: replays ask for them on every write."""
    global _cached
    fingerprint = conn.execute(
        text(
            """
            SELECT coalesce(md5(string_agg(code || ':' || ST_NPoints(geom) || ':' || area_m2,
                                           ',' ORDER BY code)), '')
              FROM regions
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
        text("SELECT code, level, parent_code, ST_AsBinary(geom) FROM regions ORDER BY code")
    ).all()
    return boundaries_of(
        [
            Region(code, "", level, parent, shapely.from_wkb(wkb))
            for code, level, parent, wkb in rows
        ]
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


def listing(conn: Connection, level: int | None = None) -> list[dict[str, Any]]:
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


# The tree of regions. Land-state rows carry the finest region their land lies in; figures
# per region of a coarser level walk up from it, and a region's land is that of the codes
# below it.


def ancestors_at(level: int) -> Clause:
    """SQL of the pairs (code, ancestor): every region and the region of ``level`` it lies
    in (itself at its own level)."""
    return Clause(
        """
        WITH RECURSIVE up(code, ancestor, level) AS (
            SELECT code, code, CAST(level AS integer) FROM regions
            UNION ALL
            SELECT up.code, r.parent_code, r.level - 1
              FROM up JOIN regions r ON r.code = up.ancestor
             WHERE r.parent_code IS NOT NULL
        )
        SELECT code, ancestor FROM up WHERE level = :ancestor_level
        """,
        {"ancestor_level": level},
    )


def codes_within(code: str) -> str:
    """SQL of the codes of the region ``code`` (an SQL expression) and of every region
    inside it."""
    return f"""
        WITH RECURSIVE below(code) AS (
            SELECT {code}
            UNION ALL
            SELECT r.code FROM regions r JOIN below b ON r.parent_code = b.code
        )
        SELECT code FROM below
    """


def top_regions(conn: Connection) -> dict[str, tuple[str, str]]:
    """Every region's code -> (code, name) of the top-level region it lies in."""
    tree = ancestors_at(1)
    rows = conn.execute(
        text(
            f"SELECT a.code, t.code, t.name FROM ({tree.sql}) a "
            "JOIN regions t ON t.code = a.ancestor"
        ),
        tree.params,
    )
    return {code: (top_code, name) for code, top_code, name in rows}
