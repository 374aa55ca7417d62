"""Hazards as their remaining land, or events as the land they changed, written as a file to
download: the exports, and the areas of the treaty reports."""

from __future__ import annotations

import shutil
from typing import Annotated, Literal

from fastapi import Query
from fastapi.responses import FileResponse
from sqlalchemy import Connection
from starlette.background import BackgroundTask

from app.api.models.files import file_answer
from app.formats.features import EVENT_PROPERTIES, HAZARD_PROPERTIES
from app.formats.write import FORMATS, write_layer
from app.geo.bbox import Box
from app.ledger.remaining import land_class, remaining_m2
from app.services.workspace import new_folder
from app.storage import event_queries, hazard_queries
from app.storage.conditions import View

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
LAYER_FILE = file_answer(
    "the layer as a file of the format asked for (a shapefile: zipped)",
    *dict.fromkeys(media for _, _, media in FORMATS.values()),
)


def layer_file(
    conn: Connection,
    what: Literal["hazards", "events"],
    view: View,
    boxes: list[Box] | None,
    fmt: str,
    name: str,
) -> FileResponse:
    """Remaining hazards or effective events of ``view`` as a file to download."""
    if what == "hazards":
        rows = hazard_queries.remaining_areas(conn, view, boxes)
        for row in rows:
            row["hazard_class"] = land_class(row["cha_m2"]).value
            row["remaining_m2"] = remaining_m2(row["sha_m2"], row["cha_m2"])
        fields, label = HAZARD_FIELDS, "reference"
    else:
        rows = event_queries.effective_areas(conn, view, boxes)
        fields, label = EVENT_FIELDS, "hazard"
    folder = new_folder("landrelease-export-")
    path = write_layer(folder, name, fmt, rows, fields, label)
    return FileResponse(
        path,
        media_type=FORMATS[fmt][2],
        filename=path.name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
