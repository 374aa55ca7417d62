"""OGC API – Features (Parts 1, 2, 3) and Tiles, for GIS clients (QGIS, ArcGIS, GDAL) and web
maps: the routes of the application mounted at /ogc (app.api.ogc_app). The access rules of the
API apply: anonymous callers read the regions and their figures only."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import Connection

from app.api.deps import ConnectionDep
from app.api.security import PrincipalDep
from app.auth.policy import permits
from app.auth.principal import Principal
from app.ogc import documents, html, openapi, params, queries, style, tile_cache
from app.ogc.collections import COLLECTIONS, Collection
from app.ogc.cql2 import CQL2Error, compile_filter
from app.ogc.crs import Crs, supported
from app.ogc.documents import GEOJSON, JSON
from app.ogc.params import OgcError, bad
from app.settings import OgcSettings, ogc_settings

router = APIRouter()

SettingsDep = Annotated[OgcSettings, Depends(ogc_settings)]
TITLE = "Land release information system"
ITEMS_PARAMETERS = {
    "f", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime",
    "filter", "filter-lang", "filter-crs",
}  # fmt: skip


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _wants_html(request: Request, allowed: tuple[str, ...] = ("json", "html")) -> bool:
    f = request.query_params.get("f")
    if f:
        if f not in allowed and not (f == "geojson" and "json" in allowed):
            raise bad("f", "ogc.format_not_offered", {"format": f, "allowed": list(allowed)})
        return f == "html"
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "json" not in accept.split("text/html")[0]


def _answer(request: Request, document: dict, page: str, media_type: str = JSON) -> Response:
    if _wants_html(request):
        return HTMLResponse(html.page(page, document, _base(request)))
    return JSONResponse(document, media_type=media_type)


def _readable(principal: Principal) -> list[Collection]:
    return [c for c in COLLECTIONS.values() if permits(principal.role, c.action)]


def _collection(collection_id: str, principal: Principal) -> Collection:
    found = COLLECTIONS.get(collection_id)
    if found is None:
        raise OgcError(404, "NotFound", "ogc.no_collection", {"collection": collection_id})
    if not permits(principal.role, found.action):
        if principal.anonymous:
            raise OgcError(401, "Unauthorized", "ogc.sign_in", {"collection": collection_id})
        raise OgcError(403, "Forbidden", "ogc.role_may_not_read", {"role": str(principal.role)})
    return found


_extent_lock = threading.Lock()
_extent_cache: tuple[tuple, tuple[float, float, float, float] | None] | None = None


def _extent(conn: Connection) -> tuple[float, float, float, float] | None:
    """The data's extent (it decides the UTM zones offered), read again only when hazards
    or regions were added."""
    global _extent_cache
    version = queries.extent_version(conn)
    with _extent_lock:
        if _extent_cache is not None and _extent_cache[0] == version:
            return _extent_cache[1]
    found = queries.extent(conn)
    with _extent_lock:
        _extent_cache = (version, found)
    return found


def _offered(conn: Connection, query: Any) -> list[Crs]:
    """The CRSs a request may name; the data's UTM zones are looked up only when it names
    one (most requests use the default and skip the query)."""
    if any(query.get(name) for name in ("crs", "bbox-crs", "filter-crs")):
        return supported(_extent(conn))
    return supported(None)


@router.get("/")
def landing(request: Request) -> Response:
    return _answer(request, documents.landing(_base(request), TITLE), "landing")


@router.get("/conformance")
def conformance(request: Request) -> Response:
    return _answer(request, {"conformsTo": documents.CONFORMANCE}, "conformance")


def _definition(request: Request, conn: Connection, settings: OgcSettings) -> dict:
    crs_list = supported(_extent(conn))
    return openapi.definition(_base(request), list(COLLECTIONS.values()), settings, crs_list)


@router.get("/api")
def api_definition(request: Request, conn: ConnectionDep, settings: SettingsDep) -> Response:
    document = _definition(request, conn, settings)
    return JSONResponse(document, media_type=documents.OPENAPI)


@router.get("/api.html")
def api_documentation(request: Request, conn: ConnectionDep, settings: SettingsDep) -> Response:
    return HTMLResponse(html.api_page(_definition(request, conn, settings)))


@router.get("/collections")
def collections(request: Request, conn: ConnectionDep, principal: PrincipalDep) -> Response:
    base = _base(request)
    extent = _extent(conn)
    crs_list = supported(extent)
    document = {
        "links": [
            documents.link(f"{base}/ogc/collections", "self", JSON, "this document"),
            documents.link(f"{base}/ogc/collections?f=html", "alternate", documents.HTML),
        ],
        "collections": [
            documents.collection(base, c, crs_list, extent, queries.temporal_extent(conn, c))
            for c in _readable(principal)
        ],
        "crs": [crs.uri for crs in crs_list],
    }
    return _answer(request, document, "collections")


@router.get("/collections/{collection_id}")
def collection(
    request: Request, collection_id: str, conn: ConnectionDep, principal: PrincipalDep
) -> Response:
    found = _collection(collection_id, principal)
    extent = _extent(conn)
    document = documents.collection(
        _base(request),
        found,
        supported(extent),
        extent,
        queries.temporal_extent(conn, found),
    )
    return _answer(request, document, "collection")


@router.get("/collections/{collection_id}/queryables")
def queryables(request: Request, collection_id: str, principal: PrincipalDep) -> Response:
    found = _collection(collection_id, principal)
    document = documents.queryables(_base(request), found)
    return _answer(request, document, "queryables", "application/schema+json")


def _selection(
    conn: Connection, found: Collection, query: Any, crs_list: list[Crs]
) -> tuple[queries.Selection, Crs]:
    temporal = params.datetime_of(query)
    as_of = date.today()
    interval = temporal.interval
    if found.as_of_state:
        if interval is not None:
            raise bad("datetime", "ogc.one_date_collection", {"collection": found.id})
        as_of = temporal.instant or as_of
    elif temporal.instant is not None:
        interval = (temporal.instant, temporal.instant)
    bbox_wkb = None
    corners = params.bbox(query)
    if corners is not None:
        bbox_crs = params.crs_of(query, "bbox-crs", crs_list)
        bbox_wkb = params.lon_lat_box(corners, bbox_crs).wkb
    elif "bbox-crs" in query:
        raise bad("bbox-crs", "ogc.bbox_crs_alone")
    cql = None
    if query.get("filter"):
        language = query.get("filter-lang", "cql2-text")
        if language != "cql2-text":
            raise bad("filter-lang", "ogc.filter_lang", {"language": language})
        filter_crs = params.crs_of(query, "filter-crs", crs_list)
        try:
            cql = compile_filter(
                query["filter"],
                found.queryables,
                filter_srid=filter_crs.srid,
                swap_axes=filter_crs.lat_first,
            )
        except CQL2Error as error:
            raise bad("filter", error.code, error.params) from None
    return queries.Selection(as_of, interval, bbox_wkb, cql), params.crs_of(query, "crs", crs_list)


def _page_links(request: Request, limit: int, offset: int, has_next: bool) -> list[dict[str, str]]:
    url = f"{_base(request)}{request.url.path}"
    query = dict(request.query_params)
    query.pop("f", None)

    def at(new_offset: int, f: str = "json") -> str:
        return f"{url}?{urlencode({**query, 'offset': new_offset, 'limit': limit, 'f': f})}"

    links = [
        documents.link(at(offset), "self", GEOJSON, "this page"),
        documents.link(at(offset, "html"), "alternate", documents.HTML, "this page as HTML"),
    ]
    if has_next:
        links.append(documents.link(at(offset + limit), "next", GEOJSON, "next page"))
    if offset > 0:
        links.append(documents.link(at(max(0, offset - limit)), "prev", GEOJSON, "previous"))
    return links


@router.get("/collections/{collection_id}/items")
def items(
    request: Request,
    collection_id: str,
    conn: ConnectionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    found = _collection(collection_id, principal)
    query = request.query_params
    params.refuse_unknown(query, ITEMS_PARAMETERS)
    wants_html = _wants_html(request)
    limit = params.integer(query, "limit", settings.default_limit, 1, settings.max_limit)
    offset = params.integer(query, "offset", 0, 0, 2**31 - 1)
    selection, crs = _selection(conn, found, query, _offered(conn, query))
    result = queries.page(conn, found, selection, crs, limit, offset)
    matched = queries.count(conn, found, selection, crs) if found.count_cheaply else None
    links = _page_links(request, limit, offset, result.has_next)
    stamp = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    head: dict[str, Any] = {"type": "FeatureCollection", "timeStamp": stamp}
    if matched is not None:
        head["numberMatched"] = matched
    head["numberReturned"] = len(result.features)
    if wants_html:
        features = [json.loads(f) for f in result.features]
        return HTMLResponse(
            html.items_page(found, {**head, "features": features, "links": links}),
        )
    # The features are GeoJSON text from PostGIS: joined, not parsed and dumped again.
    body = (
        json.dumps(head)[:-1]
        + ', "links": '
        + json.dumps(links)
        + ', "features": ['
        + ",".join(result.features)
        + "]}"
    )
    return Response(body, media_type=GEOJSON, headers={"Content-Crs": crs.header})


@router.get("/collections/{collection_id}/items/{feature_id}")
def item(
    request: Request,
    collection_id: str,
    feature_id: str,
    conn: ConnectionDep,
    principal: PrincipalDep,
) -> Response:
    found = _collection(collection_id, principal)
    query = request.query_params
    params.refuse_unknown(query, {"f", "crs", "datetime"})
    wants_html = _wants_html(request)
    temporal = params.datetime_of(query)
    if temporal.interval is not None:
        raise bad("datetime", "ogc.one_date_feature")
    crs = params.crs_of(query, "crs", _offered(conn, query))
    feature = queries.one(conn, found, feature_id, temporal.instant or date.today(), crs)
    if feature is None:
        raise OgcError(
            404, "NotFound", "ogc.no_feature", {"collection": collection_id, "feature": feature_id}
        )
    base = _base(request)
    href = f"{base}/ogc/collections/{collection_id}/items/{feature_id}"
    links = [
        documents.link(href, "self", GEOJSON, "this feature"),
        documents.link(f"{href}?f=html", "alternate", documents.HTML, "as HTML"),
        documents.link(f"{base}/ogc/collections/{collection_id}", "collection", JSON),
    ]
    if wants_html:
        return HTMLResponse(html.feature_page(found, {**json.loads(feature), "links": links}))
    # The feature is GeoJSON text from PostGIS: its links are spliced in, not re-encoded.
    body = feature[:-1] + ', "links": ' + json.dumps(links) + "}"
    return Response(body, media_type=GEOJSON, headers={"Content-Crs": crs.header})


@router.get("/tileMatrixSets")
def tile_matrix_sets(request: Request) -> Response:
    href = f"{_base(request)}/ogc/tileMatrixSets/WebMercatorQuad"
    document = {
        "tileMatrixSets": [
            {
                "id": "WebMercatorQuad",
                "title": "Google Maps Compatible for the World",
                "uri": documents.WEB_MERCATOR_QUAD,
                "links": [documents.link(href, "self", JSON, "WebMercatorQuad")],
            }
        ]
    }
    return _answer(request, document, "tileMatrixSets")


@router.get("/tileMatrixSets/WebMercatorQuad")
def web_mercator_quad(request: Request) -> Response:
    return _answer(request, documents.tile_matrix_set(), "tileMatrixSet")


def _tiled(collection_id: str, principal: Principal) -> Collection:
    found = _collection(collection_id, principal)
    if found.tile_geometry is None:
        raise OgcError(404, "NotFound", "ogc.no_tiles", {"collection": collection_id})
    return found


@router.get("/collections/{collection_id}/tiles")
def tilesets(request: Request, collection_id: str, principal: PrincipalDep) -> Response:
    found = _tiled(collection_id, principal)
    document = {"tilesets": [documents.tileset(_base(request), found)]}
    return _answer(request, document, "tilesets")


@router.get("/collections/{collection_id}/tiles/WebMercatorQuad")
def tileset(request: Request, collection_id: str, principal: PrincipalDep) -> Response:
    found = _tiled(collection_id, principal)
    return _answer(request, documents.tileset(_base(request), found), "tileset")


@router.get("/collections/{collection_id}/tiles/WebMercatorQuad/{z}/{y}/{x}")
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
    query = request.query_params
    params.refuse_unknown(query, {"f", "datetime"})
    if query.get("f") not in (None, "mvt"):
        raise bad("f", "ogc.tiles_mvt_only")
    if not 0 <= z <= documents.MAX_ZOOM or not (0 <= x < 2**z and 0 <= y < 2**z):
        raise OgcError(404, "NotFound", "ogc.no_tile", {"tile": f"{z}/{y}/{x}"})
    temporal = params.datetime_of(query)
    if temporal.interval is not None:
        raise bad("datetime", "ogc.one_date_tiles")
    as_of = temporal.instant or date.today()
    key = (found.id, z, x, y, as_of, tile_cache.state_version(conn))
    tag = tile_cache.etag(key)
    headers = {"ETag": tag, "Cache-Control": "private, no-cache"}  # revalidated each time
    if tile_cache.matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    data = tile_cache.get(key)
    if data is None:
        tile_request = queries.TileRequest(z, x, y, as_of, settings.tile_max_features)
        data = queries.tile(conn, found, tile_request)
        tile_cache.put(key, data)
    if not data:
        return Response(status_code=204, headers=headers)
    return Response(data, media_type=documents.MVT, headers=headers)


@router.get("/styles/land-release")
def land_release_style(request: Request) -> Response:
    return JSONResponse(style.land_release(_base(request)))
