"""Administrative regions in PostGIS, and the boundaries new land is cut along."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.errors import InvalidGeometry
from app.geo.area import geodesic_area_m2
from app.geo.polygons import as_multipolygon, ledger_footprint, polygonal_part
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
    cells = region_cells(
        [
            Region(code, "", level, parent, shapely.from_wkb(wkb))
            for code, level, parent, wkb in rows
        ]
    )
    # Cut along the geodesics between boundary vertices, as footprints are: areas are
    # geodesic, so a long straight lon/lat edge would give a cell a different area
    # depending on where the cut vertices fall on it.
    drawn = [(code, _drawn_cell(cell)) for code, cell in cells]
    kept = [(code, cell) for code, cell in drawn if cell is not None]
    return Boundaries([code for code, _ in kept], [cell for _, cell in kept])


def _drawn_cell(cell: BaseGeometry) -> BaseGeometry | None:
    """A cell as land is cut along it; None for a speck thinner than the ledger's grid
    (what is left of a region once its children are taken out may be only that)."""
    try:
        return ledger_footprint(cell)
    except InvalidGeometry:
        return None


def region_cells(regions: Sequence[Region]) -> list[tuple[str, BaseGeometry]]:
    """The cells land is cut along, each named by the finest region it lies in: a region of
    the finest level within its ancestors, and the part of a coarser region that none of
    its children covers. Every level then adds up from the cells exactly, even where a
    region's children leave gaps in it or reach beyond it (boundaries drawn apart).

    Plain floating-point overlays: on the ledger's 1e-11° grid, GEOS loses the long, narrow
    gaps of a province some 100 km across (the difference comes out empty)."""
    by_code = {r.code: r for r in regions}
    children: dict[str, list[Region]] = {}
    for region in regions:
        if region.parent_code is not None:
            children.setdefault(region.parent_code, []).append(region)
    finest = max(r.level for r in regions)
    within: dict[str, BaseGeometry] = {}

    def inside_ancestors(region: Region) -> BaseGeometry:
        if region.code not in within:
            parent = by_code.get(region.parent_code) if region.parent_code else None
            own = region.geometry
            if parent is not None:
                own = polygonal_part(shapely.intersection(own, inside_ancestors(parent)))
            within[region.code] = own if own is not None else shapely.Polygon()
        return within[region.code]

    cells = []
    for region in sorted(regions, key=lambda r: (-r.level, r.code)):
        own = inside_ancestors(region)
        if region.level < finest and region.code in children:
            covered = shapely.union_all([inside_ancestors(c) for c in children[region.code]])
            own = polygonal_part(shapely.difference(own, covered))
        if own is not None and not own.is_empty:
            cells.append((region.code, own))
    return cells


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
