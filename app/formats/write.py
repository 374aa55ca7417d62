"""Writing layers for download: GeoJSON, GeoPackage, zipped shapefile, KML, CSV.

Field names are those the import reads back, so what is exported imports back unchanged. A
shapefile allows 10 characters per field name: the long names are shortened by the mapping
``SHAPEFILE_NAMES`` (hazard_class -> haz_class, contamination -> contam, recorded_on ->
recorded, requested_m2 -> request_m2, effective_m2 -> effect_m2, ...).
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw

FORMATS = {
    "geojson": ("GeoJSON", ".geojson", "application/geo+json"),
    "gpkg": ("GPKG", ".gpkg", "application/geopackage+sqlite3"),
    "shp": ("ESRI Shapefile", ".shp", "application/zip"),
    "kml": ("KML", ".kml", "application/vnd.google-earth.kml+xml"),
    "csv": ("CSV", ".csv", "text/csv"),
}
SHAPEFILE_NAMES = {
    "hazard_class": "haz_class",
    "contamination": "contam",
    "recorded_on": "recorded",
    "recorded_class": "rec_class",
    "remaining_m2": "remain_m2",
    "requested_m2": "request_m2",
    "effective_m2": "effect_m2",
    "ineffective_m2": "ineff_m2",
    "absorbed_m2": "absorb_m2",
}


# Formats with a date type: dates go in as dates, elsewhere as ISO text.
_DATED = {"gpkg", "shp"}


def write_layer(
    folder: Path,
    name: str,
    fmt: str,
    rows: list[dict[str, Any]],
    fields: list[str],
    label: str | None = None,
) -> Path:
    """Write ``rows`` (with WKB ``geometry``) to ``folder``; returns the file to send.
    ``label`` is the field that names each feature where a format shows one (KML)."""
    driver, suffix, _ = FORMATS[fmt]
    columns = [SHAPEFILE_NAMES.get(f, f) for f in fields] if fmt == "shp" else fields
    data = [_column([_plain(row[f], fmt) for row in rows]) for f in fields]
    geometry = np.array([row["geometry"] for row in rows], dtype=object)
    path = folder / f"{name}{suffix}"
    layer_options = {"GEOMETRY": "AS_WKT"} if fmt == "csv" else {}
    dataset_options = {}
    if fmt == "kml" and label is not None:
        # Google Earth lists placemarks by their name (GDAL writes a "Name" field there); the
        # label stays among the data too, where an import reads it back.
        columns = ["Name", *columns]
        data = [np.array([row[label] for row in rows], dtype=object), *data]
    if fmt == "gpkg":
        dataset_options["VERSION"] = "1.2"  # read without warnings by GDAL 3.6 (QGIS 3.28)
    pyogrio.raw.write(
        path,
        geometry,
        data,
        columns,
        driver=driver,
        crs="EPSG:4326",
        geometry_type="MultiPolygon",
        layer=name,
        layer_options=layer_options or None,
        dataset_options=dataset_options or None,
        **({"encoding": "UTF-8"} if fmt == "shp" else {}),
    )
    if fmt != "shp":
        return path
    archive = folder / f"{name}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for part in sorted(folder.glob(f"{name}.*")):
            if part.suffix != ".zip":
                zipped.write(part, part.name)
    return archive


def _column(values: list[Any]) -> np.ndarray:
    """Whole numbers (ids, counts) as integers, other numbers as decimals (missing values as
    NaN), dates as dates (missing: NaT), everything else as text."""
    present = [v for v in values if v is not None]
    if present and len(present) == len(values) and all(_is_int(v) for v in present):
        return np.array(values, dtype=np.int64)
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    if present and all(isinstance(v, date) and not isinstance(v, datetime) for v in present):
        return np.array([np.datetime64("NaT") if v is None else v for v in values], "M8[D]")
    return np.array(values, dtype=object)


def _is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _plain(value: Any, fmt: str) -> Any:
    """Values as the formats take them: items as "BLU-26: 4; M42: 1", empty text as
    missing, dates as dates where the format has them and as ISO text elsewhere."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items()) or None
    if isinstance(value, date) and not isinstance(value, datetime) and fmt in _DATED:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value == "":
        return None
    return value
