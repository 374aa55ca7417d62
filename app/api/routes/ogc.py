"""OGC API – Features (Parts 1, 2, 3) and Tiles, for GIS clients (QGIS, ArcGIS, GDAL) and web
maps: the routes of the application mounted at /ogc (app.api.ogc_app). The access rules of the
API apply: anonymous callers read the regions and their figures only."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import Connection

from app.api.deps import ConnectionDep
from app.api.security import PrincipalDep
from app.auth.policy import permits
from app.auth.principal import Principal
from app.ogc import documents, html, kept, openapi, params, queries, served
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
    "f", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "as_of",
    "filter", "filter-lang", "filter-crs", "sortby", "properties", "skipGeometry",
}  # fmt: skip
# The draft name of CQL text that GDAL 3.6 asks for is read as CQL2 text.
FILTER_LANGUAGES = ("cql2-text", "cql-text")
GET = ["GET", "HEAD"]


def base_of(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def wants_html(request: Request, allowed: tuple[str, ...] = ("json", "html")) -> bool:
    f = request.query_params.get("f")
    if f:
        if f not in allowed and not (f == "geojson" and "json" in allowed):
            raise bad("f", "ogc.format_not_offered", {"format": f, "allowed": list(allowed)})
        return f == "html"
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "json" not in accept.split("text/html")[0]


def answer(request: Request, document: dict, page: str, media_type: str = JSON) -> Response:
    if wants_html(request):
        return HTMLResponse(html.page(page, document, base_of(request)))
    return JSONResponse(document, media_type=media_type)


def _readable(principal: Principal) -> list[Collection]:
    return [c for c in COLLECTIONS.values() if permits(principal.role, c.action)]


def readable_collection(collection_id: str, principal: Principal) -> Collection:
    found = COLLECTIONS.get(collection_id)
    if found is None:
        raise OgcError(404, "NotFound", "ogc.no_collection", {"collection": collection_id})
    if not permits(principal.role, found.action):
        if principal.anonymous:
            raise OgcError(401, "Unauthorized", "ogc.sign_in", {"collection": collection_id})
        raise OgcError(403, "Forbidden", "ogc.role_may_not_read", {"role": str(principal.role)})
    return found


@router.api_route("/", methods=GET)
def landing(request: Request) -> Response:
    return answer(request, documents.landing(base_of(request), TITLE), "landing")


@router.api_route("/conformance", methods=GET)
def conformance(request: Request) -> Response:
    return answer(request, {"conformsTo": documents.CONFORMANCE}, "conformance")


def _definition(request: Request, conn: Connection, settings: OgcSettings) -> dict:
    crs_by_collection = {c.id: supported(kept.extent(conn, c)) for c in COLLECTIONS.values()}
    return openapi.definition(
        base_of(request), list(COLLECTIONS.values()), settings, crs_by_collection
    )


@router.api_route("/api", methods=GET)
def api_definition(request: Request, conn: ConnectionDep, settings: SettingsDep) -> Response:
    if wants_html(request):
        return HTMLResponse(html.api_page(_definition(request, conn, settings)))
    document = _definition(request, conn, settings)
    return JSONResponse(document, media_type=documents.OPENAPI)


@router.api_route("/api.html", methods=GET)
def api_documentation(request: Request, conn: ConnectionDep, settings: SettingsDep) -> Response:
    return HTMLResponse(html.api_page(_definition(request, conn, settings)))


def _collection_document(base: str, conn: Connection, c: Collection) -> dict:
    found = kept.extent(conn, c)
    return documents.collection(base, c, supported(found), found, kept.temporal_extent(conn, c))


@router.api_route("/collections", methods=GET)
def collections(request: Request, conn: ConnectionDep, principal: PrincipalDep) -> Response:
    base = base_of(request)
    listed = [_collection_document(base, conn, c) for c in _readable(principal)]
    document = {
        "links": [
            documents.link(f"{base}/ogc/collections", "self", JSON, "this document"),
            documents.link(f"{base}/ogc/collections?f=html", "alternate", documents.HTML),
        ],
        "collections": listed,
        "crs": sorted({uri for c in listed for uri in c["crs"]}),
    }
    return answer(request, document, "collections")


@router.api_route("/collections/{collection_id}", methods=GET)
def collection(
    request: Request, collection_id: str, conn: ConnectionDep, principal: PrincipalDep
) -> Response:
    found = readable_collection(collection_id, principal)
    return answer(request, _collection_document(base_of(request), conn, found), "collection")


@router.api_route("/collections/{collection_id}/queryables", methods=GET)
def queryables(request: Request, collection_id: str, principal: PrincipalDep) -> Response:
    found = readable_collection(collection_id, principal)
    document = documents.queryables(base_of(request), found)
    if "application/schema+json" in request.headers.get("accept", ""):
        return answer(request, document, "queryables", documents.SCHEMA)
    # GDAL 3.6 reads queryables only as JSON (it refuses application/schema+json) and only
    # in the draft's form, a list of ids: both ride along in one document.
    document["queryables"] = [{"id": name} for name in found.queryables]
    return answer(request, document, "queryables")


@router.api_route("/collections/{collection_id}/schema", methods=GET)
def schema(request: Request, collection_id: str, principal: PrincipalDep) -> Response:
    found = readable_collection(collection_id, principal)
    return answer(
        request, documents.feature_schema(base_of(request), found), "schema", documents.SCHEMA
    )


def _as_of(found: Collection, query: Any) -> date | None:
    """``as_of``, where the collection shows the land as of a date."""
    as_of = params.as_of_of(query)
    if as_of is not None and not found.as_of_state:
        raise bad("as_of", "ogc.as_of.not_here", {"collection": found.id})
    return as_of


def _selection(found: Collection, query: Any, crs_list: list[Crs]) -> tuple[queries.Selection, Crs]:
    temporal = params.datetime_of(query)
    interval = temporal.interval
    if temporal.instant is not None:
        interval = (temporal.instant, temporal.instant)
    if interval is not None and not found.own_date:
        raise bad("datetime", "ogc.datetime.no_own_date", {"collection": found.id})
    as_of = _as_of(found, query)
    # The land is that of as_of (default today), unless datetime alone asks for the pieces
    # of other dates.
    at_as_of = as_of is not None or interval is None or len(found.own_date) < 2
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
        if language not in FILTER_LANGUAGES:
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
    selection = queries.Selection(as_of or date.today(), at_as_of, interval, bbox_wkb, cql)
    return selection, params.crs_of(query, "crs", crs_list)


def _page_links(
    request: Request, limit: int, offset: int, has_next: bool, as_html: bool
) -> list[dict[str, str]]:
    """Links to this page and its neighbours, each with every parameter of the request
    (clients follow ``next`` as it is). An HTML page links to HTML pages."""
    url = f"{base_of(request)}{request.url.path}"
    query = dict(request.query_params)
    query.pop("f", None)
    own, other = (documents.HTML, GEOJSON) if as_html else (GEOJSON, documents.HTML)

    def at(new_offset: int, media_type: str = own) -> str:
        f = "html" if media_type == documents.HTML else "json"
        return f"{url}?{urlencode({**query, 'offset': new_offset, 'limit': limit, 'f': f})}"

    links = [
        documents.link(at(offset), "self", own, "this page"),
        documents.link(at(offset, other), "alternate", other, "this page in another format"),
    ]
    if has_next:
        links.append(documents.link(at(offset + limit), "next", own, "next page"))
    if offset > 0:
        links.append(documents.link(at(max(0, offset - limit)), "prev", own, "previous page"))
    return links


def _shape(found: Collection, query: Any, crs: Crs) -> queries.Shape:
    names = [f.name for f in found.fields]
    return queries.Shape(
        crs,
        params.sort_keys(query, names),
        params.property_names(query, names),
        params.boolean(query, "skipGeometry"),
    )


@router.api_route("/collections/{collection_id}/items", methods=GET)
def items(
    request: Request,
    collection_id: str,
    conn: ConnectionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    found = readable_collection(collection_id, principal)
    query = request.query_params
    params.refuse_unknown(query, ITEMS_PARAMETERS)
    as_html = wants_html(request)
    limit = params.integer(query, "limit", settings.default_limit, 1, settings.max_limit)
    offset = params.integer(query, "offset", 0, 0, 2**31 - 1)
    selection, crs = _selection(found, query, _offered(conn, found, query))
    shape = _shape(found, query, crs)
    found, result = served.page(conn, found, selection, shape, limit, offset)
    if not result.has_next and (offset == 0 or result.features):
        matched = offset + len(result.features)  # the last page: nothing to count
    else:
        matched = kept.count(conn, found, selection, crs, result.data_version)
    links = _page_links(request, limit, offset, result.has_next, as_html)
    stamp = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    head: dict[str, Any] = {"type": "FeatureCollection", "timeStamp": stamp}
    if found.as_of_state and selection.at_as_of:
        head["asOf"] = selection.as_of.isoformat()
    head["numberMatched"] = matched
    head["numberReturned"] = len(result.features)
    if as_html:
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


def _offered(conn: Connection, found: Collection, query: Any) -> list[Crs]:
    """The CRSs a request may name; the data's UTM zones are looked up only when it names
    one (most requests use the default and skip the lookup)."""
    if any(query.get(name) for name in ("crs", "bbox-crs", "filter-crs")):
        return supported(kept.extent(conn, found))
    return supported(None)


@router.api_route("/collections/{collection_id}/items/{feature_id}", methods=GET)
def item(
    request: Request,
    collection_id: str,
    feature_id: str,
    conn: ConnectionDep,
    principal: PrincipalDep,
) -> Response:
    found = readable_collection(collection_id, principal)
    query = request.query_params
    params.refuse_unknown(query, {"f", "crs", "as_of", "properties", "skipGeometry"})
    as_html = wants_html(request)
    as_of = _as_of(found, query)
    crs = params.crs_of(query, "crs", _offered(conn, found, query))
    shape = _shape(found, query, crs)
    feature = served.one(conn, found, feature_id, as_of or date.today(), shape)
    if feature is None:
        raise OgcError(
            404, "NotFound", "ogc.no_feature", {"collection": collection_id, "feature": feature_id}
        )
    base = base_of(request)
    href = f"{base}/ogc/collections/{collection_id}/items/{quote(feature_id, safe='')}"
    own, other = (documents.HTML, GEOJSON) if as_html else (GEOJSON, documents.HTML)
    links = [
        documents.link(f"{href}?f={'html' if as_html else 'json'}", "self", own, "this feature"),
        documents.link(f"{href}?f={'json' if as_html else 'html'}", "alternate", other),
        documents.link(
            f"{base}/ogc/collections/{collection_id}?f={'html' if as_html else 'json'}",
            "collection",
            documents.HTML if as_html else JSON,
        ),
    ]
    if as_html:
        return HTMLResponse(html.feature_page(found, {**json.loads(feature), "links": links}))
    # The feature is GeoJSON text from PostGIS: its links are spliced in, not re-encoded.
    body = feature[:-1] + ', "links": ' + json.dumps(links) + "}"
    return Response(body, media_type=GEOJSON, headers={"Content-Crs": crs.header})
