"""Administrative boundaries that new land is cut along.

Each piece lies in one region of the finest level loaded, or outside all of them, so
figures per region are plain sums of piece areas and add up to the national figure exactly:
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
from app.ledger.pieces import Piece, shared_out, split

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

    def cut_all(self, pieces: Sequence[Piece], tolerance: Tolerance = _NO_TOLERANCE) -> list[Piece]:
        """``cut`` of every piece, in order."""
        return [cut for _, cut in self.cut_each(pieces, tolerance)]

    def cut_each(
        self, pieces: Sequence[Piece], tolerance: Tolerance = _NO_TOLERANCE
    ) -> list[tuple[int, Piece]]:
        """``cut`` of every piece, in order, each cut with the index of its piece: those
        lying inside one region (nearly all) are found with one query of the tree and one
        vectorised test, the rest are cut."""
        geometries = np.empty(len(pieces), dtype=object)
        geometries[:] = [p.geometry for p in pieces]
        piece_of, region_of = self._tree.query(geometries)
        covered = shapely.covers(self._array[region_of], geometries[piece_of])
        # Regions do not overlap, so at most one region covers a piece with area.
        home = np.full(len(pieces), -1)
        home[piece_of[covered]] = region_of[covered]
        cuts: list[tuple[int, Piece]] = []
        for i, (piece, region) in enumerate(zip(pieces, home.tolist(), strict=True)):
            if region >= 0:
                cuts.append((i, piece.in_region(self.codes[region])))
            else:
                cuts.extend((i, cut) for cut in self.cut(piece, tolerance))
        return cuts

    def cut(self, piece: Piece, tolerance: Tolerance = _NO_TOLERANCE) -> list[Piece]:
        """``piece`` split into one piece per region it reaches (areas conserved), with no
        part narrower than ``tolerance`` cut off on its own: such a part (a hazard's edge
        drawn a few millimetres over a boundary) stays with the region of the land it
        touches."""
        # Regions whose boxes meet the piece's, tested with the prepared region: a predicate
        # in the tree's query would prepare the small piece and walk the long boundary.
        candidates = sorted(self._tree.query(piece.geometry).tolist())
        cuts: list[Piece] = []
        rest: Piece | None = piece
        for i in candidates:
            if rest is None:
                break
            region = self.geometries[i]
            inside: Piece | None
            if region.covers(rest.geometry):
                inside, rest = rest, None
            elif region.intersects(rest.geometry):
                # Clipping a detailed boundary to the land first keeps the overlay small.
                local = shapely.clip_by_rect(region, *_padded_bounds(rest.geometry))
                inside, rest = split(rest, local)
            else:
                continue
            if inside is not None:
                cuts.append(inside.in_region(self.codes[i]))
        if rest is not None:
            cuts.append(rest)  # outside every region (abroad, or a gap between regions)
        if tolerance and len(cuts) > 1:
            return _without_narrow_parts(piece, cuts, tolerance)
        return cuts


def _without_narrow_parts(piece: Piece, cuts: list[Piece], tolerance: Tolerance) -> list[Piece]:
    """``cuts`` of ``piece`` (one per region) with each narrow part moved to the region
    of the largest cut it touches."""
    codes: list[str | None] = []
    geometries: list[BaseGeometry] = []
    for cut in cuts:
        for part in shapely.get_parts(cut.geometry):
            codes.append(cut.region_code)
            geometries.append(part)
    parts = np.empty(len(geometries), dtype=object)
    parts[:] = geometries
    narrow = tolerance.narrow(parts)
    wide = np.flatnonzero(~narrow)
    area_of = {cut.region_code: cut.area_m2 for cut in cuts}
    moved = False
    for i in np.flatnonzero(narrow):
        touching = wide[tolerance.near(parts[wide], parts[i])]
        home = max((codes[j] for j in touching), key=lambda c: area_of[c], default=codes[i])
        moved |= home != codes[i]
        codes[i] = home
    if not moved:
        return cuts
    grouped: dict[str | None, list[BaseGeometry]] = {}
    for code, part in zip(codes, geometries, strict=True):
        grouped.setdefault(code, []).append(part)
    return shared_out(piece, [(union_all(g), code) for code, g in grouped.items()])


def _padded_bounds(geometry: BaseGeometry) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = geometry.bounds
    pad = 1e-6  # degrees: keeps edges on the bounding box out of the clip's own cut
    return (minx - pad, miny - pad, maxx + pad, maxy + pad)
