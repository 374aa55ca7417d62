"""The offline basemap: which layers are loaded (with their sources and licences, the map's
attribution) and its vector tiles. Open data: anyone may read it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from app.api.deps import ConnectionDep
from app.api.models.basemap import BasemapLayers
from app.api.models.files import file_answer
from app.api.security import allow
from app.auth.policy import Action
from app.auth.principal import Principal
from app.storage import basemap

router = APIRouter(prefix="/api/v1/basemap", tags=["basemap"])

Reader = Annotated[Principal, Depends(allow(Action.READ_TOTALS))]
MVT = "application/vnd.mapbox-vector-tile"


@router.get("", response_model=BasemapLayers, summary="The basemap's layers and their sources")
def basemap_layers(conn: ConnectionDep, principal: Reader) -> dict:
    found = basemap.layers(conn)
    return {"available": any(layer["features"] for layer in found), "layers": found}


@router.get(
    "/tiles/{z}/{x}/{y}",
    response_class=Response,
    responses=file_answer("a Mapbox Vector Tile (empty: nothing in the tile)", MVT),
    summary="A vector tile of the basemap (Web Mercator; layers lakes, rivers, roads, "
    "borders, places)",
)
def basemap_tile(
    conn: ConnectionDep,
    principal: Reader,
    z: Annotated[int, Path(ge=0, le=18)],
    x: Annotated[int, Path(ge=0)],
    y: Annotated[int, Path(ge=0)],
) -> Response:
    if x >= 2**z or y >= 2**z:
        return Response(status_code=404)
    return Response(
        basemap.tile(conn, z, x, y),
        media_type=MVT,
        headers={"Cache-Control": "public, max-age=3600"},
    )
