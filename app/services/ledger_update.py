"""Keeping the stored land state equal to the replay of every active fact."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.geo.polygons import union_all
from app.ledger import region as region_replay
from app.ledger.boundaries import Boundaries
from app.ledger.parcels import Parcel, merge_alike
from app.ledger.region import stored_parcels
from app.ledger.replay import LedgerFact, replay
from app.ledger.states import LedgerKey
from app.storage import ledger_store as store
from app.storage import regions as regions_store


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


def replay_changes(conn: Connection, changes: list[Change], at: datetime) -> None:
    """Recompute the land of many changes at once (an import): two queries for all of them,
    one replay per group of changes whose land meets, one write."""
    if not changes:
        return
    scopes = sorted({s for c in changes for s in c.scopes})
    regions = [c.region for c in changes]
    rows = store.rows_overlapping(conn, scopes, regions)
    # The facts of the changes themselves are in memory: their polygons are not read back.
    own_geometry = {c.start.seq: c.region for c in changes}
    facts = store.facts_overlapping(conn, regions, known_geometry=own_geometry)
    rows_of: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        rows_of[row[0]].append(row)
    facts_of: dict[int, list[LedgerFact]] = defaultdict(list)
    for i, fact in facts:
        facts_of[i].append(fact)
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
        for scope in group_scopes:
            own = [f for f in group_facts if scope == store.ALL or f.contamination == scope]
            stored = stored_parcels(row[2:] for row in group_rows if row[1] == scope)
            rewrite = region_replay.replay_region(stored, region, start, own, boundaries)
            removed.extend(rewrite.removed)
            written.extend((scope, parcel) for parcel in rewrite.written)
    store.replace_parcels(conn, removed, written, at)


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
    facts = store.active_facts(conn)
    written = store.copy_parcels(conn, _replayed(facts, regions_store.boundaries(conn)), at)
    conn.execute(text("ANALYZE land_state"))
    return written


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
