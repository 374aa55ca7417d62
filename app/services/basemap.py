"""Fill the basemap tables for the area of the loaded regions (plus a margin)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection

from app.basemap import sources
from app.storage import basemap

MARGIN_DEGREES = 0.3  # a little of the neighbours around the country, for orientation


def prepared(conn: Connection) -> bool:
    """Some basemap layer is loaded already."""
    return bool(basemap.layers(conn))


def area_of_interest(conn: Connection) -> sources.Box | None:
    extent = basemap.regions_extent(conn)
    if extent is None:
        return None
    west, south, east, north = extent
    m = MARGIN_DEGREES
    return (west - m, south - m, east + m, north + m)


def load_natural(conn: Connection, box: sources.Box) -> dict[str, int]:
    """Rivers, lakes and borders from GSHHG through GMT."""
    res = sources.resolution()
    counts = {}
    for layer, rows in (
        ("rivers", sources.rivers(box, res)),
        ("lakes", sources.lakes(box, res)),
        ("borders", sources.borders(box, res)),
    ):
        counts[layer] = basemap.replace_layer(
            conn, layer, rows, sources.GSHHG, sources.GSHHG_LICENCE
        )
    return counts


def load_places(conn: Connection, wheel: Path, box: sources.Box) -> int:
    rows = sources.places(wheel, box)
    return basemap.replace_layer(conn, "places", rows, sources.GEONAMES, sources.GEONAMES_LICENCE)


def load_roads(conn: Connection, path: Path, source: str, licence: str, layer: str | None) -> int:
    return basemap.replace_layer(conn, "roads", sources.roads(path, layer), source, licence)
