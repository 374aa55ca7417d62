"""Query parameters of the OGC endpoints, checked as the standard says: an unknown parameter,
or a value out of range, is a client error that names the parameter."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from pyproj import Transformer
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from app.dates import check_plausible
from app.errors import InvalidInput
from app.geo.bbox import BBox, InvalidBBox, parse_bbox
from app.i18n.language import current_language
from app.ogc.crs import Crs, UnknownCrs, resolve


class OgcError(Exception):
    """An error answered as an OGC exception document."""

    def __init__(self, status: int, code: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.code = code
        self.description = description


def bad(parameter: str, problem: str, status: int = 400) -> OgcError:
    return OgcError(status, "InvalidParameterValue", f"{parameter}: {problem}")


def refuse_unknown(query: Mapping[str, str], known: set[str]) -> None:
    unknown = sorted(set(query) - known)
    if unknown:
        raise OgcError(
            400,
            "InvalidParameterValue",
            f"unknown parameter {', '.join(unknown)}; this endpoint takes "
            f"{', '.join(sorted(known))}",
        )


def integer(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad(name, f"{raw!r} is not a whole number") from None
    if value < low:
        raise bad(name, f"{value} is below {low}")
    if value > high:
        # The maximum is part of the API description: going over it is refused, not cut.
        raise bad(name, f"{value} is above the maximum {high}", status=422)
    return value


def bbox(query: Mapping[str, str]) -> BBox | None:
    """``bbox``: its corners in the axis order of ``bbox-crs`` (None when not given)."""
    raw = query.get("bbox")
    if raw is None or raw == "":
        return None
    try:
        return parse_bbox(raw)
    except InvalidBBox as error:
        raise bad("bbox", error.message) from None


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
        raise bad("bbox", error.message) from None
    to_lon_lat = Transformer.from_crs(crs.srid, 4326, always_xy=True)
    bounds = to_lon_lat.transform_bounds(x0, y0, x1, y1, densify_pts=21)
    if not all(math.isfinite(b) for b in bounds):
        raise bad("bbox", f"the box is outside the area {crs.uri} covers")
    return box(*bounds)


def crs_of(query: Mapping[str, str], name: str, choices: list[Crs]) -> Crs:
    try:
        return resolve(query.get(name), choices)
    except UnknownCrs as error:
        raise bad(name, str(error)) from None


@dataclass(frozen=True)
class Temporal:
    instant: date | None
    interval: tuple[date | None, date | None] | None


_OPEN = ("", "..")


def datetime_of(query: Mapping[str, str]) -> Temporal:
    """``datetime``: an instant, or an interval ``a/b`` with ``..`` for an open end (dates
    and RFC 3339 date-times; the day is what the ledger knows)."""
    raw = query.get("datetime")
    if raw is None or raw == "":
        return Temporal(None, None)
    if "/" not in raw:
        return Temporal(_day(raw), None)
    start, _, end = raw.partition("/")
    interval = (
        None if start in _OPEN else _day(start),
        None if end in _OPEN else _day(end),
    )
    if interval == (None, None):
        raise bad("datetime", "an interval needs at least one end")
    if interval[0] and interval[1] and interval[0] > interval[1]:
        raise bad("datetime", "the interval ends before it starts")
    return Temporal(None, interval)


def _day(value: str) -> date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = date.fromisoformat(value)
        else:
            day = datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        raise bad("datetime", f"{value!r} is not an RFC 3339 date or date-time") from None
    try:
        check_plausible(day, "datetime")
    except InvalidInput as error:
        raise bad("datetime", error.text(current_language())) from None
    return day
