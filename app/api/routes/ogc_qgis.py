"""QGIS in one step: a project (.qgz) of the service's layers in the land-release colours,
pointing at this service, and the style files (QML, SLD) of each collection's layer."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pyproj import Transformer

from app.api.deps import ConnectionDep
from app.api.routes.ogc import GET, base_of
from app.api.security import PrincipalDep
from app.auth.policy import permits
from app.ogc import kept, params, qgis_project
from app.ogc.collections import DATASET_TILES
from app.ogc.documents import QGZ
from app.ogc.params import OgcError

router = APIRouter()

# Where the project opens when there is no data yet: the world.
WORLD_3857 = (-20037508.34, -20037508.34, 20037508.34, 20037508.34)
_TO_MERCATOR = Transformer.from_crs(4326, 3857, always_xy=True)
STYLE_TYPES = {"qml": "application/xml", "sld": "application/vnd.ogc.sld+xml"}


@router.api_route("/qgis/land-release.qgz", methods=GET)
def qgis_project_file(request: Request, conn: ConnectionDep, principal: PrincipalDep) -> Response:
    query = request.query_params
    params.refuse_unknown(query, {"authcfg"})
    authcfg = query.get("authcfg", qgis_project.DEFAULT_AUTHCFG)
    if not qgis_project.AUTHCFG.fullmatch(authcfg):
        raise params.bad("authcfg", "ogc.qgis.authcfg", {"value": authcfg})
    extents = [kept.extent(conn, c) for c in DATASET_TILES if permits(principal.role, c.action)]
    found = [e for e in extents if e is not None]
    extent = WORLD_3857
    if found:
        west, south = min(e[0] for e in found), min(e[1] for e in found)
        east, north = max(e[2] for e in found), max(e[3] for e in found)
        extent = _TO_MERCATOR.transform_bounds(west, south, east, north)
    body = qgis_project.qgz(base_of(request), authcfg, extent)
    return Response(
        body,
        media_type=QGZ,
        headers={"Content-Disposition": 'attachment; filename="land-release.qgz"'},
    )


@router.api_route("/qgis/styles/{name}", methods=GET)
def qgis_style(name: str) -> Response:
    stem, _, kind = name.rpartition(".")
    if stem not in qgis_project.STYLE_NAMES or kind not in STYLE_TYPES:
        raise OgcError(404, "NotFound", "ogc.no_style_file", {"name": name})
    return Response(
        qgis_project.style_file(name),
        media_type=STYLE_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
