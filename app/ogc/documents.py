"""The JSON documents of the OGC API: landing page, conformance, collections, queryables
and the schema of a feature (the tiles' are in app.ogc.tiling). Links are absolute, built
from the request's base URL."""

from __future__ import annotations

from typing import Any

from app.ogc.collections import Collection, Field
from app.ogc.crs import CRS84, Crs

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
MVT = "application/vnd.mapbox-vector-tile"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA = "application/schema+json"
STYLE = "application/vnd.mapbox.style+json"
QGZ = "application/vnd.qgis.qgz"
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
TILESETS_VECTOR_REL = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    # Part 5 (schemas), and sorting, property selection and skipGeometry on items.
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas",
    "http://www.opengis.net/spec/ogcapi-features-8/1.0/conf/sorting",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/sorting",
    "http://www.opengis.net/spec/ogcapi-features-6/1.0/conf/property-selection",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/skipGeometry",
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
            link(f"{ogc}/tiles", TILESETS_VECTOR_REL, JSON, "vector tiles of the land and regions"),
            link(f"{ogc}/styles/land-release", "stylesheet", STYLE, "the map style (MapLibre)"),
            link(
                f"{ogc}/qgis/land-release.qgz", "alternate", QGZ, "a QGIS project of these layers"
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
        link(f"{href}/queryables", QUERYABLES_REL, SCHEMA, "what a filter may name"),
        # The plain relation is the one GDAL 3.6 looks for (the draft's name).
        link(f"{href}/queryables", "queryables", JSON, "what a filter may name"),
        link(f"{href}/schema", "describedby", SCHEMA, "the properties of a feature"),
    ]
    if c.tiles is not None:
        links.append(link(f"{href}/tiles", TILESETS_VECTOR_REL, JSON, "vector tiles"))
    document: dict[str, Any] = {
        "id": c.id,
        "title": c.title,
        "description": c.description,
        "itemType": "feature",
        "links": links,
        "crs": [crs.uri for crs in crs_list],
        "storageCrs": CRS84,
    }
    # One bbox exactly, the world's while there are no data: GDAL's OGC API drivers refuse
    # a collection without one.
    extent_doc: dict[str, Any] = {
        "spatial": {"bbox": [list(extent or (-180.0, -90.0, 180.0, 90.0))], "crs": CRS84}
    }
    if temporal is not None:
        extent_doc["temporal"] = {
            "interval": [[None if t is None else t.isoformat() for t in temporal]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    document["extent"] = extent_doc
    return document


_JSON_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "number": {"type": "number"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "timestamp": {"type": "string", "format": "date-time"},
    "geometry": {"$ref": "https://geojson.org/schema/Geometry.json"},
}


def _property_schema(f: Field) -> dict[str, Any]:
    schema: dict[str, Any] = {"title": f.name, **_JSON_TYPES[f.type]}
    if f.name == "items":  # munitions destroyed by type, an object
        schema = {"title": f.name, "type": "object"}
    if f.enum is not None:
        schema["enum"] = list(f.enum)
    return schema


def queryables(base: str, c: Collection) -> dict[str, Any]:
    properties = {f.name: _property_schema(f) for f in c.fields}
    properties["geometry"] = {"title": "geometry", **_JSON_TYPES["geometry"]}
    return {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": f"{base}/ogc/collections/{c.id}/queryables",
        "type": "object",
        "title": c.title,
        "properties": properties,
        "additionalProperties": False,
    }


def feature_schema(base: str, c: Collection) -> dict[str, Any]:
    """A GeoJSON feature of the collection as JSON Schema: one type per property (GDAL
    reads its field types from it; a list of types would make every field text)."""
    return {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": f"{base}/ogc/collections/{c.id}/schema",
        "title": c.title,
        "type": "object",
        "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": "integer" if c.fid_type == "integer" else "string"},
            "geometry": {"$ref": "https://geojson.org/schema/MultiPolygon.json"},
            "properties": {
                "type": "object",
                "properties": {f.name: _property_schema(f) for f in c.fields},
            },
        },
    }
