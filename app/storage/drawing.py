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
    extra = "" if options is None else f", {options:d}"
    # drawn_on_grid (a migration's SQL function): ST_ReducePrecision, mended where GEOS fails.
    drawn = f"drawn_on_grid({expression}, 1e-{decimals:d})"
    if multi:
        drawn = f"ST_Multi({drawn})"
    return f"ST_AsGeoJSON({drawn}, {decimals:d}{extra})"


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
