"""Curved geometries (circular arcs, as ArcGIS and GeoPackages keep buffers and rounded
boundaries) turned into straight segments: GEOS, and so Shapely, reads no curves.

Reads ISO WKB (as GDAL gives it) and EWKB. Each arc is cut into segments of at most
``MAX_STEP_DEGREES`` of its sweep, whatever the CRS: the area of a circle stroked so is
within 0.01 % of the circle's.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from typing import cast

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

# Reads the next ``count`` points of the geometry whose header was read, as an (n, 2) array.
_PointReader = Callable[[int], np.ndarray]

MAX_STEP_DEGREES = 1.0

_POINT, _LINE, _POLYGON = 1, 2, 3
_MULTI_POINT, _MULTI_LINE, _MULTI_POLYGON, _COLLECTION = 4, 5, 6, 7
_CIRCULAR, _COMPOUND, _CURVE_POLYGON, _MULTI_CURVE, _MULTI_SURFACE = 8, 9, 10, 11, 12
_CURVES = (_LINE, _CIRCULAR, _COMPOUND)


def linearized(wkb: bytes) -> BaseGeometry:
    """The geometry of ``wkb`` in 2D with its arcs as straight segments. Raises ValueError
    for what is not a simple feature or curve (a TIN, a polyhedral surface)."""
    return _Reader(wkb).geometry()


class _Reader:
    def __init__(self, wkb: bytes) -> None:
        self.data = wkb
        self.at = 0

    def geometry(self) -> BaseGeometry:
        kind, read = self._header()
        if kind == _POINT:
            return _one(shapely.points(read(1)[0]))
        if kind in _CURVES:
            return _one(shapely.linestrings(self._curve(kind, read)))
        if kind in (_POLYGON, _CURVE_POLYGON):
            return self._polygon(kind, read)
        if kind in (_MULTI_POINT, _MULTI_LINE, _MULTI_POLYGON, _MULTI_CURVE, _MULTI_SURFACE):
            parts = [self.geometry() for _ in range(self._count())]
            if kind in (_MULTI_POLYGON, _MULTI_SURFACE):
                return _one(shapely.multipolygons(parts))
            if kind in (_MULTI_LINE, _MULTI_CURVE):
                return _one(shapely.multilinestrings(parts))
            return _one(shapely.multipoints(parts))
        if kind == _COLLECTION:
            return shapely.geometrycollections([self.geometry() for _ in range(self._count())])
        raise ValueError(f"WKB geometry type {kind} is not a simple feature or curve")

    def _header(self) -> tuple[int, _PointReader]:
        order = "<" if self.data[self.at] == 1 else ">"
        (code,) = struct.unpack_from(order + "I", self.data, self.at + 1)
        self.at += 5
        self.order = order
        dimensions = 2
        if code & 0xE0000000:  # EWKB: flags for Z, M and an SRID
            dimensions += bool(code & 0x80000000) + bool(code & 0x40000000)
            if code & 0x20000000:
                self.at += 4
            code &= 0x0FFFFFFF
        else:
            dimensions += {0: 0, 1: 1, 2: 1, 3: 2}[code // 1000]
            code %= 1000

        def read(count: int) -> np.ndarray:
            values = np.frombuffer(
                self.data, dtype=order + "f8", count=count * dimensions, offset=self.at
            )
            self.at += 8 * count * dimensions
            return values.reshape(count, dimensions)[:, :2]

        return code, read

    def _count(self) -> int:
        (count,) = struct.unpack_from(self.order + "I", self.data, self.at)
        self.at += 4
        return int(count)

    def _curve(self, kind: int, read: _PointReader) -> np.ndarray:
        if kind == _LINE:
            return read(self._count())
        if kind == _CIRCULAR:
            return _stroked(read(self._count()))
        pieces: list[np.ndarray] = []  # a compound curve: lines and arcs end to end
        for _ in range(self._count()):
            part, part_read = self._header()
            if part not in (_LINE, _CIRCULAR):
                raise ValueError(f"WKB geometry type {part} inside a compound curve")
            points = self._curve(part, part_read)
            pieces.append(points if not pieces else points[1:])
        return np.concatenate(pieces) if pieces else np.empty((0, 2))

    def _polygon(self, kind: int, read: _PointReader) -> BaseGeometry:
        rings = []
        for _ in range(self._count()):
            if kind == _POLYGON:
                rings.append(read(self._count()))
            else:
                ring_kind, ring_read = self._header()
                if ring_kind not in _CURVES:
                    raise ValueError(f"WKB geometry type {ring_kind} as a ring")
                rings.append(self._curve(ring_kind, ring_read))
        if not rings:
            return shapely.Polygon()
        return shapely.Polygon(rings[0], rings[1:])


def _one(made: BaseGeometry | np.ndarray) -> BaseGeometry:
    # Given the coordinates or parts of one geometry, Shapely's constructors make one geometry;
    # the stubs cannot tell that from an array argument.
    return cast(BaseGeometry, made)


def _stroked(points: np.ndarray) -> np.ndarray:
    """A circular string (arcs through every three points, end to end) as straight
    segments."""
    if len(points) < 3:
        return points
    stroked = [points[:1]]
    for i in range(0, len(points) - 2, 2):
        stroked.append(_arc(points[i], points[i + 1], points[i + 2])[1:])
    return np.concatenate(stroked)


def _arc(start: np.ndarray, middle: np.ndarray, end: np.ndarray) -> np.ndarray:
    (ax, ay), (bx, by), (cx, cy) = start, middle, end
    if ax == cx and ay == cy:  # a full circle: the middle point is opposite the start
        ux, uy = (ax + bx) / 2, (ay + by) / 2
        begin = math.atan2(ay - uy, ax - ux)
        return _swept(start, end, ux, uy, begin, 2 * math.pi)
    determinant = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by))
    scale = max(abs(ax - cx), abs(ay - cy), abs(bx - ax), abs(by - ay), 1e-300)
    if abs(determinant) <= 1e-12 * scale * scale:  # the three points are on a line
        return np.array([start, middle, end])
    a2, b2, c2 = ax * ax + ay * ay, bx * bx + by * by, cx * cx + cy * cy
    ux = (a2 * (by - cy) + b2 * (cy - ay) + c2 * (ay - by)) / determinant
    uy = (a2 * (cx - bx) + b2 * (ax - cx) + c2 * (bx - ax)) / determinant
    begin = math.atan2(ay - uy, ax - ux)
    # Counter-clockwise when the middle point lies on the way from start to end that way.
    ccw_to_end = (math.atan2(cy - uy, cx - ux) - begin) % (2 * math.pi)
    ccw_to_middle = (math.atan2(by - uy, bx - ux) - begin) % (2 * math.pi)
    sweep = ccw_to_end if ccw_to_middle < ccw_to_end else ccw_to_end - 2 * math.pi
    return _swept(start, end, ux, uy, begin, sweep)


def _swept(
    start: np.ndarray, end: np.ndarray, ux: float, uy: float, begin: float, sweep: float
) -> np.ndarray:
    radius = math.hypot(start[0] - ux, start[1] - uy)
    steps = max(2, math.ceil(abs(math.degrees(sweep)) / MAX_STEP_DEGREES))
    angles = begin + sweep * np.arange(steps + 1) / steps
    arc = np.column_stack([ux + radius * np.cos(angles), uy + radius * np.sin(angles)])
    arc[0], arc[-1] = start, end  # exactly the written ends, so pieces join
    return arc
