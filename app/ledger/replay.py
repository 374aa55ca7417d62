"""Replaying facts over land: the engine behind every figure.

Land is kept as *parcels*: a polygon whose points have had exactly the same history, told as
*stints* (a state, the hazard that owns the land in it, the fact that started it and the fact
that ended it). Every figure is then a sum of parcel areas selected by stint keys: contaminated
land as of a date, flows over a period, per hazard. Parcels never overlap, so every sum counts
land once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from app.geo.polygons import polygonal_part
from app.ledger.states import (
    EventKind,
    HazardClass,
    LandState,
    LedgerKey,
    changeable_states,
    next_state,
)


@dataclass(frozen=True, slots=True)
class LedgerFact:
    """A fact as the replay sees it: a hazard record or a land-release event."""

    key: LedgerKey
    hazard_id: int
    kind: EventKind | HazardClass
    geometry: BaseGeometry


@dataclass(frozen=True, slots=True)
class Stint:
    """One state of a parcel of land, from the fact that put it there until the next change."""

    state: LandState
    previous: LandState | None
    hazard_id: int
    since: LedgerKey
    until: LedgerKey | None = None


@dataclass(frozen=True, slots=True)
class Parcel:
    """Land that has had one history: its stints in time order, the last one still open."""

    geometry: BaseGeometry
    stints: tuple[Stint, ...]

    @property
    def current(self) -> Stint:
        return self.stints[-1]


@dataclass(frozen=True, slots=True)
class Piece:
    """A stored row: one stint of one parcel, with the parcel's geometry."""

    geometry: BaseGeometry
    stint: Stint


def replay(facts: Sequence[LedgerFact], region: BaseGeometry | None = None) -> list[Parcel]:
    """Apply ``facts`` (in ledger order) to unrecorded land and return the parcels they make.

    Only land inside ``region`` is replayed (None: everywhere). When a fact changes part of a
    parcel, the parcel is split and *both parts keep the whole history*: every stint of a parcel
    has the very same geometry, so a transition's area measured when land leaves a state equals
    its area measured when it enters the next one, and the balance holds to the last digit.
    """
    parcels: list[Parcel] = []
    for fact in facts:
        footprint = (
            fact.geometry
            if region is None
            else polygonal_part(shapely.intersection(fact.geometry, region))
        )
        if footprint is not None:
            parcels = _apply(fact, footprint, parcels)
    return parcels


def _apply(fact: LedgerFact, footprint: BaseGeometry, parcels: list[Parcel]) -> list[Parcel]:
    """Apply one fact to the parcels; returns the parcels after it."""
    changeable = changeable_states(fact.kind)
    touched = _touching(parcels, footprint)
    shapely.prepare(footprint)
    after: list[Parcel] = []
    covered: list[BaseGeometry] = []
    for parcel, touches in zip(parcels, touched, strict=True):
        if not touches:
            after.append(parcel)
            continue
        covered.append(parcel.geometry)
        current = parcel.current
        if current.state not in changeable:
            after.append(parcel)
            continue
        inside = polygonal_part(shapely.intersection(parcel.geometry, footprint))
        if inside is None:
            after.append(parcel)
            continue
        new_state = next_state(fact.kind, current.state)
        assert new_state is not None  # guaranteed by changeable_states
        changed = (
            *parcel.stints[:-1],
            replace(current, until=fact.key),
            Stint(new_state, current.state, fact.hazard_id, fact.key),
        )
        after.append(Parcel(inside, changed))
        outside = polygonal_part(shapely.difference(parcel.geometry, footprint))
        if outside is not None:
            after.append(Parcel(outside, parcel.stints))
    if None in changeable:
        # A hazard record also reaches land that was never recorded before.
        fresh = (
            footprint
            if not covered
            else polygonal_part(shapely.difference(footprint, shapely.union_all(covered)))
        )
        if fresh is not None:
            stint = Stint(LandState(fact.kind.value), None, fact.hazard_id, fact.key)
            after.append(Parcel(fresh, (stint,)))
    return after


def _touching(parcels: list[Parcel], footprint: BaseGeometry) -> np.ndarray:
    if not parcels:
        return np.zeros(0, dtype=bool)
    geometries = np.fromiter((p.geometry for p in parcels), dtype=object, count=len(parcels))
    return shapely.intersects(geometries, footprint)


def pieces_of(parcels: Iterable[Parcel]) -> list[Piece]:
    return [Piece(parcel.geometry, stint) for parcel in parcels for stint in parcel.stints]


@dataclass(frozen=True, slots=True)
class CutOut:
    """Stored pieces with a region cut out of them, to be replayed on its own."""

    removed: list[int]  # ids of stored pieces that overlap the region
    kept: list[Piece]  # their parts outside the region, history unchanged


def cut_out(stored: Iterable[tuple[int, Piece]], region: BaseGeometry) -> CutOut:
    """Cut ``region`` out of the stored pieces (of every time) that overlap it.

    Pieces of one parcel share one geometry, so each geometry is cut once and its parts stay
    identical across the parcel's stints.
    """
    shapely.prepare(region)
    result = CutOut([], [])
    outside_of: dict[bytes, BaseGeometry | None] = {}
    for piece_id, piece in stored:
        wkb = piece.geometry.wkb
        if wkb not in outside_of:
            inside = polygonal_part(shapely.intersection(piece.geometry, region))
            outside_of[wkb] = (
                piece.geometry
                if inside is None
                else polygonal_part(shapely.difference(piece.geometry, region))
            )
        outside = outside_of[wkb]
        if outside is piece.geometry:
            continue  # touches the region without sharing any land: left as it is
        result.removed.append(piece_id)
        if outside is not None:
            result.kept.append(replace(piece, geometry=outside))
    return result
