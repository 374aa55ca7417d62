"""How geometries leave the database: as GeoJSON text drawn by PostGIS, or as WKB drawn on
the overlay grid for the files written in Python."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import shapely

from app.geo.area import without_slivers
from app.geo.polygons import snapped


def as_geojson(
    expression: str, decimals: int = 9, options: int | None = None, multi: bool = False
) -> str:
    """SQL for the geometry ``expression`` as GeoJSON with ``decimals`` digits after the
    point, snapped to that grid first. Rounding alone can make parts thinner than the grid
    (the slivers overlays leave along shared edges) cross themselves or collapse, and GIS
    clients then see invalid polygons; snapped by ST_ReducePrecision, the geometry stays
    valid at the precision written, and parts thinner than it are dropped. Outer rings turn
    counter-clockwise, as RFC 7946 asks. With ``multi``, every polygon is a MultiPolygon."""
    # drawn_on_grid (a migration's SQL function): ST_ReducePrecision, mended where GEOS fails.
    return geojson_of(f"drawn_on_grid({expression}, 1e-{decimals:d})", decimals, options, multi)


def geojson_of(
    drawn: str, decimals: int = 9, options: int | None = None, multi: bool = False
) -> str:
    """SQL for the geometry ``drawn``, already on the grid of ``decimals``, as GeoJSON."""
    extra = "" if options is None else f", {options:d}"
    if multi:
        drawn = f"ST_Multi({drawn})"
    return f"ST_AsGeoJSON({drawn}, {decimals:d}{extra})"


def kept_when_drawn(reduced: str) -> str:
    """SQL for what ``drawn_on_grid`` gives when GEOS's snap-rounding does not fail, from
    ``reduced``, the geometry already snapped by ST_ReducePrecision: NULL when nothing with
    an area is left, else with its outer rings counter-clockwise. Without the function's
    exception blocks, it opens no subtransaction; where GEOS fails, the statement fails."""
    return (
        f"CASE WHEN ST_IsEmpty({reduced}) OR ST_Area({reduced}) = 0 THEN NULL "
        f"ELSE ST_ForcePolygonCCW({reduced}) END"
    )


def drawable_in_place(geometry: str, grid: float) -> str:
    """SQL for what ``drawable(geometry, ST_SRID(geometry), grid)`` (a migration's SQL
    function) gives when GEOS does not fail, drawn in the geometry's own CRS: true when its
    area exceeds that of a band two grid steps wide along its rings, else whether
    snap-rounding leaves it some area. Without exception blocks: no subtransaction."""
    reach = f"(2 * {grid!r}::double precision)"
    reduced = f"ST_ReducePrecision({geometry}, {grid!r})"
    return (
        f"CASE WHEN ST_Area({geometry}) > 2 * {reach} * ST_Perimeter({geometry})"
        f" + ST_NRings({geometry}) * pi() * {reach} ^ 2 THEN true"
        f" ELSE NOT (ST_IsEmpty({reduced}) OR ST_Area({reduced}) = 0) END"
    )


def drawn(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows whose WKB ``geometry`` is drawn on the overlay grid and without slivers; those
    that are only slivers (land of a few square millimetres) are left out.

    On the grid, every coordinate has at most 14 significant digits: formats that write
    coordinates as text (KML, CSV) then keep them exactly, and a polygon valid here is valid
    again when read back.
    """
    kept = []
    for row in rows:
        geometry = without_slivers(snapped(shapely.from_wkb(row["geometry"])))
        if not geometry.is_empty:
            kept.append({**row, "geometry": geometry.wkb})
    return kept
