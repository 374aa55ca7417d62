"""Field files written at test time with fiona (GDAL): no opaque binary fixtures."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import fiona
import numpy as np
import shapely
from fiona.crs import CRS
from pyproj import Transformer
from shapely.geometry import MultiPolygon, mapping
from shapely.geometry.base import BaseGeometry

_KML = "{http://www.opengis.net/kml/2.2}"
# Python values and the field types GDAL stores them as.
_FIELD_TYPES = ((bool, "bool"), (int, "int"), (float, "float"), (date, "date"), (str, "str"))


def write_layer(
    path: Path,
    driver: str,
    geometries: list[BaseGeometry],
    records: list[dict],
    crs: str = "EPSG:4326",
    layer: str | None = None,
    geometry_type: str | None = None,
    encoding: str | None = None,
    given_in: str = "EPSG:4326",
) -> Path:
    """Write geometries given in ``given_in`` (lon/lat unless said), reprojected to ``crs``,
    with attribute ``records`` (each field typed after its values: text, whole or decimal
    numbers, dates). The layer's geometry type is the geometries' own, MultiPolygon for a
    mix of polygons and multipolygons, unless ``geometry_type`` says otherwise."""
    if crs != given_in:
        to_crs = Transformer.from_crs(given_in, crs, always_xy=True)
        geometries = [
            shapely.transform(g, lambda xy: np.column_stack(to_crs.transform(xy[:, 0], xy[:, 1])))
            for g in geometries
        ]
    if geometry_type is None:
        geometry_type, geometries = _one_geometry_type(geometries)
    fields = list(records[0]) if records else []
    schema = {
        "geometry": geometry_type.replace("Polygon Z", "3D Polygon"),
        "properties": {f: _field_type([r[f] for r in records]) for f in fields},
    }
    options: dict[str, Any] = {"layer": layer} if layer else {}
    # Not in fiona's list of tested drivers, but GDAL's KML writer is the one users have.
    options["allow_unsupported_drivers"] = driver == "KML"
    if encoding:
        options["encoding"] = encoding
    # A named layer written into an existing GeoPackage is added beside the others.
    with fiona.open(
        path, "w", driver=driver, schema=schema, crs=CRS.from_user_input(crs), **options
    ) as sink:
        sink.writerecords(
            {"geometry": mapping(g), "properties": record}
            for g, record in zip(geometries, records, strict=True)
        )
    return path


def hazard_rows(prefix: str, count: int) -> list[dict]:
    """Attributes of ``count`` suspected CMR hazards, references ``prefix``-0, -1, ..."""
    return [
        {
            "reference": f"{prefix}-{i}",
            "hazard_class": "SHA",
            "contamination": "CMR",
            "recorded_on": "2015-01-01",
        }
        for i in range(count)
    ]


def write_kml_folders(
    path: Path, folders: dict[str, tuple[list[BaseGeometry], list[dict]]]
) -> Path:
    """A KML document as Google Earth saves one: a folder of placemarks per name. GDAL writes
    a KML file in one go, so each folder is written alone and moved into the first file."""
    ElementTree.register_namespace("", _KML.strip("{}"))
    documents = []
    for i, (name, (geometries, records)) in enumerate(folders.items()):
        single = write_layer(
            path.with_name(f"{path.stem}-{i}.kml"), "KML", geometries, records, layer=name
        )
        documents.append(ElementTree.parse(single))
        single.unlink()
    first = documents[0].getroot().find(f"{_KML}Document")
    for other in documents[1:]:
        first.extend(other.getroot().find(f"{_KML}Document"))  # its schema and folder
    documents[0].write(path, xml_declaration=True, encoding="utf-8")
    return path


def _one_geometry_type(geometries: list[BaseGeometry]) -> tuple[str, list[BaseGeometry]]:
    types = {g.geom_type for g in geometries}
    if len(types) == 1:
        return types.pop(), geometries
    if types <= {"Polygon", "MultiPolygon"}:
        return "MultiPolygon", [
            MultiPolygon([g]) if g.geom_type == "Polygon" else g for g in geometries
        ]
    return "Unknown", geometries


def _field_type(values: list[Any]) -> str:
    present = [v for v in values if v is not None]
    for python_type, field_type in _FIELD_TYPES:
        if present and all(isinstance(v, python_type) for v in present):
            return field_type
    return "str"


def zip_folder(folder: Path, target: Path, inside: str = "", skip: tuple[str, ...] = ()) -> Path:
    """Zip every file of ``folder`` (optionally under a sub-folder ``inside`` of the zip)."""
    with zipfile.ZipFile(target, "w") as archive:
        for file in sorted(folder.iterdir()):
            if file.suffix.lower() not in skip:
                archive.write(file, f"{inside}{file.name}")
    return target
