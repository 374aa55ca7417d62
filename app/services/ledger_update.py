"""Keeping the stored land state equal to the replay of every active fact."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from app.geo.tolerance import Tolerance
from app.ledger.boundaries import Boundaries
from app.ledger.facts import LedgerFact
from app.ledger.pieces import Piece, Stint
from app.ledger.replay import replay
from app.ledger.rewrite import Rewrite, StoredPiece, replay_stored, stored_pieces
from app.ledger.scopes import NATIONAL, in_scope, scopes_of
from app.ledger.states import FactEffect, LandState, LedgerKey, changed_flows
from app.services.land_reach import Change, ReplayGroup, connected, gather
from app.services.land_rebuild import replayed_from_scratch, tolerance
from app.services.ordered_threads import in_order
from app.storage import land_state, served_land_aside
from app.storage import regions as regions_store
from app.storage.effects import effects_of_facts
from app.storage.facts import facts_in_boxes


def replay_polygon(
    conn: Connection,
    scopes: tuple[str, ...],
    polygon: BaseGeometry,
    start: LedgerKey,
    at: datetime,
    changed: tuple[int, ...] = (),
) -> None:
    """Recompute the land a fact reaches from ``start`` on, after it was entered or voided
    (its polygon and its key), in each scope the fact takes part in."""
    replay_changes(conn, [Change(polygon, start, scopes, changed)], at)


def replay_changes(conn: Connection, changes: list[Change], at: datetime) -> set[int]:
    """Recompute the land of many changes at once (an import): a few queries for all of
    them, one replay per group of changes whose land meets, one write. Returns the hazards
    whose kept land was worked out again."""
    if not changes:
        return set()
    reach = gather(conn, changes)
    removed: list[int] = []
    written: list[tuple[str, Piece]] = []
    replayed = partial(
        _group_rewrite, boundaries=regions_store.boundaries(conn), epsilon=tolerance()
    )
    for group_removed, group_written in in_order(replayed, reach.groups()):
        removed.extend(group_removed)
        written.extend(group_written)
    return land_state.replace_pieces(conn, removed, written, at)


def _group_rewrite(
    group: ReplayGroup, boundaries: Boundaries | None, epsilon: Tolerance
) -> tuple[list[int], list[tuple[str, Piece]]]:
    """The stored rows to retire and the (scope, piece) pairs to write for one group of
    changes whose land meets, replayed in each scope it takes part in."""
    removed: list[int] = []
    written: list[tuple[str, Piece]] = []
    if not group.rows and len(group.facts) == 1 and group.facts[0].key == group.start:
        # A hazard alone on land never recorded (most of an import): one new piece,
        # the same in every scope it takes part in.
        pieces = replay([], group.facts, boundaries, epsilon)
        return removed, [(scope, p) for scope in group.scopes for p in pieces]
    done: tuple[tuple, list[StoredPiece], Rewrite] | None = None
    for scope in group.scopes:
        own = [f for f in group.facts if in_scope(f.contamination, scope)]
        stored = stored_pieces(row[2:] for row in group.rows if row[1] == scope)
        signature = _signature(own, stored)
        if done is not None and done[0] == signature:
            # The land here is of one contamination type: its scope and the national
            # one hold the same pieces, and replay the same way.
            rewrite = _twin_rewrite(done[2], done[1], stored)
        else:
            rewrite = replay_stored(stored, group.start, own, boundaries, epsilon)
            done = (signature, stored, rewrite)
        removed.extend(rewrite.removed)
        written.extend((scope, piece) for piece in rewrite.written)
    return removed, written


def _signature(facts: list[LedgerFact], stored: list[StoredPiece]) -> tuple:
    """What the replay of a group of changes depends on: its facts and its stored pieces."""
    return (
        tuple(f.key for f in facts),
        frozenset(
            (p.piece.geometry.wkb, p.piece.stints, p.piece.area_m2, p.piece.region_code)
            for p in stored
        ),
    )


def _twin_rewrite(
    rewrite: Rewrite, replayed: list[StoredPiece], twin: list[StoredPiece]
) -> Rewrite:
    """``rewrite`` of ``replayed`` applied to ``twin``, stored pieces of another scope that
    are the same land with the same histories: the same pieces written, its own rows removed."""
    geometry_of_row = {i: p.piece.geometry.wkb for p in replayed for i in p.ids}
    rows_of_geometry = {p.piece.geometry.wkb: p.ids for p in twin}
    gone = {geometry_of_row[i] for i in rewrite.removed}
    return Rewrite([i for wkb in gone for i in rows_of_geometry[wkb]], rewrite.written)


@dataclass(frozen=True)
class NewHazardLand:
    """A hazard just recorded and approved: its fact and the geodesic area of its polygon."""

    fact: LedgerFact
    area_m2: float


# Interiors meet (touching along an edge or at a point is not meeting).
_INTERIORS_MEET = "T********"


def add_hazard_land(
    conn: Connection, hazards: list[NewHazardLand], at: datetime
) -> dict[int, FactEffect]:
    """Put the land of newly recorded hazards into the land state (their rows written already);
    returns what each one changed nationally, by sequence number.

    A hazard whose polygon meets no fact already in the ledger needs no replay: alone, it is
    new land as it stands, cut along the regions (nearly every hazard of a first survey);
    with others of the same batch, their group is replayed on its own, as a rebuild would.
    Hazards meeting recorded facts are replayed with them.
    """
    if not hazards:
        return {}
    geometries = np.empty(len(hazards), dtype=object)
    geometries[:] = [h.fact.geometry for h in hazards]
    first_seq = min(h.fact.key.seq for h in hazards)
    meets_ledger = _meeting_recorded_facts(conn, geometries, first_seq)
    alone: list[NewHazardLand] = []
    groups: list[list[LedgerFact]] = []
    replayed: list[NewHazardLand] = []
    for group in connected(len(hazards), _interiors_meeting(geometries)):
        if meets_ledger[group].any():
            replayed.extend(hazards[i] for i in group)
        elif len(group) == 1:
            alone.append(hazards[group[0]])
        else:
            groups.append(sorted((hazards[i].fact for i in group), key=lambda f: f.key))
    boundaries = regions_store.boundaries(conn)
    epsilon = tolerance()
    written = list(_alone_on_new_land(alone, boundaries, epsilon))
    for facts in groups:
        written.extend(replayed_from_scratch(facts, boundaries, epsilon))
    # Their kept land is drawn on another connection meanwhile (served_land_aside).
    aside = served_land_aside.draw_aside(conn.engine, written)
    land_state.copy_pieces(conn, written, at, served=aside is None)
    refreshed = replay_changes(
        conn,
        [Change(h.fact.geometry, h.fact.key, scopes_of(h.fact.contamination)) for h in replayed],
        at,
    )
    if aside is not None:
        aside.write(conn, refreshed)
    # Land written whole is all there is of its hazards' changes (they meet no recorded fact,
    # and a replay of land they only touch cannot change what they did); the land of
    # replayed hazards is read back.
    effects = _national_effects(written)
    effects.update(effects_of_facts(conn, [h.fact.key.seq for h in replayed]))
    return {h.fact.key.seq: effects.get(h.fact.key.seq, FactEffect({})) for h in hazards}


def _national_effects(written: list[tuple[str, Piece]]) -> dict[int, FactEffect]:
    """What each fact changed in the national scope, from the pieces written for it."""
    transitions: dict[int, list[tuple[LandState | None, LandState, float]]] = defaultdict(list)
    absorbed: dict[int, float] = defaultdict(float)
    for scope, piece in written:
        if scope == NATIONAL:
            for stint in piece.stints:
                transitions[stint.since.seq].append((stint.previous, stint.state, piece.area_m2))
                absorbed[stint.since.seq] += stint.absorbed_m2
    return {
        seq: FactEffect(changed_flows(found), absorbed[seq]) for seq, found in transitions.items()
    }


def _alone_on_new_land(
    hazards: list[NewHazardLand], boundaries: Boundaries | None, epsilon: Tolerance
) -> Iterator[tuple[str, Piece]]:
    """Hazards alone on land never recorded: each one new piece, in every scope it is in."""
    pieces = [
        Piece(
            h.fact.geometry,
            (Stint(LandState(h.fact.kind.value), None, h.fact.hazard_id, h.fact.key),),
            h.area_m2,
        )
        for h in hazards
    ]
    if boundaries is not None:
        pieces = boundaries.cut_all(pieces, epsilon)
    contamination = {h.fact.hazard_id: h.fact.contamination for h in hazards}
    for piece in pieces:
        for scope in scopes_of(contamination[piece.current.hazard_id]):
            yield scope, piece


def _meeting_recorded_facts(
    conn: Connection, geometries: np.ndarray, before_seq: int
) -> np.ndarray:
    """Which of ``geometries`` meet (inside) a fact recorded before ``before_seq``."""
    meets = np.zeros(len(geometries), dtype=bool)
    found = facts_in_boxes(conn, shapely.bounds(geometries), before_seq)
    if found:
        indexes = np.array([i for i, _ in found])
        recorded = np.empty(len(found), dtype=object)
        recorded[:] = [fact.geometry for _, fact in found]
        overlapping = shapely.relate_pattern(geometries[indexes], recorded, _INTERIORS_MEET)
        meets[indexes[overlapping]] = True
    return meets


def _interiors_meeting(geometries: np.ndarray) -> list[tuple[int, int]]:
    """Pairs of indexes of ``geometries`` whose interiors meet."""
    left, right = shapely.STRtree(geometries).query(geometries)
    pairs = left < right
    left, right = left[pairs], right[pairs]
    overlapping = shapely.relate_pattern(geometries[left], geometries[right], _INTERIORS_MEET)
    return list(zip(left[overlapping].tolist(), right[overlapping].tolist(), strict=True))
