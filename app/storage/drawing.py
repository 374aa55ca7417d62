"""How geometries leave the database as GeoJSON text."""

from __future__ import annotations


def as_geojson(expression: str, decimals: int = 9, options: int | None = None) -> str:
    """SQL for the geometry ``expression`` as GeoJSON with ``decimals`` digits after the
    point, snapped to that grid first. Rounding alone can make parts thinner than the grid
    (the slivers overlays leave along shared edges) cross themselves or collapse, and GIS
    clients then see invalid polygons; snapped by ST_ReducePrecision, the geometry stays
    valid at the precision written, and parts thinner than it are dropped. Outer rings turn
    counter-clockwise, as RFC 7946 asks."""
    extra = "" if options is None else f", {options:d}"
    # drawn_on_grid (a migration's SQL function): ST_ReducePrecision, mended where GEOS fails.
    return f"ST_AsGeoJSON(drawn_on_grid({expression}, 1e-{decimals:d}), {decimals:d}{extra})"
