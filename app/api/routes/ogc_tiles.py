"""OGC API – Tiles of the application mounted at /ogc: the tile matrix set, the vector tiles
of the land, the hazards and the regions, the dataset's tiles (land and regions in one
tile, what the style draws), TileJSON, and the map style."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Connection

from app.api.deps import ConnectionDep
from app.api.routes.ogc import GET, answer, base_of, readable_collection, wants_html
from app.api.security import PrincipalDep
from app.auth.policy import permits
from app.auth.principal import Principal
from app.ogc import kept, params, queries, style, tile_cache, tiling
from app.ogc.collections import DATASET_TILES, Collection
from app.ogc.documents import JSON, STYLE, link
from app.ogc.params import OgcError, bad
from app.settings import OgcSettings, ogc_settings

router = APIRouter()

SettingsDep = Annotated[OgcSettings, Depends(ogc_settings)]
DATASET_TITLE = "The land by state over the regions"


@router.api_route("/tileMatrixSets", methods=GET)
def tile_matrix_sets(request: Request) -> Response:
    href = f"{base_of(request)}/ogc/tileMatrixSets/WebMercatorQuad"
    document = {
        "tileMatrixSets": [
            {
                "id": "WebMercatorQuad",
                "title": "Google Maps Compatible for the World",
                "uri": tiling.WEB_MERCATOR_QUAD,
                "links": [link(href, "self", JSON, "WebMercatorQuad")],
            }
        ]
    }
    return answer(request, document, "tileMatrixSets")


@router.api_route("/tileMatrixSets/WebMercatorQuad", methods=GET)
def web_mercator_quad(request: Request) -> Response:
    return answer(request, tiling.tile_matrix_set(), "tileMatrixSet")


def _tiled(collection_id: str, principal: Principal) -> Collection:
    found = readable_collection(collection_id, principal)
    if found.tiles is None:
        raise OgcError(404, "NotFound", "ogc.no_tiles", {"collection": collection_id})
    return found


def _dataset_layers(principal: Principal) -> tuple[Collection, ...]:
    """The layers of the dataset's tiles that the caller may read."""
    return tuple(c for c in DATASET_TILES if permits(principal.role, c.action))


def _union(extents: list[tiling.Extent | None]) -> tiling.Extent | None:
    found = [e for e in extents if e is not None]
    if not found:
        return None
    return (
        min(e[0] for e in found),
        min(e[1] for e in found),
        max(e[2] for e in found),
        max(e[3] for e in found),
    )


def _collection_tileset(request: Request, conn: Connection, found: Collection) -> tiling.Tileset:
    href = f"{base_of(request)}/ogc/collections/{found.id}/tiles/WebMercatorQuad"
    return tiling.Tileset(href, f"{found.title}: vector tiles", (found,), kept.extent(conn, found))


def _dataset_tileset(request: Request, conn: Connection, principal: Principal) -> tiling.Tileset:
    layers = _dataset_layers(principal)
    extent = _union([kept.extent(conn, c) for c in layers])
    href = f"{base_of(request)}/ogc/tiles/WebMercatorQuad"
    return tiling.Tileset(href, DATASET_TITLE, layers, extent)


def _tileset_answer(request: Request, tiles: tiling.Tileset) -> Response:
    if request.query_params.get("f") == "tilejson":
        query = "&".join(f"{k}={v}" for k, v in request.query_params.items() if k == "as_of")
        return JSONResponse(tiling.tilejson(tiles, query), media_type=JSON)
    return answer(request, tiling.tileset(base_of(request), tiles), "tileset")


@router.api_route("/collections/{collection_id}/tiles", methods=GET)
def tilesets(
    request: Request, collection_id: str, conn: ConnectionDep, principal: PrincipalDep
) -> Response:
    tiles = _collection_tileset(request, conn, _tiled(collection_id, principal))
    document = {"tilesets": [tiling.summary(base_of(request), tiles)], "links": []}
    return answer(request, document, "tilesets")


@router.api_route("/collections/{collection_id}/tiles/WebMercatorQuad", methods=GET)
def tileset(
    request: Request, collection_id: str, conn: ConnectionDep, principal: PrincipalDep
) -> Response:
    found = _tiled(collection_id, principal)
    return _tileset_answer(request, _collection_tileset(request, conn, found))


@router.api_route("/tiles", methods=GET)
def dataset_tilesets(request: Request, conn: ConnectionDep, principal: PrincipalDep) -> Response:
    tiles = _dataset_tileset(request, conn, principal)
    document = {"tilesets": [tiling.summary(base_of(request), tiles)], "links": []}
    return answer(request, document, "tilesets")


@router.api_route("/tiles/WebMercatorQuad", methods=GET)
def dataset_tileset(request: Request, conn: ConnectionDep, principal: PrincipalDep) -> Response:
    return _tileset_answer(request, _dataset_tileset(request, conn, principal))


def _as_of(query: Any) -> date:
    """The date of the land a tile shows: ``as_of``, or ``datetime`` as one date (for a
    tile both name the land of that day); default today."""
    params.refuse_unknown(query, {"f", "as_of", "datetime"})
    if query.get("f") not in (None, "mvt"):
        raise bad("f", "ogc.tiles_mvt_only")
    temporal = params.datetime_of(query)
    if temporal.interval is not None:
        raise bad("datetime", "ogc.one_date_tiles")
    return params.as_of_of(query) or temporal.instant or date.today()


def _tile_response(
    request: Request,
    conn: Connection,
    layers: tuple[Collection, ...],
    z: int,
    y: int,
    x: int,
    settings: OgcSettings,
) -> Response:
    """The tile of ``layers`` (their MVT layers one after the other, each kept apart),
    with an ETag; empty: 204."""
    as_of = _as_of(request.query_params)
    if not 0 <= z <= tiling.MAX_ZOOM or not (0 <= x < 2**z and 0 <= y < 2**z):
        raise OgcError(404, "NotFound", "ogc.no_tile", {"tile": f"{z}/{y}/{x}"})
    version = tile_cache.state_version(conn)
    key = (tuple(c.id for c in layers), z, x, y, as_of, version)
    tag = tile_cache.etag(key)
    headers = {"ETag": tag, "Cache-Control": "private, no-cache"}  # revalidated each time
    if tile_cache.matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    parts = []
    for c in layers:
        layer_key = (c.id, z, x, y, as_of, version)
        data = tile_cache.get(layer_key)
        if data is None:
            tile_request = queries.TileRequest(z, x, y, as_of, settings.tile_max_features)
            data = queries.tile(conn, c, tile_request)
            tile_cache.put(layer_key, data)
        parts.append(data)
    # A tile is a sequence of layers: the layers' own tiles joined are one tile.
    body = b"".join(parts)
    if not body:
        return Response(status_code=204, headers=headers)
    return Response(body, media_type=tiling.MVT, headers=headers)


@router.api_route("/collections/{collection_id}/tiles/WebMercatorQuad/{z}/{y}/{x}", methods=GET)
def vector_tile(
    request: Request,
    collection_id: str,
    z: int,
    y: int,
    x: int,
    conn: ConnectionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    found = _tiled(collection_id, principal)
    return _tile_response(request, conn, (found,), z, y, x, settings)


@router.api_route("/tiles/WebMercatorQuad/{z}/{y}/{x}", methods=GET)
def dataset_tile(
    request: Request,
    z: int,
    y: int,
    x: int,
    conn: ConnectionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    return _tile_response(request, conn, _dataset_layers(principal), z, y, x, settings)


@router.api_route("/styles/land-release", methods=GET)
def land_release_style(request: Request) -> Response:
    if wants_html(request):
        raise bad("f", "ogc.style_json_only")
    return JSONResponse(style.land_release(base_of(request)), media_type=STYLE)
