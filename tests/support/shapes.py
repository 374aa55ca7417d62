"""Building test polygons in metres around a site and turning them into lon/lat."""

from __future__ import annotations

from pyproj import Transformer
from shapely import box
from shapely import transform as transform_coords
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

# A site in Xiangkhouang, Lao PDR, in UTM zone 48N.
ORIGIN_E, ORIGIN_N = 250_000.0, 2_150_000.0
_TO_LONLAT = Transformer.from_crs("EPSG:32648", "EPSG:4326", always_xy=True)
_TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)


def rect(x0: float, y0: float, x1: float, y1: float) -> BaseGeometry:
    """A rectangle given in metres from the site origin, as a lon/lat polygon."""
    local = box(ORIGIN_E + x0, ORIGIN_N + y0, ORIGIN_E + x1, ORIGIN_N + y1)
    return lonlat(local)


def lonlat(geometry_utm: BaseGeometry) -> BaseGeometry:
    return transform_coords(geometry_utm, _to_lonlat, interleaved=False)


def utm(geometry_lonlat: BaseGeometry) -> BaseGeometry:
    """A lon/lat geometry back in metres (UTM 48N), where it was drawn."""
    return transform_coords(geometry_lonlat, _TO_UTM.transform, interleaved=False)


def hazard_feature(geometry: BaseGeometry, **properties: object) -> dict:
    return {"type": "Feature", "geometry": mapping(geometry), "properties": properties}


def _to_lonlat(x, y):
    lon, lat = _TO_LONLAT.transform(x, y)
    return lon, lat


def new_hazard(
    reference: str,
    geometry: BaseGeometry,
    on: str = "2014-01-01",
    hazard_class: str = "SHA",
    contamination: str = "CMR",
) -> dict:
    """The body of POST /api/v1/hazards."""
    return hazard_feature(
        geometry,
        reference=reference,
        hazard_class=hazard_class,
        contamination=contamination,
        recorded_on=on,
    )


def new_event(geometry: BaseGeometry, kind: str, on: str, **properties: object) -> dict:
    """The body of POST /api/v1/hazards/{reference}/events."""
    return hazard_feature(geometry, kind=kind, date=on, **properties)
