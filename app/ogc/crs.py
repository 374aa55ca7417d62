"""Coordinate reference systems of OGC API – Features Part 2 (by reference).

Geometries are stored in lon/lat on WGS84 (CRS84 axis order). A client may ask for them in
another CRS (``crs``) and give its bounding box in one (``bbox-crs``); EPSG:4326 is
latitude first, as EPSG defines it, and PostGIS works in lon/lat, so its axes are swapped on
the way in and out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
_EPSG = "http://www.opengis.net/def/crs/EPSG/0/"


@dataclass(frozen=True)
class Crs:
    uri: str
    srid: int  # in PostGIS
    lat_first: bool = False  # axis order of the CRS differs from PostGIS's lon/lat
    projected: bool = False

    @property
    def header(self) -> str:
        """The value of a Content-Crs header."""
        return f"<{self.uri}>"

    @property
    def decimals(self) -> int:
        return 3 if self.projected else 9  # 1 mm in metres; about 0.1 mm in degrees


LON_LAT = Crs(CRS84, 4326)
LAT_LON = Crs(_EPSG + "4326", 4326, lat_first=True)
WEB_MERCATOR = Crs(_EPSG + "3857", 3857, projected=True)


def utm_zones(west: float, east: float, south: float, north: float) -> list[Crs]:
    """The WGS84 UTM zones (north or south) that a lon/lat extent reaches."""
    first = max(1, min(60, math.floor((west + 180) / 6) + 1))
    last = max(1, min(60, math.floor((east + 180) / 6) + 1))
    bases = ([32600] if north > 0 else []) + ([32700] if south < 0 else [])
    return [
        Crs(f"{_EPSG}{base + zone}", base + zone, projected=True)
        for base in bases
        for zone in range(first, last + 1)
    ]


def supported(extent: tuple[float, float, float, float] | None) -> list[Crs]:
    """CRS84 first (the default), then EPSG:4326, Web Mercator and the data's UTM zones."""
    zones = utm_zones(extent[0], extent[2], extent[1], extent[3]) if extent else []
    return [LON_LAT, LAT_LON, WEB_MERCATOR, *zones]


class UnknownCrs(ValueError):
    """A CRS the endpoint does not offer; ``params`` name it and the ones offered."""

    def __init__(self, value: str, choices: list[Crs]) -> None:
        self.params = {"crs": value, "choices": [c.uri for c in choices]}
        super().__init__(f"the CRS {value} is not offered here")


def resolve(value: str | None, choices: list[Crs]) -> Crs:
    """The CRS a client named, by URI (or the EPSG:n / OGC:CRS84 shorthands)."""
    if value is None or value == "":
        return LON_LAT
    wanted = _normalise(value.strip())
    for crs in choices:
        if crs.uri == wanted:
            return crs
    raise UnknownCrs(value, choices)


def _normalise(value: str) -> str:
    if value.startswith("[") and value.endswith("]"):  # safe CURIE: [EPSG:4326]
        value = value[1:-1]
    upper = value.upper()
    if upper in ("OGC:CRS84", "CRS84", "URN:OGC:DEF:CRS:OGC:1.3:CRS84"):
        return CRS84
    if upper.startswith("EPSG:"):
        return _EPSG + value.split(":", 1)[1]
    if upper.startswith("URN:OGC:DEF:CRS:EPSG:"):
        return _EPSG + value.rsplit(":", 1)[1]
    if value.startswith("https://"):
        value = "http://" + value[len("https://") :]
    return value
