"""Query parameters of the OGC endpoints, checked as the standard says: an unknown parameter,
or a value out of range, is a client error that names the parameter."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from pyproj import Transformer
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from app.dates import check_plausible
from app.errors import InvalidInput, LandReleaseError
from app.geo.bbox import BBox, InvalidBBox, parse_bbox
from app.ogc.crs import Crs, UnknownCrs, resolve


class OgcError(Exception):
    """An error answered as an OGC exception document: an OGC exception ``code`` and the
    message (a code of the catalogues with its params, and a hint), described in the
    caller's language."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        params: dict[str, Any] | None = None,
        hint: str | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.told = LandReleaseError(code=message, params=params, hint=hint)
        super().__init__(self.told.message)

    def description(self, language: str) -> str:
        return self.told.text(language)


def bad(
    parameter: str, problem: str, params: dict[str, Any] | None = None, status: int = 400
) -> OgcError:
    """A parameter refused: its name, and the problem (a code of the catalogues)."""
    return OgcError(
        status,
        "InvalidParameterValue",
        "ogc.bad_parameter",
        {"parameter": parameter, "problem": {"code": problem, "params": params or {}}},
    )


def refuse_unknown(query: Mapping[str, str], known: set[str]) -> None:
    unknown = sorted(set(query) - known)
    if unknown:
        raise OgcError(
            400,
            "InvalidParameterValue",
            "ogc.unknown_parameter",
            {"unknown": unknown, "known": sorted(known)},
        )


def integer(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """A whole number from ``low``; one above ``high`` is cut to ``high`` (OGC API –
    Features Part 1: a limit above the maximum is not an error)."""
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad(name, "ogc.not_whole_number", {"value": raw}) from None
    if value < low:
        raise bad(name, "ogc.below", {"value": value, "low": low})
    return min(value, high)


def bbox(query: Mapping[str, str]) -> BBox | None:
    """``bbox``: its corners in the axis order of ``bbox-crs`` (None when not given)."""
    raw = query.get("bbox")
    if raw is None or raw == "":
        return None
    try:
        return parse_bbox(raw)
    except InvalidBBox as error:
        raise bad("bbox", error.code, error.params) from None


def lon_lat_box(corners: BBox, crs: Crs) -> BaseGeometry:
    """The bbox given in ``crs`` as a lon/lat geometry: across the antimeridian, two boxes
    (in lon/lat only); from another CRS, the box around its transformed outline."""
    if crs.lat_first:
        corners = corners.swapped()
    try:
        if crs.srid == 4326:
            return corners.geometry()
        [(x0, y0, x1, y1)] = corners.boxes(geographic=False)
    except InvalidBBox as error:
        raise bad("bbox", error.code, error.params) from None
    to_lon_lat = Transformer.from_crs(crs.srid, 4326, always_xy=True)
    bounds = to_lon_lat.transform_bounds(x0, y0, x1, y1, densify_pts=21)
    if not all(math.isfinite(b) for b in bounds):
        raise bad("bbox", "ogc.box_outside_crs", {"crs": crs.uri})
    return box(*bounds)


def crs_of(query: Mapping[str, str], name: str, choices: list[Crs]) -> Crs:
    try:
        return resolve(query.get(name), choices)
    except UnknownCrs as error:
        raise bad(name, "ogc.crs_not_offered", error.params) from None


@dataclass(frozen=True)
class Temporal:
    instant: date | None
    interval: tuple[date | None, date | None] | None


_OPEN = ("", "..")
# A date, and optionally a time of any precision (GDAL writes "2015-01-01T" for a date and
# "2020-01-03T10:00Z" for the parts of a time it was given) and a time zone.
_INSTANT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](?:(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?)?)?"
    r"([Zz]|[+-]\d{2}:?\d{2})?"
)


def datetime_of(query: Mapping[str, str]) -> Temporal:
    """``datetime``: an instant, or an interval ``a/b`` with ``..`` (or nothing) for an
    open end: dates and RFC 3339 date-times, in the forms GIS clients write them. The
    ledger knows days: an instant counts as its UTC day."""
    raw = query.get("datetime")
    if raw is None or raw == "":
        return Temporal(None, None)
    if "/" not in raw:
        return Temporal(day_of("datetime", raw), None)
    start, _, end = raw.partition("/")
    interval = (
        None if start in _OPEN else day_of("datetime", start),
        None if end in _OPEN else day_of("datetime", end),
    )
    if interval == (None, None):
        raise bad("datetime", "ogc.interval_without_end")
    if interval[0] and interval[1] and interval[0] > interval[1]:
        raise bad("datetime", "ogc.interval_reversed")
    return Temporal(None, interval)


def as_of_of(query: Mapping[str, str]) -> date | None:
    """``as_of``: the date the land is shown as of (None: not given)."""
    raw = query.get("as_of")
    if raw is None or raw == "":
        return None
    # The land is worked out as of this day: it must lie within the dates the service
    # accepts (a datetime filter is only compared with the features' own dates, so a client's
    # far end, such as QGIS's 9999-12-31, costs nothing and stays as it is).
    day = day_of("as_of", raw)
    try:
        check_plausible(day, "as_of")
    except InvalidInput as error:
        raise bad("as_of", error.code, error.params) from None
    return day


def day_of(parameter: str, value: str) -> date:
    """The UTC day of a date or date-time. Year 0 (QGIS's "from the beginning",
    0000-01-01T00:00:00Z) is the first day there is."""
    found = _INSTANT.fullmatch(value.strip())
    try:
        if found is None:
            raise ValueError(value)
        year, month, day, hour, minute, second, _fraction, zone = found.groups()
        if int(year) == 0:
            return date.min
        on = date(int(year), int(month), int(day))
        if on == date.max:  # QGIS's "to the end", 9999-12-31
            return on
        if hour is None or zone in (None, "Z", "z"):
            return on
        local = datetime.combine(on, time(int(hour), int(minute or 0), int(second or 0)))
        sign = 1 if zone[0] == "+" else -1
        hours, minutes = int(zone[1:3]), int(zone[-2:])
        return (local - sign * timedelta(hours=hours, minutes=minutes)).date()
    except (ValueError, OverflowError):
        raise bad(parameter, "ogc.not_a_date", {"value": value}) from None


def sort_keys(query: Mapping[str, str], names: list[str]) -> tuple[tuple[str, bool], ...]:
    """``sortby``: property names, each with + (ascending, the default) or - before it."""
    raw = query.get("sortby")
    if not raw:
        return ()
    keys = []
    for item in raw.split(","):
        item = item.strip()
        descending = item.startswith("-")
        name = item.lstrip("+-").strip()
        if name not in names:
            raise bad("sortby", "ogc.sortby.unknown", {"name": name, "names": names})
        keys.append((name, descending))
    return tuple(keys)


def property_names(query: Mapping[str, str], names: list[str]) -> tuple[str, ...] | None:
    """``properties``: the properties each feature carries (None: all)."""
    raw = query.get("properties")
    if raw is None:
        return None
    wanted = tuple(n.strip() for n in raw.split(",") if n.strip())
    for name in wanted:
        if name not in names:
            raise bad("properties", "ogc.properties.unknown", {"name": name, "names": names})
    return wanted


def boolean(query: Mapping[str, str], name: str) -> bool:
    raw = query.get(name)
    if raw is None or raw == "":
        return False
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    raise bad(name, "ogc.boolean", {"value": raw})
