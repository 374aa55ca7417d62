"""The JSON documents of the OGC API: landing page, conformance, collections, queryables,
tile matrix set and tilesets. Links are absolute, built from the request's base URL."""

from __future__ import annotations

from typing import Any

from app.ogc.collections import Collection
from app.ogc.crs import CRS84, Crs

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
MVT = "application/vnd.mapbox-vector-tile"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
]

WEB_MERCATOR_QUAD = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
WEB_MERCATOR_URI = "http://www.opengis.net/def/crs/EPSG/0/3857"
_HALF_WORLD = 20037508.3427892
MAX_ZOOM = 22


def link(href: str, rel: str, type_: str, title: str | None = None) -> dict[str, str]:
    entry = {"href": href, "rel": rel, "type": type_}
    if title:
        entry["title"] = title
    return entry


def landing(base: str, title: str) -> dict[str, Any]:
    ogc = f"{base}/ogc"
    return {
        "title": title,
        "description": "Hazardous areas and land release of a national mine action "
        "programme, as of any date, with each m² counted once (OGC API – Features and Tiles).",
        "links": [
            link(f"{ogc}?f=json", "self", JSON, "this document"),
            link(f"{ogc}?f=html", "alternate", HTML, "this document as HTML"),
            link(f"{ogc}/api", "service-desc", OPENAPI, "the API definition (OpenAPI 3.0)"),
            link(f"{ogc}/api.html", "service-doc", HTML, "the API documentation"),
            link(f"{ogc}/conformance", "conformance", JSON, "conformance classes"),
            link(f"{ogc}/collections", "data", JSON, "the feature collections"),
            link(
                f"{ogc}/tileMatrixSets",
                "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes",
                JSON,
                "tiling schemes",
            ),
        ],
    }


def collection(
    base: str,
    c: Collection,
    crs_list: list[Crs],
    extent: tuple[float, float, float, float] | None,
    temporal: tuple[Any, Any] | None,
) -> dict[str, Any]:
    href = f"{base}/ogc/collections/{c.id}"
    links = [
        link(href, "self", JSON, "this collection"),
        link(f"{href}?f=html", "alternate", HTML, "this collection as HTML"),
        link(f"{href}/items", "items", GEOJSON, "the features"),
        link(f"{href}/items?f=html", "items", HTML, "the features as HTML"),
        link(
            f"{href}/queryables",
            "http://www.opengis.net/def/rel/ogc/1.0/queryables",
            "application/schema+json",
            "what a filter may name",
        ),
    ]
    if c.tile_geometry is not None:
        links.append(
            link(
                f"{href}/tiles",
                "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
                JSON,
                "vector tiles",
            )
        )
    document: dict[str, Any] = {
        "id": c.id,
        "title": c.title,
        "description": c.description,
        "itemType": "feature",
        "links": links,
        "crs": [crs.uri for crs in crs_list],
        "storageCrs": CRS84,
    }
    extent_doc: dict[str, Any] = {}
    if extent is not None:
        extent_doc["spatial"] = {"bbox": [list(extent)], "crs": CRS84}
    if temporal is not None:
        extent_doc["temporal"] = {
            "interval": [[temporal[0].isoformat(), temporal[1].isoformat()]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    if extent_doc:
        document["extent"] = extent_doc
    return document


_JSON_TYPES = {
    "string": {"type": "string"},
    "number": {"type": "number"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "timestamp": {"type": "string", "format": "date-time"},
    "geometry": {"$ref": "https://geojson.org/schema/Geometry.json"},
}


def queryables(base: str, c: Collection) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": f"{base}/ogc/collections/{c.id}/queryables",
        "type": "object",
        "title": c.title,
        "properties": {
            name: {"title": name, **_JSON_TYPES[q.type]} for name, q in c.queryables.items()
        },
        "additionalProperties": False,
    }


def tile_matrix_set() -> dict[str, Any]:
    """WebMercatorQuad as the OGC Two Dimensional Tile Matrix Set standard (2.0) defines it."""
    matrices = []
    for z in range(MAX_ZOOM + 1):
        size = 2**z
        matrices.append(
            {
                "id": str(z),
                "scaleDenominator": 559082264.028717 / size,
                "cellSize": 156543.033928041 / size,
                "cornerOfOrigin": "topLeft",
                "pointOfOrigin": [-_HALF_WORLD, _HALF_WORLD],
                "tileWidth": 256,
                "tileHeight": 256,
                "matrixWidth": size,
                "matrixHeight": size,
            }
        )
    return {
        "id": "WebMercatorQuad",
        "title": "Google Maps Compatible for the World",
        "uri": WEB_MERCATOR_QUAD,
        "crs": WEB_MERCATOR_URI,
        "orderedAxes": ["X", "Y"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "tileMatrices": matrices,
    }


def tileset(base: str, c: Collection) -> dict[str, Any]:
    href = f"{base}/ogc/collections/{c.id}/tiles/WebMercatorQuad"
    return {
        "title": f"{c.title}: vector tiles",
        "dataType": "vector",
        "crs": WEB_MERCATOR_URI,
        "tileMatrixSetURI": WEB_MERCATOR_QUAD,
        "links": [
            link(href, "self", JSON, "this tileset"),
            link(
                f"{base}/ogc/tileMatrixSets/WebMercatorQuad",
                "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme",
                JSON,
                "WebMercatorQuad",
            ),
            {
                "href": f"{href}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}",
                "rel": "item",
                "type": MVT,
                "templated": True,
                "title": "a tile (z/y/x); add ?datetime=YYYY-MM-DD for the land at a date",
            },
        ],
        "layers": [
            {
                "id": c.id,
                "dataType": "vector",
                "geometryDimension": 2,
                "propertiesSchema": {
                    "type": "object",
                    "properties": {name: {"type": kind} for name, _, kind in c.tile_properties},
                },
            }
        ],
    }
