"""The documents of the vector tiles (OGC API – Tiles): the tile matrix set, the tilesets of
each collection and of the dataset (the land and the regions in one tile), their limits,
and TileJSON for clients that read that instead.

The tile matrix set is written as the Two Dimensional Tile Matrix Set standard 2.0 defines
it, with the members of version 1.0 beside them (``identifier``, ``boundingBox``,
``supportedCRS``; each matrix's ``identifier`` and ``topLeftCorner``): GDAL 3.6 reads only
1.0, and takes a document without them for the name of a tile matrix set it then fails to
find. Extra members are allowed in 2.0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from app.ogc.collections import Collection
from app.ogc.crs import CRS84
from app.ogc.documents import JSON, link

WEB_MERCATOR_QUAD = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
WEB_MERCATOR_URI = "http://www.opengis.net/def/crs/EPSG/0/3857"
TILING_SCHEME_REL = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
MVT = "application/vnd.mapbox-vector-tile"
TILEJSON = "application/vnd.mapbox.tile+json"
HALF_WORLD = 20037508.342789244
MAX_ZOOM = 22  # of the tile matrix set; each tileset says to which zoom it is worth asking
_TOP_SCALE = 559082264.028717
_TOP_CELL = 156543.033928041

Extent = tuple[float, float, float, float]


@dataclass(frozen=True)
class Tileset:
    """A tileset: where it is, what it holds, and the lon/lat extent of its data."""

    href: str  # .../tiles/WebMercatorQuad
    title: str
    layers: tuple[Collection, ...]
    extent: Extent | None

    @property
    def max_zoom(self) -> int:
        return max(c.tiles.max_zoom for c in self.layers if c.tiles is not None)


def tile_matrix_set() -> dict[str, Any]:
    """WebMercatorQuad, TMS 2.0 with the 1.0 members GDAL 3.6 needs."""
    corner = [-HALF_WORLD, HALF_WORLD]
    matrices = []
    for z in range(MAX_ZOOM + 1):
        size = 2**z
        matrices.append(
            {
                "id": str(z),
                "identifier": str(z),
                "scaleDenominator": _TOP_SCALE / size,
                "cellSize": _TOP_CELL / size,
                "cornerOfOrigin": "topLeft",
                "pointOfOrigin": corner,
                "topLeftCorner": corner,
                "tileWidth": 256,
                "tileHeight": 256,
                "matrixWidth": size,
                "matrixHeight": size,
            }
        )
    return {
        "id": "WebMercatorQuad",
        "identifier": "WebMercatorQuad",
        "title": "Google Maps Compatible for the World",
        "uri": WEB_MERCATOR_QUAD,
        "crs": WEB_MERCATOR_URI,
        "supportedCRS": WEB_MERCATOR_URI,
        "orderedAxes": ["X", "Y"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "boundingBox": {
            "crs": WEB_MERCATOR_URI,
            "lowerCorner": [-HALF_WORLD, -HALF_WORLD],
            "upperCorner": [HALF_WORLD, HALF_WORLD],
        },
        "tileMatrices": matrices,
    }


def tile_range(extent: Extent, z: int) -> tuple[int, int, int, int]:
    """(min col, min row, max col, max row) of the tiles at zoom ``z`` that ``extent``
    (lon/lat) reaches."""
    west, south, east, north = extent
    size = 2**z

    def col(lon: float) -> int:
        return min(size - 1, max(0, math.floor((lon + 180) / 360 * size)))

    def row(lat: float) -> int:
        lat = max(-85.05112878, min(85.05112878, lat))
        y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2
        return min(size - 1, max(0, math.floor(y * size)))

    return col(west), row(north), col(east), row(south)


def limits(extent: Extent, max_zoom: int) -> list[dict[str, Any]]:
    """The tiles worth asking for, zoom by zoom: clients skip the others."""
    found = []
    for z in range(max_zoom + 1):
        min_col, min_row, max_col, max_row = tile_range(extent, z)
        found.append(
            {
                "tileMatrix": str(z),
                "minTileRow": min_row,
                "maxTileRow": max_row,
                "minTileCol": min_col,
                "maxTileCol": max_col,
            }
        )
    return found


def _bounding_box(extent: Extent) -> dict[str, Any]:
    return {"lowerLeft": list(extent[:2]), "upperRight": list(extent[2:]), "crs": CRS84}


def _layer(c: Collection, tiles: Tileset) -> dict[str, Any]:
    assert c.tiles is not None
    layer: dict[str, Any] = {
        "id": c.id,
        "title": c.title,
        "dataType": "vector",
        "geometryDimension": 2,
        "minTileMatrix": "0",
        "maxTileMatrix": str(c.tiles.max_zoom),
        "propertiesSchema": {
            "type": "object",
            "properties": {name: {"type": kind} for name, _, kind in c.tiles.properties},
        },
    }
    if tiles.extent is not None:
        layer["boundingBox"] = _bounding_box(tiles.extent)
    return layer


def summary(base: str, tiles: Tileset) -> dict[str, Any]:
    """The entry of a tileset in a list of tilesets."""
    return {
        "title": tiles.title,
        "dataType": "vector",
        "crs": WEB_MERCATOR_URI,
        "tileMatrixSetURI": WEB_MERCATOR_QUAD,
        "links": [
            link(tiles.href, "self", JSON, "this tileset"),
            link(f"{base}/ogc/tileMatrixSets/WebMercatorQuad", TILING_SCHEME_REL, JSON),
        ],
    }


def tileset(base: str, tiles: Tileset) -> dict[str, Any]:
    document: dict[str, Any] = {
        **summary(base, tiles),
        "description": "Mapbox Vector Tiles; add ?as_of=YYYY-MM-DD for the land of a date "
        "(default today). An empty tile answers 204.",
        "links": [
            link(tiles.href, "self", JSON, "this tileset"),
            link(f"{tiles.href}?f=tilejson", "alternate", TILEJSON, "this tileset as TileJSON"),
            link(f"{base}/ogc/tileMatrixSets/WebMercatorQuad", TILING_SCHEME_REL, JSON),
            {
                "href": f"{tiles.href}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}",
                "rel": "item",
                "type": MVT,
                "templated": True,
                "title": "a tile (z/y/x)",
            },
        ],
        "layers": [_layer(c, tiles) for c in tiles.layers],
    }
    if tiles.extent is not None:
        document["boundingBox"] = _bounding_box(tiles.extent)
        document["tileMatrixSetLimits"] = limits(tiles.extent, tiles.max_zoom)
        west, south, east, north = tiles.extent
        document["centerPoint"] = {
            "coordinates": [(west + east) / 2, (south + north) / 2],
            "crs": CRS84,
            "tileMatrix": str(_fitting_zoom(tiles.extent)),
        }
    return document


def _fitting_zoom(extent: Extent) -> int:
    """The highest zoom at which the extent fits in about one tile."""
    width = max(extent[2] - extent[0], extent[3] - extent[1], 1e-9)
    return max(0, min(MAX_ZOOM, math.floor(math.log2(360 / width))))


def tilejson(tiles: Tileset, query: str) -> dict[str, Any]:
    """TileJSON 3.0 of a tileset; ``query`` (``as_of=...``, or empty) rides along on the
    tile URLs."""
    suffix = f"?{query}" if query else ""
    document: dict[str, Any] = {
        "tilejson": "3.0.0",
        "name": tiles.title,
        "scheme": "xyz",
        "tiles": [f"{tiles.href}/{{z}}/{{y}}/{{x}}{suffix}"],
        "minzoom": 0,
        "maxzoom": tiles.max_zoom,
        "vector_layers": [
            {
                "id": c.id,
                "description": c.title,
                "minzoom": 0,
                "maxzoom": c.tiles.max_zoom,
                "fields": {name: kind.capitalize() for name, _, kind in c.tiles.properties},
            }
            for c in tiles.layers
            if c.tiles is not None
        ],
    }
    if tiles.extent is not None:
        west, south, east, north = tiles.extent
        document["bounds"] = list(tiles.extent)
        document["center"] = [(west + east) / 2, (south + north) / 2, _fitting_zoom(tiles.extent)]
    return document
