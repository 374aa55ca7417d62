"""Downloads for GIS analysts: remaining hazards and effective events in common formats."""

from __future__ import annotations

import shutil
import tempfile
from datetime import time
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from sqlalchemy import Connection
from starlette.background import BackgroundTask

from app.api.deps import AsOfDep, ConnectionDep, KnownAtDep, ScopeDep
from app.api.routes.hazards import Reader, parse_bbox, view_for
from app.formats.features import EVENT_PROPERTIES, HAZARD_PROPERTIES
from app.formats.write import FORMATS, write_layer
from app.ledger.remaining import land_class, remaining_m2
from app.storage import event_queries, hazard_queries
from app.storage.conditions import View

router = APIRouter(prefix="/api/v1/export", tags=["exports"])

# What the import reads back, then the figures.
HAZARD_FIELDS = [*HAZARD_PROPERTIES, "sha_m2", "cha_m2", "remaining_m2", "recorded_class"]
EVENT_FIELDS = [
    *EVENT_PROPERTIES,
    "event_id",
    "requested_m2",
    "effective_m2",
    "ineffective_m2",
    "absorbed_m2",
]
LayerFormat = Annotated[Literal["geojson", "gpkg", "shp", "kml", "csv"], Query()]


@router.get(
    "/{what}",
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
    bbox: Annotated[str | None, Query(description="min lon, min lat, max lon, max lat")] = None,
) -> FileResponse:
    view = view_for(principal, as_of, scope, known_at)
    # The name says which figures these are: as of a date, and as known at an earlier one.
    name = f"{what}-{as_of.isoformat()}"
    if known_at is not None:
        midnight = known_at.time() == time(0)
        name += "-known-" + known_at.strftime("%Y-%m-%d" if midnight else "%Y-%m-%dT%H%M")
    return layer_file(conn, what, view, parse_bbox(bbox), format, name)


def layer_file(
    conn: Connection,
    what: Literal["hazards", "events"],
    view: View,
    bbox: list[tuple[float, float, float, float]] | None,
    fmt: str,
    name: str,
) -> FileResponse:
    """Remaining hazards or effective events of ``view`` as a file to download."""
    if what == "hazards":
        rows = hazard_queries.remaining_areas(conn, view, bbox)
        for row in rows:
            # The class of the land that remains: CHA as soon as any of it is confirmed.
            row["hazard_class"] = land_class(row["cha_m2"]).value
            row["remaining_m2"] = remaining_m2(row["sha_m2"], row["cha_m2"])
        fields, label = HAZARD_FIELDS, "reference"
    else:
        rows = event_queries.effective_areas(conn, view, bbox)
        fields, label = EVENT_FIELDS, "hazard"
    folder = Path(tempfile.mkdtemp(prefix="landrelease-export-"))
    path = write_layer(folder, name, fmt, rows, fields, label)
    return FileResponse(
        path,
        media_type=FORMATS[fmt][2],
        filename=path.name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
