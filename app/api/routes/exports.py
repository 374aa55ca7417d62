"""Downloads for GIS analysts: remaining hazards and effective events in common formats."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Response
from fastapi.responses import FileResponse

from app.api.deps import AsOfDep, ConnectionDep, KnownAtDep, ScopeDep
from app.api.layers import LAYER_FILE, LayerFormat, layer_file
from app.api.security import allow
from app.api.views import BBoxText, boxes, view_for
from app.auth.policy import Action
from app.auth.principal import Principal

router = APIRouter(prefix="/api/v1/export", tags=["exports"])

Reader = Annotated[Principal, Depends(allow(Action.READ_HAZARDS))]


@router.get(
    "/{what}",
    response_class=Response,
    responses=LAYER_FILE,
    summary="Hazards as their remaining land, or events as the land they changed, as a file",
)
def export(
    what: Literal["hazards", "events"],
    conn: ConnectionDep,
    principal: Reader,
    as_of: AsOfDep,
    scope: ScopeDep,
    known_at: KnownAtDep,
    format: LayerFormat = "geojson",
    bbox: BBoxText = None,
) -> FileResponse:
    view = view_for(principal, as_of, scope, known_at)
    # The name says which figures these are: as of a date, and as known at an earlier one.
    name = f"{what}-{as_of.isoformat()}"
    if known_at is not None:
        midnight = known_at.time() == time(0)
        name += "-known-" + known_at.strftime("%Y-%m-%d" if midnight else "%Y-%m-%dT%H%M")
    return layer_file(conn, what, view, boxes(bbox), format, name)
