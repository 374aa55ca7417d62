"""Administrative boundaries that new land is cut along.

Each parcel lies in one region of the finest level loaded, or outside all of them, so
figures per region are plain sums of parcel areas and add up to the national figure exactly:
land crossing a boundary is split by its geometry, never assigned by its centroid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from app.geo.polygons import union_all
from app.geo.tolerance import Tolerance
from app.ledger.parcels import Parcel, shared_out, split

_NO_TOLERANCE = Tolerance(0.0)


@dataclass(frozen=True)
class Boundaries:
    """Non-overlapping regions (code, polygon) of one level."""

    codes: Sequence[str]
    geometries: Sequence[BaseGeometry]
    _tree: shapely.STRtree = field(init=False, repr=False, compare=False)
    _array: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        array = np.empty(len(self.geometries), dtype=object)
        array[:] = list(self.geometries)
        shapely.prepare(array)
        object.__setattr__(self, "_array", array)
        object.__setattr__(self, "_tree", shapely.STRtree(array))

    def cut_all(
        self, parcels: Sequence[Parcel], tolerance: Tolerance = _NO_TOLERANCE
    ) -> list[Parcel]:
        """``cut`` of every parcel, in order."""
        return [piece for _, piece in self.cut_each(parcels, tolerance)]

    def cut_each(
        self, parcels: Sequence[Parcel], tolerance: Tolerance = _NO_TOLERANCE
    ) -> list[tuple[int, Parcel]]:
        """``cut`` of every parcel, in order, each piece with the index of its parcel: those
        lying inside one region (nearly all) are found with one query of the tree and one
        vectorised test, the rest are cut."""
        geometries = np.empty(len(parcels), dtype=object)
        geometries[:] = [p.geometry for p in parcels]
        parcel_of, region_of = self._tree.query(geometries)
        covered = shapely.covers(self._array[region_of], geometries[parcel_of])
        # Regions do not overlap, so at most one region covers a parcel with area.
        home = np.full(len(parcels), -1)
        home[parcel_of[covered]] = region_of[covered]
        pieces: list[tuple[int, Parcel]] = []
        for i, (parcel, region) in enumerate(zip(parcels, home.tolist(), strict=True)):
            if region >= 0:
                pieces.append((i, parcel.in_region(self.codes[region])))
            else:
                pieces.extend((i, piece) for piece in self.cut(parcel, tolerance))
        return pieces

    def cut(self, parcel: Parcel, tolerance: Tolerance = _NO_TOLERANCE) -> list[Parcel]:
        """``parcel`` split into one parcel per region it reaches (areas conserved), with no
        part narrower than ``tolerance`` cut off on its own: such a part (a hazard's edge
        drawn a few millimetres over a boundary) stays with the region of the land it
        touches."""
        # Regions whose boxes meet the parcel's, tested with the prepared region: a predicate
        # in the tree's query would prepare the small parcel and walk the long boundary.
        candidates = sorted(self._tree.query(parcel.geometry).tolist())
        pieces: list[Parcel] = []
        rest: Parcel | None = parcel
        inside: Parcel | None
        for i in candidates:
            if rest is None:
                break
            region = self.geometries[i]
            if region.covers(rest.geometry):
                inside, rest = rest, None
            elif region.intersects(rest.geometry):
                # Clipping a detailed boundary to the land first keeps the overlay small.
                local = shapely.clip_by_rect(region, *_padded_bounds(rest.geometry))
                inside, rest = split(rest, local)
            else:
                continue
            if inside is not None:
                pieces.append(inside.in_region(self.codes[i]))
        if rest is not None:
            pieces.append(rest)  # outside every region (abroad, or a gap between regions)
        if tolerance and len(pieces) > 1:
            return _without_narrow_parts(parcel, pieces, tolerance)
        return pieces


def _without_narrow_parts(
    parcel: Parcel, pieces: list[Parcel], tolerance: Tolerance
) -> list[Parcel]:
    """``pieces`` of ``parcel`` (one per region) with each narrow part moved to the region
    of the largest piece it touches."""
    codes: list[str | None] = []
    geometries: list[BaseGeometry] = []
    for piece in pieces:
        for part in shapely.get_parts(piece.geometry):
            codes.append(piece.region_code)
            geometries.append(part)
    parts = np.empty(len(geometries), dtype=object)
    parts[:] = geometries
    narrow = tolerance.narrow(parts)
    wide = np.flatnonzero(~narrow)
    area_of = {piece.region_code: piece.area_m2 for piece in pieces}
    moved = False
    for i in np.flatnonzero(narrow):
        touching = wide[tolerance.near(parts[wide], parts[i])]
        home = max((codes[j] for j in touching), key=lambda c: area_of[c], default=codes[i])
        moved |= home != codes[i]
        codes[i] = home
    if not moved:
        return pieces
    grouped: dict[str | None, list[BaseGeometry]] = {}
    for code, part in zip(codes, geometries, strict=True):
        grouped.setdefault(code, []).append(part)
    return shared_out(parcel, [(union_all(g), code) for code, g in grouped.items()])


def _padded_bounds(geometry: BaseGeometry) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = geometry.bounds
    pad = 1e-6  # degrees: keeps edges on the bounding box out of the clip's own cut
    return (minx - pad, miny - pad, maxx + pad, maxy + pad)
