"""Field files written at test time with GDAL (pyogrio): no opaque binary fixtures."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry


def write_layer(
    path: Path,
    driver: str,
    geometries: list[BaseGeometry],
    records: list[dict],
    crs: str = "EPSG:4326",
    layer: str | None = None,
    geometry_type: str = "MultiPolygon",
    append: bool = False,
    encoding: str | None = None,
) -> Path:
    """Write lon/lat geometries, reprojected to ``crs``, with attribute ``records``."""
    if crs != "EPSG:4326":
        to_crs = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        geometries = [
            shapely.transform(g, lambda xy: np.column_stack(to_crs.transform(xy[:, 0], xy[:, 1])))
            for g in geometries
        ]
    fields = list(records[0]) if records else []
    data = [np.array([r[f] for r in records], dtype=object) for f in fields]
    pyogrio.raw.write(
        path,
        shapely.to_wkb(np.array(geometries, dtype=object)),
        data,
        fields,
        driver=driver,
        crs=crs,
        geometry_type=geometry_type,
        layer=layer,
        append=append,
        encoding=encoding,
    )
    return path


def zip_folder(folder: Path, target: Path, inside: str = "", skip: tuple[str, ...] = ()) -> Path:
    """Zip every file of ``folder`` (optionally under a sub-folder ``inside`` of the zip)."""
    with zipfile.ZipFile(target, "w") as archive:
        for file in sorted(folder.iterdir()):
            if file.suffix.lower() not in skip:
                archive.write(file, f"{inside}{file.name}")
    return target
