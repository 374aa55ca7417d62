"""Bounding boxes as OGC API - Features reads them: four numbers (minx, miny, maxx, maxy), or
six with heights (minx, miny, minz, maxx, maxy, maxz; the heights are dropped), every one a
finite number. In longitude/latitude a box whose west edge lies east of its east edge runs
east across the antimeridian: it is two boxes, one on each side.

The one reading of a bbox for every interface: the API's ``bbox``, the OGC API's ``bbox``
(with ``bbox-crs``) and the BBOX of CQL2 filters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shapely.geometry import MultiPolygon, Polygon, box

from app.errors import InvalidInput

Box = tuple[float, float, float, float]  # min x, min y, max x, max y: west, south, east, north


class InvalidBBox(InvalidInput):
    """A bbox that is not one, said without the name its interface gives it."""

    def __init__(self, code: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(code=code, params=params, field="bbox")


@dataclass(frozen=True)
class BBox:
    """A bbox as given: its corners in the axis order of its CRS."""

    minx: float
    miny: float
    maxx: float
    maxy: float

    @classmethod
    def of(cls, numbers: Sequence[float]) -> BBox:
        """The bbox of four numbers, or of six with heights."""
        if len(numbers) not in (4, 6):
            raise InvalidBBox("bbox.count", {"count": len(numbers)})
        if not all(math.isfinite(n) for n in numbers):
            raise InvalidBBox("bbox.not_finite")
        half = len(numbers) // 2
        return cls(numbers[0], numbers[1], numbers[half], numbers[half + 1])

    def swapped(self) -> BBox:
        """The bbox with its axes swapped: x/y order from latitude-first order."""
        return BBox(self.miny, self.minx, self.maxy, self.maxx)

    def boxes(self, geographic: bool = True) -> list[Box]:
        """The rectangles the bbox covers: one, or in longitude/latitude (``geographic``)
        two when it crosses the antimeridian."""
        if self.miny > self.maxy:
            raise InvalidBBox("bbox.lower_above_upper")
        if self.minx <= self.maxx:
            return [(self.minx, self.miny, self.maxx, self.maxy)]
        if not geographic:
            raise InvalidBBox("bbox.lower_right_of_upper")
        if not (-180 <= self.maxx < self.minx <= 180):
            raise InvalidBBox("bbox.crossing_out_of_range")
        return [(self.minx, self.miny, 180.0, self.maxy), (-180.0, self.miny, self.maxx, self.maxy)]

    def geometry(self, geographic: bool = True) -> Polygon | MultiPolygon:
        """The rectangles of ``boxes`` as one geometry."""
        rectangles = [box(*b) for b in self.boxes(geographic)]
        return rectangles[0] if len(rectangles) == 1 else MultiPolygon(rectangles)


def parse_bbox(text: str) -> BBox:
    """The bbox written as comma-separated numbers."""
    try:
        numbers = [float(value) for value in text.split(",")]
    except ValueError:
        raise InvalidBBox("bbox.not_numbers", {"text": text}) from None
    return BBox.of(numbers)
