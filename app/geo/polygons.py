"""Polygon hygiene: keeping the polygonal part of overlay results, validating user polygons."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from app.errors import InvalidGeometry
from app.geo.geodesic import densified, densified_many

# Every overlay runs on a grid of 1e-11 degrees (about 1 µm): snap-rounding makes the
# results exact on that grid, so cutting a polygon in two and putting the parts back together
# gives the polygon again, with no slivers or spikes of floating-point noise.
GRID = 1e-11


def intersection(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    return shapely.intersection(a, b, grid_size=GRID)


def difference(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    return shapely.difference(a, b, grid_size=GRID)


def union_all(geometries: list[BaseGeometry]) -> BaseGeometry:
    return shapely.union_all(geometries, grid_size=GRID)


def snapped(geometry: BaseGeometry) -> BaseGeometry:
    """The geometry with its vertices on the overlay grid."""
    return shapely.set_precision(geometry, GRID)


_SCALE = round(1 / GRID)


def on_grid(coords: np.ndarray) -> np.ndarray:
    """Coordinates rounded to the overlay grid as GEOS rounds them (half away from zero is
    half up here: floor(x * scale + 0.5) / scale)."""
    return np.floor(coords * _SCALE + 0.5) / _SCALE


def polygonal_part(geometry: BaseGeometry) -> BaseGeometry | None:
    """The polygons of an overlay result (dropping lines and points), or None when there are none.

    Overlays of touching polygons yield slivers of zero area and stray boundary lines: they hold
    no land and are dropped.
    """
    if geometry.is_empty:
        return None
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry if geometry.area > 0 else None
    parts = [
        g
        for g in shapely.get_parts(geometry)
        if isinstance(g, Polygon | MultiPolygon) and g.area > 0
    ]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def as_multipolygon(geometry: BaseGeometry) -> MultiPolygon:
    if isinstance(geometry, MultiPolygon):
        return geometry
    if isinstance(geometry, Polygon):
        return MultiPolygon([geometry])
    polygons = [g for g in shapely.get_parts(geometry) if isinstance(g, Polygon)]
    return MultiPolygon(polygons)


# A hazardous area, or a fact recorded on one, is at most this wide or long. Anything larger
# is a mistake (a vertex at 0,0 from a GPS without a fix, a polygon across the antimeridian)
# that would otherwise be densified into millions of points.
MAX_EXTENT_KM = 100.0
_KM_PER_DEGREE = 111.32

# The hint of a polygon a repair would fix: each place says how to ask for one (repair=true,
# the Repair box of the upload page, --repair on the command line).
REPAIR_HINT = "hint.repair"


def checked_footprint(
    geometry: BaseGeometry,
    *,
    field: str,
    repair: bool,
    max_extent_km: float | None = MAX_EXTENT_KM,
    max_vertices: int | None = None,
) -> MultiPolygon:
    """Validate a polygon given by a user in lon/lat; return it as a 2D MultiPolygon.

    Raises InvalidGeometry naming the problem (and where it is) unless ``repair`` allows the
    geometry to be made valid. ``max_extent_km`` (None: any size, for administrative
    regions) bounds its width and height, ``max_vertices`` (None: any number) its vertices.
    """
    if max_vertices is not None:
        _check_vertices(geometry, field, max_vertices)
    if geometry.is_empty:
        raise InvalidGeometry(field, code="geometry.empty")
    if not isinstance(geometry, Polygon | MultiPolygon):
        raise InvalidGeometry(
            field, code="geometry.not_an_area", params={"type": geometry.geom_type}
        )
    geometry = shapely.force_2d(geometry)
    _check_numbers(geometry, field)
    _check_lon_lat_ranges(geometry, field)
    if max_extent_km is not None:
        _check_extent(geometry, field, max_extent_km)
    if not shapely.is_valid(geometry):
        if not repair:
            reason = shapely.is_valid_reason(geometry)
            raise _invalid(field, reason)
        fixed = repaired(geometry)
        if fixed is None:
            raise InvalidGeometry(field, code="geometry.nothing_left_after_repair")
        geometry = fixed
    elif geometry.area == 0:
        raise InvalidGeometry(field, code="geometry.no_area")
    return as_multipolygon(geometry)


def repaired(geometry: Polygon | MultiPolygon) -> BaseGeometry | None:
    """The area a field team meant by an invalid polygon: each outline's area less its holes.

    A hole that lies wholly outside its outline cuts nothing and is dropped (GEOS would make
    it land of its own), and overlapping holes are both cut out (not their overlap put back).
    None when no area is left.
    """
    polygons = []
    for polygon in shapely.get_parts(geometry):
        outline = shapely.make_valid(Polygon(polygon.exterior))
        holes = [
            ring
            for ring in polygon.interiors
            if shapely.intersection(outline, shapely.make_valid(Polygon(ring))).area > 0
        ]
        polygons.append(Polygon(polygon.exterior, holes))
    return polygonal_part(
        shapely.make_valid(MultiPolygon(polygons), method="structure", keep_collapsed=False)
    )


def checked_footprints(
    geometries: Sequence[BaseGeometry | None],
    *,
    field: str,
    repair: bool,
    max_vertices: int | None = None,
) -> list[MultiPolygon | InvalidGeometry]:
    """``checked_footprint`` of many geometries at once: the footprint, or what is wrong.

    The usual case (a valid 2D polygon in lon/lat) is checked for all of them in a few
    vectorised calls; anything else goes through ``checked_footprint`` for its message.
    """
    array = np.empty(len(geometries), dtype=object)
    array[:] = geometries
    too_many = np.zeros(len(array), dtype=bool)
    if max_vertices is not None:
        too_many = shapely.get_num_coordinates(array) > max_vertices
        array[too_many] = None  # not worth any more work: refused below
    kind = shapely.get_type_id(array)
    ok = (kind == shapely.GeometryType.POLYGON) | (kind == shapely.GeometryType.MULTIPOLYGON)
    ok &= ~shapely.is_empty(array) & ~shapely.has_z(array)
    bounds = shapely.bounds(array)
    with np.errstate(invalid="ignore"):
        ok &= (bounds[:, 0] >= -180) & (bounds[:, 2] <= 180)
        ok &= (bounds[:, 1] >= -90) & (bounds[:, 3] <= 90)
        ok &= _extents_km(bounds) <= MAX_EXTENT_KM
        ok &= shapely.is_valid(array) & (shapely.area(array) > 0)
    results: list[MultiPolygon | InvalidGeometry] = [None] * len(array)  # type: ignore[list-item]
    good = np.flatnonzero(ok)
    for i, footprint in zip(good, as_multipolygons(array[good]), strict=True):
        results[i] = footprint
    for i in np.flatnonzero(~ok):
        if too_many[i]:
            try:
                _check_vertices(geometries[int(i)], field, cast(int, max_vertices))
            except InvalidGeometry as error:
                results[i] = error
            continue
        if array[i] is None:
            results[i] = InvalidGeometry(field, code="geometry.missing")
            continue
        try:
            results[i] = checked_footprint(array[i], field=field, repair=repair)
        except InvalidGeometry as error:
            results[i] = error
    return results


def _check_vertices(geometry: BaseGeometry | None, field: str, max_vertices: int) -> None:
    """A polygon of more vertices than any survey draws costs seconds and memory to check,
    store and draw: refused before any of that."""
    count = int(shapely.get_num_coordinates(geometry)) if geometry is not None else 0
    if count > max_vertices:
        raise InvalidGeometry(
            field,
            f"the polygon has {count:,} vertices, more than the {max_vertices:,} accepted: "
            "simplify it",
            code="geometry.too_many_vertices",
            params={"count": count, "max": max_vertices},
        )


def as_multipolygons(geometries: np.ndarray) -> np.ndarray:
    """Polygons and MultiPolygons (not empty) as MultiPolygons, all at once."""
    if len(geometries) == 0:
        return np.empty(0, dtype=object)
    parts, owners = shapely.get_parts(geometries, return_index=True)
    # With indices, the constructor gives an array (the stubs cannot tell it from the arguments).
    return cast(np.ndarray, shapely.multipolygons(parts, indices=owners))


def ledger_footprint(geometry: BaseGeometry, *, field: str = "geometry") -> MultiPolygon:
    """A valid polygon as the ledger keeps it: densified along its geodesic edges, on the grid."""
    [footprint] = ledger_footprints([geometry], field=field)
    if isinstance(footprint, InvalidGeometry):
        raise footprint
    return footprint


def ledger_footprints(
    geometries: Sequence[BaseGeometry], *, field: str = "geometry"
) -> list[MultiPolygon | InvalidGeometry]:
    """``ledger_footprint`` of many valid polygons at once (or why one has no area left).

    All are densified in one pass with their vertices rounded to the grid; those that are
    still valid (nearly all) are done, the others are made valid one by one.
    """
    array = np.empty(len(geometries), dtype=object)
    array[:] = geometries
    dense = densified_many(array, round_coordinates=on_grid)
    good = shapely.is_valid(dense) & (shapely.area(dense) > 0)
    results: list[MultiPolygon | InvalidGeometry] = list(dense)
    for i in np.flatnonzero(~good):
        try:
            results[i] = _made_valid_on_grid(array[i], field)
        except InvalidGeometry as error:
            results[i] = error
    return results


def _made_valid_on_grid(geometry: BaseGeometry, field: str) -> MultiPolygon:
    """A polygon whose densified or rounded outline is not valid (a sliver whose sides cross
    once they follow the geodesics, or vertices closer than the grid), made valid."""
    dense = densified(geometry)
    if not dense.is_valid:
        dense = polygonal_part(shapely.make_valid(dense)) or dense
    on_grid = polygonal_part(snapped(dense))
    if on_grid is not None and not on_grid.is_valid:
        on_grid = polygonal_part(shapely.make_valid(on_grid))
    if on_grid is None:
        raise InvalidGeometry(field, code="geometry.thinner_than_grid")
    return as_multipolygon(on_grid)


def _check_numbers(geometry: BaseGeometry, field: str) -> None:
    """A vertex whose coordinates are not numbers (NaN, as a GPS without a fix writes) has
    no place, so no repair can know where the outline goes there."""
    coords = shapely.get_coordinates(geometry)
    missing = np.flatnonzero(~np.isfinite(coords).all(axis=1))
    if len(missing):
        raise InvalidGeometry(
            field,
            code="geometry.vertex_not_a_number",
            params={"vertex": int(missing[0]) + 1, "vertices": len(coords)},
        )


def _check_lon_lat_ranges(geometry: BaseGeometry, field: str) -> None:
    min_x, min_y, max_x, max_y = geometry.bounds
    if (
        min_x >= -90
        and max_x <= 90
        and min_y >= -180
        and max_y <= 180
        and (min_y < -90 or max_y > 90)
    ):
        raise InvalidGeometry(
            field,
            code="geometry.lon_lat_swapped",
            params={"latitude": max(abs(min_y), abs(max_y))},
        )
    if min_x < -180 or max_x > 180 or min_y < -90 or max_y > 90:
        raise InvalidGeometry(
            field,
            code="geometry.projected",
            params={"min_x": min_x, "min_y": min_y, "max_x": max_x, "max_y": max_y},
        )


def _extents_km(bounds: np.ndarray) -> np.ndarray:
    """The larger of the east-west and north-south spans of boxes, in km (approximately:
    a degree of longitude shortened by the cosine of the box's latitude nearest the equator)."""
    bounds = np.atleast_2d(bounds)
    nearest_equator = np.where(
        (bounds[:, 1] <= 0) & (bounds[:, 3] >= 0),
        0.0,
        np.minimum(np.abs(bounds[:, 1]), np.abs(bounds[:, 3])),
    )
    east_west = (bounds[:, 2] - bounds[:, 0]) * np.cos(np.radians(nearest_equator))
    extents: np.ndarray = np.maximum(east_west, bounds[:, 3] - bounds[:, 1]) * _KM_PER_DEGREE
    return extents


def _check_extent(geometry: BaseGeometry, field: str, max_extent_km: float) -> None:
    [extent] = _extents_km(np.array(geometry.bounds))
    if extent <= max_extent_km:
        return
    if geometry.bounds[2] - geometry.bounds[0] > 180:
        raise InvalidGeometry(field, code="geometry.crosses_antimeridian")
    # The vertex farthest from the middle of all vertices: usually the one that is misplaced.
    coords = shapely.get_coordinates(geometry)
    offsets = coords - np.median(coords, axis=0)
    far = coords[int(np.argmax(np.hypot(offsets[:, 0], offsets[:, 1])))]
    raise InvalidGeometry(
        field,
        code="geometry.too_wide",
        params={
            "km": round(float(extent)),
            "max_km": round(max_extent_km),
            "lon": float(far[0]),
            "lat": float(far[1]),
        },
    )


# GEOS's validity reasons, as the catalogues name them (geometry.reason.<name>).
_REASONS = {
    "Self-intersection": "self_intersection",
    "Ring Self-intersection": "ring_self_intersection",
    "Too few points": "too_few_points",
    "Hole lies outside shell": "hole_outside_shell",
    "Interior is disconnected": "interior_disconnected",
    "Nested shells": "nested_shells",
    "Nested holes": "nested_holes",
    "Self-intersection in ring": "self_intersection",
    "Invalid Coordinate": "invalid_coordinate",
    "Ring is not closed": "ring_not_closed",
}


def _invalid(field: str, reason: str) -> InvalidGeometry:
    """GEOS's validity reason ("Self-intersection[102.1 19.5]") as a message: what is wrong
    and where (a reason GEOS has that is not named here is given as GEOS writes it)."""
    what, _, where = reason.partition("[")
    lon_lat = where.rstrip("]").split()
    named = _REASONS.get(what.strip(), what.strip().lower())
    if len(lon_lat) >= 2:
        return InvalidGeometry(
            field,
            code="geometry.invalid_at",
            params={"reason": named, "lon": float(lon_lat[0]), "lat": float(lon_lat[1])},
            hint=REPAIR_HINT,
        )
    return InvalidGeometry(
        field, code="geometry.invalid", params={"reason": named}, hint=REPAIR_HINT
    )
