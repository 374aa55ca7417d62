"""Pieces of land and their histories.

Land is kept as *pieces*: a polygon whose points have all had the same history, told as
*stints* (a state, the hazard that owns the land in it, the fact that started it and the fact
that ended it). Every figure is a sum of piece areas selected by stint keys, and pieces never
overlap, so every sum counts land once.

A piece's area is fixed when its land is first recorded (the geodesic area of the new land).
When a piece is cut in two, its area is shared between the parts in proportion to their
geodesic areas: land is neither made nor lost by cutting, so figures of dates before a cut do
not move, and a transition measures the same land leaving one state and entering the next.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from shapely.geometry.base import BaseGeometry

from app.geo.area import geodesic_area_m2, geodesic_areas
from app.geo.polygons import difference, intersection, polygonal_part, union_all
from app.ledger.states import LandState, LedgerKey


@dataclass(frozen=True, slots=True)
class Stint:
    """One state of a piece, from the fact that put it there until the fact that changed it."""

    state: LandState
    previous: LandState | None
    hazard_id: int
    since: LedgerKey
    until: LedgerKey | None = None
    # Of the piece's area, how much its fact took in beyond its own polygon under the
    # positional tolerance. An amount, not part of the history: pieces whose histories are
    # the same merge whatever their shares of it.
    absorbed_m2: float = field(default=0.0, compare=False)

    def alive_on(self, day: date) -> bool:
        """Whether the piece was in this state once every fact dated ``day`` or earlier had
        happened (the SQL form: app.storage.conditions.alive)."""
        return self.since.on <= day and (self.until is None or self.until.on > day)


@dataclass(frozen=True, slots=True)
class Piece:
    """Land with one history: its stints in time order, the last one open while it lasts."""

    geometry: BaseGeometry
    stints: tuple[Stint, ...]
    area_m2: float
    region_code: str | None = None  # the administrative region it lies in (None: none)

    @property
    def current(self) -> Stint:
        return self.stints[-1]

    @classmethod
    def new(cls, geometry: BaseGeometry, stint: Stint) -> Piece:
        return cls(geometry, (stint,), geodesic_area_m2(geometry))

    def in_region(self, code: str) -> Piece:
        return replace(self, region_code=code)


def split(piece: Piece, cutter: BaseGeometry) -> tuple[Piece | None, Piece | None]:
    """The parts of ``piece`` inside and outside ``cutter`` (None where there is no land)."""
    inside = polygonal_part(intersection(piece.geometry, cutter))
    if inside is None:
        return None, piece
    outside = polygonal_part(difference(piece.geometry, cutter))
    if outside is None:
        return piece, None
    return divided(piece, inside, outside)


def divided(piece: Piece, first: BaseGeometry, second: BaseGeometry) -> tuple[Piece, Piece]:
    """``piece`` as two pieces of land that together make it up, its area shared out.

    The first part gets its own geodesic area, the second the rest: one area to compute
    instead of two, and the piece's area is conserved either way. Absorbed amounts are
    shared in the same proportion.
    """
    share = min(geodesic_area_m2(first), piece.area_m2)
    fraction = share / piece.area_m2 if piece.area_m2 else 0.0
    first_stints, second_stints = _shared_stints(piece.stints, fraction)
    return (
        replace(piece, geometry=first, area_m2=share, stints=first_stints),
        replace(piece, geometry=second, area_m2=piece.area_m2 - share, stints=second_stints),
    )


def shared_out(piece: Piece, parts: list[tuple[BaseGeometry, str | None]]) -> list[Piece]:
    """``piece`` as the given parts of its land (geometry, region code), which together
    make it up: its area (and absorbed amounts) shared in proportion to geodesic area, the
    last part taking what is left so that the total is the piece's exactly."""
    areas = geodesic_areas([geometry for geometry, _ in parts])
    total = float(areas.sum())
    fractions = (areas / total if total else np.full(len(parts), 1 / len(parts))).tolist()
    result: list[Piece] = []
    rest = piece
    for (geometry, code), fraction in zip(parts[:-1], fractions, strict=False):
        share = min(piece.area_m2 * fraction, rest.area_m2)
        ratio = share / rest.area_m2 if rest.area_m2 else 0.0
        taken, kept = _shared_stints(rest.stints, ratio)
        result.append(Piece(geometry, taken, share, code))
        rest = replace(rest, area_m2=rest.area_m2 - share, stints=kept)
    geometry, code = parts[-1]
    result.append(Piece(geometry, rest.stints, rest.area_m2, code))
    return result


def _shared_stints(
    stints: tuple[Stint, ...], fraction: float
) -> tuple[tuple[Stint, ...], tuple[Stint, ...]]:
    if not any(s.absorbed_m2 for s in stints):
        return stints, stints
    first = tuple(replace(s, absorbed_m2=s.absorbed_m2 * fraction) for s in stints)
    second = tuple(
        replace(s, absorbed_m2=s.absorbed_m2 - f.absorbed_m2)
        for s, f in zip(stints, first, strict=True)
    )
    return first, second


def merge_alike(pieces: Iterable[Piece]) -> list[Piece]:
    """Merge pieces that have had exactly the same history, in the same region.

    Land is then kept as the fewest pieces that tell its history, whatever order the facts
    came in, and a voided fact leaves no seam behind.
    """
    groups: dict[tuple[tuple[Stint, ...], str | None], list[Piece]] = {}
    for piece in pieces:
        groups.setdefault((piece.stints, piece.region_code), []).append(piece)
    merged: list[Piece] = []
    for members in groups.values():
        if len(members) == 1:
            merged.append(members[0])
        else:
            geometry = union_all([m.geometry for m in members])
            area = sum(m.area_m2 for m in members)
            stints = tuple(
                replace(stint, absorbed_m2=sum(m.stints[i].absorbed_m2 for m in members))
                for i, stint in enumerate(members[0].stints)
            )
            merged.append(replace(members[0], geometry=geometry, area_m2=area, stints=stints))
    return merged


def before(piece: Piece, start: LedgerKey) -> Piece | None:
    """The piece as it stood just before ``start``: later stints dropped, the last reopened.

    None when its land was first recorded at ``start`` or later.
    """
    kept = [s for s in piece.stints if s.since < start]
    if not kept:
        return None
    kept[-1] = replace(kept[-1], until=None)
    return replace(piece, stints=tuple(kept))
