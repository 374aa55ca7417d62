"""Vector tiles as a GIS client meets them: which tile of WebMercatorQuad holds a point, and
a tile's features as GDAL decodes them."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import httpx
import pyogrio
import shapely


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The column and row (x, y) of the tile at zoom ``z`` that holds the point."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def decoded(
    tile: httpx.Response, folder: Path, z: int, y: int, x: int, layer: str = "land"
) -> list[dict[str, Any]]:
    """The features of ``layer`` in the tile ``z/y/x`` answered by ``tile``, read by GDAL's
    MVT driver (its own tile coordinates, so geometries in Web Mercator): each feature's
    properties and its Shapely ``geometry``."""
    path = folder / f"{layer}-{z}-{y}-{x}-{len(list(folder.glob('*.mvt')))}.mvt"
    path.write_bytes(tile.content)
    meta, _, geometries, columns = pyogrio.raw.read(
        path, layer=layer, X=str(x), Y=str(y), Z=str(z), METADATA_FILE=""
    )
    names = list(meta["fields"])
    return [
        {**{name: columns[j][i] for j, name in enumerate(names)}, "geometry": g}
        for i, g in enumerate(shapely.from_wkb(geometries))
    ]
