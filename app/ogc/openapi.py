"""The OpenAPI 3.0 definition of the OGC endpoints (the ``service-desc`` of the landing page).

Clients read it for the parameters of each collection, the maximum ``limit`` above all:
GDAL pages with it.
"""

from __future__ import annotations

from typing import Any

from app.ogc.collections import Collection
from app.ogc.crs import Crs
from app.settings import OgcSettings


def _parameter(name: str, description: str, schema: dict, style: str | None = None) -> dict:
    parameter = {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }
    if style:
        parameter.update(style=style, explode=False)
    return parameter


def _uri(choices: list[str]) -> dict:
    return {"type": "string", "format": "uri", "enum": choices}


def _json(description: str, media_type: str = "application/json") -> dict:
    return {"description": description, "content": {media_type: {"schema": {"type": "object"}}}}


_ERRORS = {
    "400": _json("a parameter is wrong: the exception names it"),
    "401": _json("sign in (Bearer token, or Basic with the token as password)"),
    "404": _json("no such collection or feature"),
}
# Shared parameters, referred to by each operation: QGIS reads the page size it asks for
# from components.parameters.limit only.
LIMIT = {"$ref": "#/components/parameters/limit"}
TILE = "{tileMatrix}/{tileRow}/{tileCol}"
_F = _parameter("f", "the encoding", {"type": "string", "enum": ["json", "html"]})


def definition(
    base: str,
    collections: list[Collection],
    settings: OgcSettings,
    crs_by_collection: dict[str, list[Crs]],
) -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/": {"get": _operation("landing page", "landing")},
        "/conformance": {"get": _operation("conformance classes", "conformance")},
        "/api": {"get": _operation("this API definition", "api")},
        "/collections": {"get": _operation("the feature collections", "collections")},
        "/tileMatrixSets": {"get": _operation("tiling schemes", "tileMatrixSets")},
    }
    for c in collections:
        uris = [crs.uri for crs in crs_by_collection[c.id]]
        path = f"/collections/{c.id}"
        paths[path] = {"get": _operation(f"about {c.id}", f"describe-{c.id}")}
        paths[f"{path}/queryables"] = {
            "get": _operation(f"what a filter on {c.id} may name", f"queryables-{c.id}")
        }
        paths[f"{path}/schema"] = {
            "get": _operation(f"the properties of a feature of {c.id}", f"schema-{c.id}")
        }
        paths[f"{path}/items"] = {"get": _items_operation(c, uris)}
        paths[f"{path}/items/{{featureId}}"] = {"get": _item_operation(c, uris)}
        if c.tiles is not None:
            paths[f"{path}/tiles"] = {"get": _operation(f"tilesets of {c.id}", f"tilesets-{c.id}")}
            paths[f"{path}/tiles/WebMercatorQuad"] = {
                "get": _operation(
                    f"the tileset of {c.id} (f=tilejson: TileJSON)", f"tileset-{c.id}"
                )
            }
            paths[f"{path}/tiles/WebMercatorQuad/{TILE}"] = {
                "get": _tile_operation(f"a vector tile of {c.id}", f"tile-{c.id}")
            }
    paths["/tiles"] = {"get": _operation("the dataset's tilesets", "tilesets")}
    paths["/tiles/WebMercatorQuad"] = {
        "get": _operation("the dataset's tileset (f=tilejson: TileJSON)", "tileset")
    }
    paths[f"/tiles/WebMercatorQuad/{TILE}"] = {
        "get": _tile_operation("a vector tile of the land and the regions", "tile")
    }
    paths["/styles/land-release"] = {"get": _operation("the map style (MapLibre)", "style")}
    paths["/qgis/land-release.qgz"] = {
        "get": {
            "summary": "a QGIS project of these layers",
            "operationId": "qgis-project",
            "parameters": [
                _parameter(
                    "authcfg",
                    "the id of the QGIS authentication configuration holding the token",
                    {"type": "string", "pattern": "^[A-Za-z0-9]{7}$", "default": "landrel"},
                )
            ],
            "responses": {
                "200": {
                    "description": "the project",
                    "content": {"application/vnd.qgis.qgz": {"schema": {}}},
                },
                **_ERRORS,
            },
        }
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Land release information system: OGC API",
            "description": "OGC API – Features (Parts 1, 2 and 3) and vector tiles of "
            "hazardous areas and land release. Areas are geodesic m² on WGS84.",
            "version": "1.0.0",
        },
        "servers": [{"url": f"{base}/ogc"}],
        "paths": paths,
        "components": {
            "parameters": {
                "limit": _parameter(
                    "limit",
                    f"features per page; above {settings.max_limit} the page holds "
                    f"{settings.max_limit}",
                    {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": settings.max_limit,
                        "default": settings.default_limit,
                    },
                )
            },
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "basic": {"type": "http", "scheme": "basic"},
            },
        },
    }


def _operation(summary: str, operation_id: str) -> dict[str, Any]:
    return {
        "summary": summary,
        "operationId": operation_id,
        "parameters": [_F],
        "responses": {"200": _json(summary), **_ERRORS},
    }


def _items_operation(c: Collection, uris: list[str]) -> dict[str, Any]:
    if len(c.own_date) == 2:
        when = (
            "a date or interval (a/b, .. for an open end): the pieces whose state held at "
            "some time in it"
        )
    elif c.own_date:
        when = "a date or interval (a/b, .. for an open end) of the features' own dates"
    else:
        when = "not offered: the features have no date of their own (see as_of)"
    names = [f.name for f in c.fields]
    parameters = [
        LIMIT,
        _parameter("offset", "features to skip", {"type": "integer", "minimum": 0, "default": 0}),
        _parameter(
            "bbox",
            "minx,miny,maxx,maxy in bbox-crs",
            {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
            style="form",
        ),
        _parameter("bbox-crs", "CRS of bbox", _uri(uris)),
        _parameter("crs", "CRS of the geometries", _uri(uris)),
        _parameter("datetime", when, {"type": "string"}),
        _parameter(
            "filter", "a CQL2 text filter on the queryables (every property)", {"type": "string"}
        ),
        _parameter(
            "filter-lang",
            "cql2-text (cql-text, the draft's name, is read as cql2-text)",
            {"type": "string", "enum": ["cql2-text", "cql-text"], "default": "cql2-text"},
        ),
        _parameter("filter-crs", "CRS of the filter's geometries", _uri(uris)),
        _parameter(
            "sortby",
            "properties to sort by, each with - before it for descending order",
            {"type": "array", "items": {"type": "string"}},
            style="form",
        ),
        _parameter(
            "properties",
            "the properties each feature carries (default all)",
            {"type": "array", "items": {"type": "string", "enum": names}},
            style="form",
        ),
        _parameter("skipGeometry", "features without geometry", {"type": "boolean"}),
        _F,
    ]
    if c.as_of_state:
        parameters.insert(
            6,
            _parameter(
                "as_of",
                "the land shown as of this date, after every fact dated that day or earlier "
                "(default today)",
                {"type": "string", "format": "date"},
            ),
        )
    return {
        "summary": f"features of {c.id}",
        "operationId": f"items-{c.id}",
        "parameters": parameters,
        "responses": {"200": _json("a page of features", "application/geo+json"), **_ERRORS},
    }


def _item_operation(c: Collection, uris: list[str]) -> dict[str, Any]:
    return {
        "summary": f"one feature of {c.id}",
        "operationId": f"item-{c.id}",
        "parameters": [
            {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}},
            _parameter("crs", "CRS of the geometry", _uri(uris)),
            *(
                [_parameter("as_of", "the date of the land shown", {"type": "string"})]
                if c.as_of_state
                else []
            ),
            _F,
        ],
        "responses": {"200": _json("the feature", "application/geo+json"), **_ERRORS},
    }


def _tile_operation(summary: str, operation_id: str) -> dict[str, Any]:
    path_parameters = [
        {"name": n, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}}
        for n in ("tileMatrix", "tileRow", "tileCol")
    ]
    return {
        "summary": summary,
        "operationId": operation_id,
        "parameters": [
            *path_parameters,
            _parameter("as_of", "the date of the land shown", {"type": "string"}),
        ],
        "responses": {
            "200": {
                "description": "a Mapbox Vector Tile",
                "content": {"application/vnd.mapbox-vector-tile": {"schema": {}}},
            },
            "204": {"description": "no feature in this tile"},
            **_ERRORS,
        },
    }
