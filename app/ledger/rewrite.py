"""Rewriting stored land after a fact is entered or voided: the stored pieces it reaches,
replayed from its date on, and which rows to retire and which pieces to write."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry

from app.geo.tolerance import Tolerance
from app.ledger.boundaries import Boundaries
from app.ledger.facts import LedgerFact
from app.ledger.pieces import Piece, Stint, before, merge_alike
from app.ledger.replay import replay
from app.ledger.settling import NO_TOLERANCE
from app.ledger.states import LedgerKey


@dataclass(frozen=True, slots=True)
class StoredPiece:
    """A piece as read from storage, with the ids of its rows (one row per stint)."""

    ids: tuple[int, ...]
    piece: Piece


@dataclass(frozen=True, slots=True)
class Rewrite:
    """The change to make in storage."""

    removed: list[int]  # ids of stored rows to delete
    written: list[Piece]  # pieces to store


def stored_pieces(
    rows: Iterable[tuple[int, BaseGeometry, float, str | None, Stint]],
) -> list[StoredPiece]:
    """Regroup stored rows (id, geometry, area, region code, stint) into pieces: one
    geometry each."""
    grouped: dict[bytes, tuple[list[int], BaseGeometry, float, str | None, list[Stint]]] = {}
    for row_id, geometry, area_m2, code, stint in rows:
        ids, *_, stints = grouped.setdefault(geometry.wkb, ([], geometry, area_m2, code, []))
        ids.append(row_id)
        stints.append(stint)
    return [
        StoredPiece(tuple(ids), Piece(geometry, tuple(sorted(stints, key=_since)), area_m2, code))
        for ids, geometry, area_m2, code, stints in grouped.values()
    ]


def _since(stint: Stint) -> LedgerKey:
    return stint.since


def replay_stored(
    stored: Sequence[StoredPiece],
    start: LedgerKey,
    facts: Sequence[LedgerFact],
    boundaries: Boundaries | None = None,
    tolerance: Tolerance = NO_TOLERANCE,
) -> Rewrite:
    """Recompute stored land from ``start`` on, after a fact was entered or voided there.

    ``stored`` are whole pieces: every piece the changed fact and ``facts`` reach (and
    those they touch, to merge with); ``facts`` every active fact from ``start`` on that
    reaches them, in ledger order. History before ``start`` stays as stored. Pieces the
    replay gives back as they were are not rewritten.
    """
    land: list[Piece] = []
    removed: list[int] = []
    unchanged: dict[int, StoredPiece] = {}
    for entry in stored:
        if entry.piece.current.since < start:
            # Nothing of its history is from ``start`` on: it goes in as it is, and stays
            # stored as it is unless a fact changes it or it merges with changed land.
            unchanged[id(entry.piece)] = entry
            land.append(entry.piece)
            continue
        removed.extend(entry.ids)
        reopened = before(entry.piece, start)
        if reopened is not None:
            land.append(reopened)
    written: list[Piece] = []
    # Pieces that a fact from ``start`` on had set apart have the same history again once
    # reopened: they go in as one piece, as a replay from scratch would hold them, since
    # what is narrow depends on the whole piece.
    land = merge_alike(land)
    for piece in merge_alike(replay(land, facts, boundaries, tolerance)):
        if unchanged.pop(id(piece), None) is None:
            written.append(piece)
    for entry in unchanged.values():  # changed, or merged into a new piece
        removed.extend(entry.ids)
    return Rewrite(removed, written)
