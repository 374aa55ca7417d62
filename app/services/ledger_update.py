"""Keeping the stored land state equal to the replay of every active fact."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.geo.polygons import union_all
from app.ledger import region as region_replay
from app.ledger.boundaries import Boundaries
from app.ledger.parcels import Parcel, Stint, merge_alike
from app.ledger.region import Rewrite, StoredParcel, stored_parcels
from app.ledger.replay import LedgerFact, replay
from app.ledger.states import LandState, LedgerKey, changed_flows
from app.services.cycles import collecting_every, collector_paused
from app.storage import ledger_store as store
from app.storage import regions as regions_store
from app.storage.records import effects_of_facts


@dataclass(frozen=True)
class Change:
    """A fact entered, voided or approved: its polygon, its key and the models it is in."""

    region: BaseGeometry
    start: LedgerKey
    scopes: tuple[str, ...]


def replay_region(
    conn: Connection,
    scopes: tuple[str, ...],
    region: BaseGeometry,
    start: LedgerKey,
    at: datetime,
) -> None:
    """Recompute the land inside ``region`` from ``start`` on, after a fact entered or voided
    there (its polygon and its key), in each model the fact takes part in."""
    replay_changes(conn, [Change(region, start, scopes)], at)


def replay_changes(
    conn: Connection,
    changes: list[Change],
    at: datetime,
    facts_known: list[list[LedgerFact]] | None = None,
) -> None:
    """Recompute the land of many changes at once (an import): two queries for all of them,
    one replay per group of changes whose land meets, one write.

    ``facts_known`` (when the caller has them already): for each change, every active fact
    whose polygon may meet its region; facts whose polygons do not are left alone by the
    replay.
    """
    if not changes:
        return
    scopes = sorted({s for c in changes for s in c.scopes})
    regions = [c.region for c in changes]
    rows = store.rows_overlapping(conn, scopes, regions)
    rows_of: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        rows_of[row[0]].append(row)
    facts_of: dict[int, list[LedgerFact]] = defaultdict(list)
    if facts_known is None:
        # The facts of the changes themselves are in memory: their polygons are not read back.
        own_geometry = {c.start.seq: c.region for c in changes}
        for i, fact in store.facts_overlapping(conn, regions, known_geometry=own_geometry):
            facts_of[i].append(fact)
    else:
        facts_of.update(enumerate(facts_known))
    boundaries = regions_store.boundaries(conn)
    removed: list[int] = []
    written: list[tuple[str, Parcel]] = []
    for members in _groups(changes, rows):
        region = (
            union_all([changes[i].region for i in members])
            if len(members) > 1
            else (changes[members[0]].region)
        )
        start = min(changes[i].start for i in members)
        group_rows = {row[2]: row for i in members for row in rows_of[i]}.values()
        group_facts = sorted(
            {f.key: f for i in members for f in facts_of[i] if f.key >= start}.values(),
            key=lambda f: f.key,
        )
        group_scopes = sorted({s for i in members for s in changes[i].scopes})
        if not group_rows and len(group_facts) == 1 and group_facts[0].key == start:
            # A hazard alone on land never recorded (most of an import): one new parcel,
            # the same in every model it takes part in.
            parcels = replay([], group_facts, region, boundaries)
            written.extend((scope, p) for scope in group_scopes for p in parcels)
            continue
        done: tuple[tuple, list[StoredParcel], Rewrite] | None = None
        for scope in group_scopes:
            own = [f for f in group_facts if scope == store.ALL or f.contamination == scope]
            stored = stored_parcels(row[2:] for row in group_rows if row[1] == scope)
            signature = _signature(own, stored)
            if done is not None and done[0] == signature:
                # The land here is of one contamination type: its model and the national
                # one hold the same parcels, and replay the same way.
                rewrite = _twin_rewrite(done[2], done[1], stored)
            else:
                rewrite = region_replay.replay_region(stored, region, start, own, boundaries)
                done = (signature, stored, rewrite)
            removed.extend(rewrite.removed)
            written.extend((scope, parcel) for parcel in rewrite.written)
    store.replace_parcels(conn, removed, written, at)


def _signature(facts: list[LedgerFact], stored: list[StoredParcel]) -> tuple:
    """What a replay of a region depends on: its facts and its stored parcels."""
    return (
        tuple(f.key for f in facts),
        frozenset(
            (p.parcel.geometry.wkb, p.parcel.stints, p.parcel.area_m2, p.parcel.region_code)
            for p in stored
        ),
    )


def _twin_rewrite(
    rewrite: Rewrite, replayed: list[StoredParcel], twin: list[StoredParcel]
) -> Rewrite:
    """``rewrite`` of ``replayed`` applied to ``twin``, stored parcels of another model that
    are the same land with the same histories: the same parcels written, its own rows removed."""
    geometry_of_row = {i: p.parcel.geometry.wkb for p in replayed for i in p.ids}
    rows_of_geometry = {p.parcel.geometry.wkb: p.ids for p in twin}
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
) -> dict[int, dict[str, float]]:
    """Put the land of newly recorded hazards into the land state (their rows written already);
    returns what each one changed nationally, in m² per flow (non-zero only), by sequence number.

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
    meets_ledger, near = _meeting_recorded_facts(conn, geometries, first_seq)
    alone: list[NewHazardLand] = []
    groups: list[list[LedgerFact]] = []
    replayed: list[NewHazardLand] = []
    # For each replayed hazard, the facts its replay needs: those recorded before that are
    # near it, and the hazards of its own group in this batch (itself included).
    facts_known: list[list[LedgerFact]] = []
    for group in _connected(len(hazards), _interiors_meeting(geometries)):
        if meets_ledger[group].any():
            replayed.extend(hazards[i] for i in group)
            own = [hazards[j].fact for j in group]
            facts_known.extend(near[i] + own for i in group)
        elif len(group) == 1:
            alone.append(hazards[group[0]])
        else:
            groups.append(sorted((hazards[i].fact for i in group), key=lambda f: f.key))
    boundaries = regions_store.boundaries(conn)
    written = list(_alone_on_new_land(alone, boundaries))
    for facts in groups:
        written.extend(_replayed(facts, boundaries))
    store.copy_parcels(conn, written, at)
    replay_changes(
        conn,
        [
            Change(h.fact.geometry, h.fact.key, store.scopes_of(h.fact.contamination))
            for h in replayed
        ],
        at,
        facts_known,
    )
    # Land written whole is all there is of its hazards' changes (they meet no recorded fact,
    # and a replay of land they only touch cannot change what they did); the land of
    # replayed hazards is read back.
    effects = _national_effects(written)
    effects.update(effects_of_facts(conn, [h.fact.key.seq for h in replayed]))
    return {h.fact.key.seq: effects.get(h.fact.key.seq, {}) for h in hazards}


def _national_effects(written: list[tuple[str, Parcel]]) -> dict[int, dict[str, float]]:
    """What each fact changed in the national model, from the parcels written for it."""
    transitions: dict[int, list[tuple[LandState | None, LandState, float]]] = defaultdict(list)
    for scope, parcel in written:
        if scope == store.ALL:
            for stint in parcel.stints:
                transitions[stint.since.seq].append((stint.previous, stint.state, parcel.area_m2))
    return {seq: changed_flows(found) for seq, found in transitions.items()}


def _alone_on_new_land(
    hazards: list[NewHazardLand], boundaries: Boundaries | None
) -> Iterator[tuple[str, Parcel]]:
    """Hazards alone on land never recorded: each one new parcel, in every model it is in."""
    parcels = [
        Parcel(
            h.fact.geometry,
            (Stint(LandState(h.fact.kind.value), None, h.fact.hazard_id, h.fact.key),),
            h.area_m2,
        )
        for h in hazards
    ]
    if boundaries is not None:
        parcels = boundaries.cut_all(parcels)
    contamination = {h.fact.hazard_id: h.fact.contamination for h in hazards}
    for parcel in parcels:
        for scope in store.scopes_of(contamination[parcel.current.hazard_id]):
            yield scope, parcel


def _meeting_recorded_facts(
    conn: Connection, geometries: np.ndarray, before_seq: int
) -> tuple[np.ndarray, list[list[LedgerFact]]]:
    """Which of ``geometries`` meet (inside) a fact recorded before ``before_seq``, and for
    each, the facts recorded before whose boxes meet its box."""
    meets = np.zeros(len(geometries), dtype=bool)
    near: list[list[LedgerFact]] = [[] for _ in range(len(geometries))]
    found = store.facts_in_boxes(conn, shapely.bounds(geometries), before_seq)
    if found:
        indexes = np.array([i for i, _ in found])
        recorded = np.empty(len(found), dtype=object)
        recorded[:] = [fact.geometry for _, fact in found]
        overlapping = shapely.relate_pattern(geometries[indexes], recorded, _INTERIORS_MEET)
        meets[indexes[overlapping]] = True
        for i, fact in found:
            near[i].append(fact)
    return meets, near


def _interiors_meeting(geometries: np.ndarray) -> list[tuple[int, int]]:
    """Pairs of indexes of ``geometries`` whose interiors meet."""
    left, right = shapely.STRtree(geometries).query(geometries)
    pairs = left < right
    left, right = left[pairs], right[pairs]
    overlapping = shapely.relate_pattern(geometries[left], geometries[right], _INTERIORS_MEET)
    return list(zip(left[overlapping].tolist(), right[overlapping].tolist(), strict=True))


def _groups(changes: list[Change], rows: list[tuple]) -> list[list[int]]:
    """Changes whose regions overlap, or that reach one stored parcel, are replayed together."""
    links = _overlaps([c.region for c in changes])
    first_change_of_row: dict[int, int] = {}
    for change, _, row_id, *_ in rows:
        links.append((first_change_of_row.setdefault(row_id, change), change))
    return _connected(len(changes), links)


def _overlaps(geometries: list[BaseGeometry]) -> list[tuple[int, int]]:
    """Pairs of indexes of geometries that meet."""
    if not geometries:
        return []
    left, right = shapely.STRtree(geometries).query(geometries, predicate="intersects")
    return list(zip(left.tolist(), right.tolist(), strict=True))


def _connected(count: int, links: list[tuple[int, int]]) -> list[list[int]]:
    """Indexes 0..count-1 grouped by the links between them (each group in index order)."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(count):
        groups[root(i)].append(i)
    return list(groups.values())


def rebuild_all(conn: Connection, at: datetime) -> int:
    """Replay the whole ledger from scratch (after a bulk load); returns the rows written.

    Earlier versions of the land state are dropped: figures as known before ``at`` are lost.
    """
    conn.execute(text("TRUNCATE land_state"))
    with collector_paused():
        facts = store.active_facts(conn)
        parcels = _replayed(facts, regions_store.boundaries(conn))
        written = store.copy_parcels(conn, collecting_every(parcels, 50_000), at)
    conn.execute(text("ANALYZE land_state"))
    return written


def recut_all(conn: Connection) -> int:
    """Every version of the land state cut along the regions now loaded; returns the rows
    written. Each piece keeps its row's state, dates and the time the database came to know
    it: figures as of any date and as known at any past moment stay what they were, now
    split by the new regions."""
    boundaries = regions_store.boundaries(conn)
    conn.execute(
        text("CREATE TEMP TABLE land_before_recut ON COMMIT DROP AS SELECT * FROM land_state")
    )
    conn.execute(text("TRUNCATE land_state"))
    written, after = 0, 0
    with collector_paused():
        while rows := store.land_rows(conn, "land_before_recut", after, _RECUT_CHUNK):
            parcels = [Parcel(shapely.from_wkb(row["geom"]), (), row["area_m2"]) for row in rows]
            pieces = (
                boundaries.cut_each(parcels) if boundaries is not None else list(enumerate(parcels))
            )
            written += store.copy_recut_rows(conn, [(rows[i], piece) for i, piece in pieces])
            after = rows[-1]["id"]
    conn.execute(text("DROP TABLE land_before_recut"))
    conn.execute(text("ANALYZE land_state"))
    return written


_RECUT_CHUNK = 20_000


def _replayed(
    facts: list[LedgerFact], boundaries: Boundaries | None
) -> Iterator[tuple[str, Parcel]]:
    """Parcels of the national model and of each contamination type's model."""
    for group in _overlapping_groups(facts):
        parcels = merge_alike(replay([], group, boundaries=boundaries))
        yield from ((store.ALL, p) for p in parcels)
        types = {f.contamination for f in group}
        if len(types) == 1:  # facts of one type only: its model is the national one here
            yield from ((group[0].contamination, p) for p in parcels)
            continue
        for contamination in types:
            own = [f for f in group if f.contamination == contamination]
            for subgroup in _overlapping_groups(own):
                parcels = merge_alike(replay([], subgroup, boundaries=boundaries))
                yield from ((contamination, p) for p in parcels)


def _overlapping_groups(facts: list[LedgerFact]) -> list[list[LedgerFact]]:
    """Split facts into groups whose land never meets, each in ledger order: groups replay apart."""
    links = _overlaps([f.geometry for f in facts])
    return [[facts[i] for i in group] for group in _connected(len(facts), links)]
