"""Replaying facts over land: how each fact changes the parcels it reaches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from app.geo.polygons import difference, intersection, polygonal_part, union_all
from app.ledger.boundaries import Boundaries
from app.ledger.parcels import Parcel, Stint, split
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
    contamination: str  # of its hazard: the filtered model it takes part in


def replay(
    parcels: Sequence[Parcel],
    facts: Sequence[LedgerFact],
    region: BaseGeometry | None = None,
    boundaries: Boundaries | None = None,
) -> list[Parcel]:
    """Apply ``facts`` in ledger order to ``parcels`` (the land as it stood before them).

    Only land inside ``region`` is replayed (None: everywhere); ``parcels`` must lie in it.
    When a fact changes part of a parcel, the parcel is cut and both parts keep its whole
    history, so all stints of a parcel describe the same land. Land recorded for the first
    time is cut along ``boundaries`` (administrative regions), if given.
    """
    current = list(parcels)
    if region is not None:
        shapely.prepare(region)
    for fact in facts:
        if region is None or fact.geometry is region or region.covers(fact.geometry):
            footprint = fact.geometry  # wholly inside the region: nothing to cut
        else:
            footprint = polygonal_part(intersection(fact.geometry, region))
        if footprint is not None:
            current = _apply(fact, footprint, current, boundaries)
    return current


def _apply(
    fact: LedgerFact,
    footprint: BaseGeometry,
    parcels: list[Parcel],
    boundaries: Boundaries | None,
) -> list[Parcel]:
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
        inside, outside = split(parcel, footprint)
        if outside is not None:
            after.append(outside)
        if inside is not None:
            new_state = next_state(fact.kind, current.state)
            assert new_state is not None  # guaranteed by changeable_states
            ended = replace(current, until=fact.key)
            started = Stint(new_state, current.state, fact.hazard_id, fact.key)
            stints = (*inside.stints[:-1], ended, started)
            after.append(replace(inside, stints=stints))
    if None in changeable:
        # A hazard record also reaches land that was never recorded before.
        fresh = (
            footprint if not covered else polygonal_part(difference(footprint, union_all(covered)))
        )
        if fresh is not None:
            state = LandState(fact.kind.value)
            parcel = Parcel.new(fresh, Stint(state, None, fact.hazard_id, fact.key))
            after.extend([parcel] if boundaries is None else boundaries.cut(parcel))
    return after


def _touching(parcels: list[Parcel], footprint: BaseGeometry) -> np.ndarray:
    if not parcels:
        return np.zeros(0, dtype=bool)
    geometries = np.fromiter((p.geometry for p in parcels), dtype=object, count=len(parcels))
    return shapely.intersects(geometries, footprint)
