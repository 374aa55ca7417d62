"""Parcels of land and their histories.

Land is kept as *parcels*: a polygon whose points have all had the same history, told as
*stints* (a state, the hazard that owns the land in it, the fact that started it and the fact
that ended it). Every figure is a sum of parcel areas selected by stint keys, and parcels never
overlap, so every sum counts land once.

A parcel's area is fixed when its land is first recorded (the geodesic area of the new land).
When a parcel is cut in two, its area is shared between the parts in proportion to their
geodesic areas: land is neither made nor lost by cutting, so figures of dates before a cut do
not move, and a transition measures the same land leaving one state and entering the next.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from shapely.geometry.base import BaseGeometry

from app.geo.area import geodesic_area_m2
from app.geo.polygons import difference, intersection, polygonal_part, union_all
from app.ledger.states import LandState, LedgerKey


@dataclass(frozen=True, slots=True)
class Stint:
    """One state of a parcel, from the fact that put it there until the fact that changed it."""

    state: LandState
    previous: LandState | None
    hazard_id: int
    since: LedgerKey
    until: LedgerKey | None = None


@dataclass(frozen=True, slots=True)
class Parcel:
    """Land with one history: its stints in time order, the last one open while it lasts."""

    geometry: BaseGeometry
    stints: tuple[Stint, ...]
    area_m2: float
    region_code: str | None = None  # the administrative region it lies in (None: none)

    @property
    def current(self) -> Stint:
        return self.stints[-1]

    @classmethod
    def new(cls, geometry: BaseGeometry, stint: Stint) -> Parcel:
        return cls(geometry, (stint,), geodesic_area_m2(geometry))

    def in_region(self, code: str) -> Parcel:
        return replace(self, region_code=code)


def split(parcel: Parcel, cutter: BaseGeometry) -> tuple[Parcel | None, Parcel | None]:
    """The parts of ``parcel`` inside and outside ``cutter`` (None where there is no land)."""
    inside = polygonal_part(intersection(parcel.geometry, cutter))
    if inside is None:
        return None, parcel
    outside = polygonal_part(difference(parcel.geometry, cutter))
    if outside is None:
        return parcel, None
    # The inside part gets its own geodesic area, the outside part the rest: one area to
    # compute instead of two, and the parcel's area is conserved either way.
    share = min(geodesic_area_m2(inside), parcel.area_m2)
    return (
        replace(parcel, geometry=inside, area_m2=share),
        replace(parcel, geometry=outside, area_m2=parcel.area_m2 - share),
    )


def merge_alike(parcels: Iterable[Parcel]) -> list[Parcel]:
    """Merge parcels that have had exactly the same history, in the same region.

    Land is then kept as the fewest parcels that tell its history, whatever order the facts
    came in, and a voided fact leaves no seam behind.
    """
    groups: dict[tuple[tuple[Stint, ...], str | None], list[Parcel]] = {}
    for parcel in parcels:
        groups.setdefault((parcel.stints, parcel.region_code), []).append(parcel)
    merged: list[Parcel] = []
    for members in groups.values():
        if len(members) == 1:
            merged.append(members[0])
        else:
            geometry = union_all([m.geometry for m in members])
            area = sum(m.area_m2 for m in members)
            merged.append(replace(members[0], geometry=geometry, area_m2=area))
    return merged


def before(parcel: Parcel, start: LedgerKey) -> Parcel | None:
    """The parcel as it stood just before ``start``: later stints dropped, the last reopened.

    None when its land was first recorded at ``start`` or later.
    """
    kept = [s for s in parcel.stints if s.since < start]
    if not kept:
        return None
    kept[-1] = replace(kept[-1], until=None)
    return replace(parcel, stints=tuple(kept))
