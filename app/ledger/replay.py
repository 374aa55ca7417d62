"""Replaying facts over land: how each fact changes the pieces it reaches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from app.geo.polygons import difference, polygonal_part, union_all
from app.geo.tolerance import Tolerance
from app.ledger.boundaries import Boundaries
from app.ledger.facts import LedgerFact
from app.ledger.pieces import Piece, Stint
from app.ledger.settling import NO_TOLERANCE, settled_fresh, settled_split
from app.ledger.states import (
    LandState,
    changeable_states,
    next_state,
)


def replay(
    pieces: Sequence[Piece],
    facts: Sequence[LedgerFact],
    boundaries: Boundaries | None = None,
    tolerance: Tolerance = NO_TOLERANCE,
) -> list[Piece]:
    """Apply ``facts`` in ledger order to ``pieces`` (the land as it stood before them).

    ``pieces`` must hold every piece of land the facts reach, whole. When a fact changes
    part of a piece, the piece is cut and both parts keep its whole history, so all stints
    of a piece describe the same land; no part narrower than ``tolerance`` is cut off
    (app.ledger.settling). Land recorded for the first time is cut along ``boundaries``
    (administrative regions), if given. Pieces no fact changes are returned as they came.
    """
    current = _Land(list(pieces))
    for fact in facts:
        current = _apply(fact, current, boundaries, tolerance)
    return current.pieces


class _Land:
    """Pieces with their bounding boxes: a fact is tested against the few pieces whose box
    meets its own, not against all of them (a cluster of touching surveys can hold
    thousands of pieces)."""

    def __init__(self, pieces: list[Piece], bounds: np.ndarray | None = None) -> None:
        self.pieces = pieces
        if bounds is None:
            geometries = [p.geometry for p in pieces]
            bounds = shapely.bounds(geometries) if pieces else np.zeros((0, 4))
        self.bounds = bounds

    def touching(self, footprint: BaseGeometry) -> np.ndarray:
        """Which pieces overlap or touch ``footprint``."""
        touches = np.zeros(len(self.pieces), dtype=bool)
        if not self.pieces:
            return touches
        x0, y0, x1, y1 = footprint.bounds
        b = self.bounds
        near = np.flatnonzero((b[:, 0] <= x1) & (b[:, 2] >= x0) & (b[:, 1] <= y1) & (b[:, 3] >= y0))
        if len(near):
            candidates = [self.pieces[i].geometry for i in near]
            touches[near] = shapely.intersects(candidates, footprint)
        return touches


def _apply(
    fact: LedgerFact,
    land: _Land,
    boundaries: Boundaries | None,
    tolerance: Tolerance,
) -> _Land:
    footprint = fact.geometry
    changeable = changeable_states(fact.kind)
    touched = np.flatnonzero(land.touching(footprint))
    if not len(touched) and None not in changeable:
        return land  # nothing it can change
    shapely.prepare(footprint)
    # The pieces in their order, each touched one replaced by its parts where it was.
    pieces: list[Piece] = []
    bounds: list[np.ndarray] = []
    covered: list[BaseGeometry] = []
    start = 0
    for i in touched.tolist():
        pieces.extend(land.pieces[start:i])
        bounds.append(land.bounds[start:i])
        start = int(i) + 1
        piece = land.pieces[i]
        covered.append(piece.geometry)
        if piece.current.state not in changeable:
            pieces.append(piece)
            bounds.append(land.bounds[i : i + 1])
            continue
        parts = _cut(fact, piece, tolerance)
        pieces.extend(parts)
        bounds.append(_bounds(parts))
    pieces.extend(land.pieces[start:])
    bounds.append(land.bounds[start:])
    if None in changeable:
        # A hazard record also reaches land that was never recorded before.
        recorded = union_all(covered) if covered else None
        fresh = footprint if recorded is None else polygonal_part(difference(footprint, recorded))
        if fresh is not None:
            fresh = settled_fresh(fresh, recorded, tolerance)
        if fresh is not None:
            state = LandState(fact.kind.value)
            piece = Piece.new(fresh, Stint(state, None, fact.hazard_id, fact.key))
            new = [piece] if boundaries is None else boundaries.cut(piece, tolerance)
            pieces.extend(new)
            bounds.append(_bounds(new))
    return _Land(pieces, np.concatenate(bounds))


def _cut(fact: LedgerFact, piece: Piece, tolerance: Tolerance) -> list[Piece]:
    """A piece the fact can change: the part it leaves, and the part it changes in the
    fact's new state (with the area it took in beyond its polygon)."""
    current = piece.current
    inside, outside, absorbed_m2 = settled_split(piece, fact.geometry, tolerance)
    pieces = [] if outside is None else [outside]
    if inside is not None:
        new_state = next_state(fact.kind, current.state)
        assert new_state is not None  # guaranteed by changeable_states
        ended = replace(inside.current, until=fact.key)
        started = Stint(new_state, current.state, fact.hazard_id, fact.key, None, absorbed_m2)
        pieces.append(replace(inside, stints=(*inside.stints[:-1], ended, started)))
    return pieces


def _bounds(pieces: list[Piece]) -> np.ndarray:
    return shapely.bounds([p.geometry for p in pieces]) if pieces else np.zeros((0, 4))
