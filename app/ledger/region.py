"""Replaying one region of stored land after a fact is entered or voided there."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry

from app.geo.tolerance import Tolerance
from app.ledger.boundaries import Boundaries
from app.ledger.facts import LedgerFact
from app.ledger.parcels import Parcel, Stint, before, merge_alike
from app.ledger.replay import replay
from app.ledger.settling import NO_TOLERANCE
from app.ledger.states import LedgerKey


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


def _since(stint: Stint) -> LedgerKey:
    return stint.since


def replay_region(
    stored: Sequence[StoredParcel],
    start: LedgerKey,
    facts: Sequence[LedgerFact],
    boundaries: Boundaries | None = None,
    tolerance: Tolerance = NO_TOLERANCE,
) -> Rewrite:
    """Recompute stored land from ``start`` on, after a fact was entered or voided there.

    ``stored`` are whole parcels: every parcel the changed fact and ``facts`` reach (and
    those they touch, to merge with); ``facts`` every active fact from ``start`` on that
    reaches them, in ledger order. History before ``start`` stays as stored. Parcels the
    replay gives back as they were are not rewritten.
    """
    land: list[Parcel] = []
    removed: list[int] = []
    unchanged: dict[int, StoredParcel] = {}
    for entry in stored:
        if entry.parcel.current.since < start:
            # Nothing of its history is from ``start`` on: it goes in as it is, and stays
            # stored as it is unless a fact changes it or it merges with changed land.
            unchanged[id(entry.parcel)] = entry
            land.append(entry.parcel)
            continue
        removed.extend(entry.ids)
        reopened = before(entry.parcel, start)
        if reopened is not None:
            land.append(reopened)
    written: list[Parcel] = []
    for parcel in merge_alike(replay(land, facts, boundaries, tolerance)):
        if unchanged.pop(id(parcel), None) is None:
            written.append(parcel)
    for entry in unchanged.values():  # changed, or merged into a new parcel
        removed.extend(entry.ids)
    return Rewrite(removed, written)
