"""The cells new land is cut along: administrative regions of every level reduced to pieces
of the plane that never overlap, each named by the finest region it lies in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry

from app.errors import InvalidGeometry
from app.geo.polygons import ledger_footprint, polygonal_part
from app.ledger.boundaries import Boundaries


@dataclass(frozen=True)
class Region:
    """An administrative region: level 1 is the top (a province), its children level 2."""

    code: str
    name: str
    level: int
    parent_code: str | None
    geometry: BaseGeometry


def boundaries_of(regions: Sequence[Region]) -> Boundaries:
    """The boundaries land is cut along: the cells of ``regions``, drawn as land is.

    Cells are cut along the geodesics between their vertices, as footprints are: areas are
    geodesic, so a long straight lon/lat edge would give a cell a different area depending
    on where the cut vertices fall on it.
    """
    drawn = [(code, _drawn_cell(cell)) for code, cell in region_cells(regions)]
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
            own: BaseGeometry | None = region.geometry
            if parent is not None:
                own = polygonal_part(
                    shapely.intersection(region.geometry, inside_ancestors(parent))
                )
            within[region.code] = own if own is not None else shapely.Polygon()
        return within[region.code]

    cells = []
    for region in sorted(regions, key=lambda r: (-r.level, r.code)):
        whole = inside_ancestors(region)
        own: BaseGeometry | None = whole
        if region.level < finest and region.code in children:
            covered = shapely.union_all([inside_ancestors(c) for c in children[region.code]])
            own = polygonal_part(shapely.difference(whole, covered))
        if own is not None and not own.is_empty:
            cells.append((region.code, own))
    return cells
