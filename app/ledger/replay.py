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

from app.geo.polygons import difference, intersection, polygonal_part, union_all
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
            else polygonal_part(intersection(fact.geometry, region))
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
        inside = polygonal_part(intersection(parcel.geometry, footprint))
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
        outside = polygonal_part(difference(parcel.geometry, footprint))
        if outside is not None:
            after.append(Parcel(outside, parcel.stints))
    if None in changeable:
        # A hazard record also reaches land that was never recorded before.
        fresh = (
            footprint
            if not covered
            else polygonal_part(difference(footprint, union_all(covered)))
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


def merge_alike(parcels: Iterable[Parcel]) -> list[Parcel]:
    """Merge parcels that have had exactly the same history into one.

    Land is then kept as the fewest parcels that tell its history, whatever order the facts
    came in, and voiding a fact leaves no seam where it was.
    """
    groups: dict[tuple[Stint, ...], list[Parcel]] = {}
    for parcel in parcels:
        groups.setdefault(parcel.stints, []).append(parcel)
    merged: list[Parcel] = []
    for stints, members in groups.items():
        if len(members) == 1:
            merged.append(members[0])
            continue
        merged.append(Parcel(union_all([m.geometry for m in members]), stints))
    return merged


@dataclass(frozen=True, slots=True)
class StoredParcel:
    """A parcel read back from storage with the ids of its rows (one per stint)."""

    ids: tuple[int, ...]
    parcel: Parcel


def stored_parcels(rows: Iterable[tuple[int, Piece]]) -> list[StoredParcel]:
    """Regroup stored rows into parcels: the stints of one parcel share one geometry."""
    grouped: dict[bytes, tuple[list[int], BaseGeometry, list[Stint]]] = {}
    for row_id, piece in rows:
        ids, _, stints = grouped.setdefault(piece.geometry.wkb, ([], piece.geometry, []))
        ids.append(row_id)
        stints.append(piece.stint)
    return [
        StoredParcel(tuple(ids), Parcel(geometry, tuple(sorted(stints, key=lambda s: s.since))))
        for ids, geometry, stints in grouped.values()
    ]


@dataclass(frozen=True, slots=True)
class Rewrite:
    """What to change in storage after replaying a region."""

    removed: list[int]  # ids of stored rows to delete
    written: list[Parcel]  # parcels to store


def rewrite_region(
    stored: Iterable[StoredParcel], region: BaseGeometry, replayed: list[Parcel]
) -> Rewrite:
    """Put the ``replayed`` parcels of ``region`` in place of the stored land inside it.

    ``stored`` are the parcels that overlap or touch the region. Their land outside the region
    keeps its history; parcels that only touch it are rewritten only when they merge with a
    parcel of the same history.
    """
    shapely.prepare(region)
    removed: list[int] = []
    candidates: list[Parcel] = list(replayed)
    neighbours: dict[int, StoredParcel] = {}
    for entry in stored:
        parcel = entry.parcel
        inside = polygonal_part(intersection(parcel.geometry, region))
        if inside is None:
            neighbours[id(parcel)] = entry
            candidates.append(parcel)
            continue
        removed.extend(entry.ids)
        outside = polygonal_part(difference(parcel.geometry, region))
        if outside is not None:
            candidates.append(Parcel(outside, parcel.stints))
    written: list[Parcel] = []
    for parcel in merge_alike(candidates):
        if id(parcel) in neighbours:
            del neighbours[id(parcel)]  # unchanged: stays as stored
        else:
            written.append(parcel)
    for entry in neighbours.values():  # merged into a new parcel
        removed.extend(entry.ids)
    return Rewrite(removed, written)
