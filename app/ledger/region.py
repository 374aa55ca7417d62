"""Replaying one region of stored land after a fact is entered or voided there."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry

from app.ledger.boundaries import Boundaries
from app.ledger.parcels import Parcel, Stint, before, merge_alike, split
from app.ledger.replay import LedgerFact, replay
from app.ledger.states import LedgerKey, changeable_states


@dataclass(frozen=True, slots=True)
class StoredParcel:
    """A parcel as read from storage, with the ids of its rows (one row per stint)."""

    ids: tuple[int, ...]
    parcel: Parcel


@dataclass(frozen=True, slots=True)
class Rewrite:
    """The change to make in storage."""

    removed: list[int]  # ids of stored rows to delete
    written: list[Parcel]  # parcels to store


def stored_parcels(
    rows: Iterable[tuple[int, BaseGeometry, float, str | None, Stint]],
) -> list[StoredParcel]:
    """Regroup stored rows (id, geometry, area, region code, stint) into parcels: one
    geometry each."""
    grouped: dict[bytes, tuple[list[int], BaseGeometry, float, str | None, list[Stint]]] = {}
    for row_id, geometry, area_m2, code, stint in rows:
        ids, *_, stints = grouped.setdefault(geometry.wkb, ([], geometry, area_m2, code, []))
        ids.append(row_id)
        stints.append(stint)
    return [
        StoredParcel(tuple(ids), Parcel(geometry, tuple(sorted(stints, key=_since)), area_m2, code))
        for ids, geometry, area_m2, code, stints in grouped.values()
    ]


def _unaffected(parcel: Parcel, start: LedgerKey, facts: Sequence[LedgerFact]) -> bool:
    """Nothing of the parcel's history is from ``start`` on, and no fact can change its
    state: the replay leaves it as it is."""
    state = parcel.current.state
    return parcel.current.since < start and all(
        state not in changeable_states(f.kind) for f in facts
    )


def _since(stint: Stint) -> LedgerKey:
    return stint.since


def replay_region(
    stored: Sequence[StoredParcel],
    region: BaseGeometry,
    start: LedgerKey,
    facts: Sequence[LedgerFact],
    boundaries: Boundaries | None = None,
) -> Rewrite:
    """Recompute the land inside ``region`` from ``start`` on.

    ``stored`` are the parcels that overlap or touch the region; ``facts`` the active facts
    that reach it from ``start`` on, in ledger order. A fact changes nothing outside its own
    polygon and before its own key: land outside the region and history before ``start``
    stay as stored. Parcels that only touch the region are rewritten only when they merge
    with a replayed parcel of the same history.
    """
    shapely.prepare(region)
    removed: list[int] = []
    kept: list[Parcel] = []
    as_before: list[Parcel] = []
    neighbours: dict[int, StoredParcel] = {}
    for entry in stored:
        if _unaffected(entry.parcel, start, facts):
            # Land no fact here can change (SHA under a new SHA record, cleared land under a
            # clearance): kept whole, as land already recorded for the facts to meet, with no
            # cut into inside and outside parts that would only merge back.
            neighbours[id(entry.parcel)] = entry
            as_before.append(entry.parcel)
            continue
        inside, outside = split(entry.parcel, region)
        if inside is None:
            neighbours[id(entry.parcel)] = entry
            kept.append(entry.parcel)
            continue
        removed.extend(entry.ids)
        if outside is not None:
            kept.append(outside)
        reopened = before(inside, start)
        if reopened is not None:
            as_before.append(reopened)
    written: list[Parcel] = []
    for parcel in merge_alike([*kept, *replay(as_before, facts, region, boundaries)]):
        if neighbours.pop(id(parcel), None) is None:
            written.append(parcel)
    for entry in neighbours.values():  # merged into a new parcel
        removed.extend(entry.ids)
    return Rewrite(removed, written)
