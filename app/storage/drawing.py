"""How geometries leave the database as GeoJSON text."""

from __future__ import annotations


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
