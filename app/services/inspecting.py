"""What an uploaded file holds, before any import: its format, its layers, the chosen layer's
fields and feature count, its CRS and how it reaches WGS 84 (the field names a mapping sends
our properties to)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.errors import InvalidInput
from app.formats.features import FieldMap
from app.formats.read import ImpreciseCrs, layer_names, open_layer
from app.formats.unpack import Limits, unpack
from app.formats.values import distinct_values
from app.services.workspace import temporary_folder


def inspect_upload(
    upload: Path, file_name: str, limits: Limits, layer: str | None, crs: str | None = None
) -> dict[str, Any]:
    """What a file holds, before any import: format, layers, the chosen layer's fields,
    feature count, CRS and how it reaches WGS 84 (the field names to map our properties to).

    A CRS the file does not give is asked for at import; a CRS PROJ could only place roughly
    is refused here already, unless ``crs`` says what it is.
    """
    with temporary_folder("landrelease-inspect-") as workdir:
        unpacked = unpack(upload, file_name, Path(workdir), limits)
        layers = layer_names(unpacked.path, file_name)
        found = {"file_name": file_name, "format": unpacked.format, "layers": layers}
        try:
            source = open_layer(unpacked.path, file_name, layer, crs)
            source_crs: str | None = source.crs
        except InvalidInput as error:
            if error.field == "layer" and layer is None and len(layers) > 1:
                # Several layers and none chosen: the listing is the answer.
                return {
                    **found,
                    "layer": None,
                    "fields": [],
                    "features": None,
                    "crs": None,
                    "transformation": None,
                }
            if error.field != "crs" or crs is not None or isinstance(error, ImpreciseCrs):
                raise
            # A shapefile without .prj: the fields can still be shown; the CRS must be given.
            source = open_layer(unpacked.path, file_name, layer, "EPSG:4326")
            source_crs = None
        return {
            **found,
            "layer": source.name,
            "fields": source.fields,
            "features": source.count,
            "crs": source_crs,
            "transformation": source.transformation if source_crs else None,
            "transformation_accuracy_m": source.transformation_accuracy_m if source_crs else None,
            "values": distinct_values(source),
            "found_fields": {
                target: FieldMap.found_by_name(target, source.fields)
                for target in ("hazards", "events")
            },
        }
