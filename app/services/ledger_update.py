"""Keeping the stored land state equal to the replay of every active fact."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.ledger import region as region_replay
from app.ledger.parcels import Parcel, merge_alike
from app.ledger.region import stored_parcels
from app.ledger.replay import LedgerFact, replay
from app.ledger.states import LedgerKey
from app.storage import ledger_store as store


def replay_region(
    conn: Connection,
    scopes: tuple[str, ...],
    region: BaseGeometry,
    start: LedgerKey,
    at: datetime,
) -> None:
    """Recompute the land inside ``region`` from ``start`` on, after a fact entered or voided
    there (its polygon and its key), in each model the fact takes part in."""
    stored = store.rows_overlapping(conn, scopes, region)
    facts = store.active_facts(conn, store.ALL, region, start)
    removed: list[int] = []
    written: list[tuple[str, Parcel]] = []
    for scope in scopes:
        own = facts if scope == store.ALL else [f for f in facts if f.contamination == scope]
        rewrite = region_replay.replay_region(stored_parcels(stored[scope]), region, start, own)
        removed.extend(rewrite.removed)
        written.extend((scope, parcel) for parcel in rewrite.written)
    store.replace_parcels(conn, removed, written, at)


def rebuild_all(conn: Connection, at: datetime) -> int:
    """Replay the whole ledger from scratch (after a bulk load); returns the rows written.

    Earlier versions of the land state are dropped: figures as known before ``at`` are lost.
    """
    conn.execute(text("TRUNCATE land_state"))
    facts = store.active_facts(conn, store.ALL)
    written = store.copy_parcels(conn, _replayed(facts), at)
    conn.execute(text("ANALYZE land_state"))
    return written


def _replayed(facts: list[LedgerFact]) -> Iterator[tuple[str, Parcel]]:
    """Parcels of the national model and of each contamination type's model."""
    for group in _overlapping_groups(facts):
        parcels = merge_alike(replay([], group))
        yield from ((store.ALL, p) for p in parcels)
        types = {f.contamination for f in group}
        if len(types) == 1:  # facts of one type only: its model is the national one here
            yield from ((group[0].contamination, p) for p in parcels)
            continue
        for contamination in types:
            own = [f for f in group if f.contamination == contamination]
            for subgroup in _overlapping_groups(own):
                yield from ((contamination, p) for p in merge_alike(replay([], subgroup)))


def _overlapping_groups(facts: list[LedgerFact]) -> list[list[LedgerFact]]:
    """Split facts into groups whose land never meets, each in ledger order: groups replay apart."""
    if not facts:
        return []
    geometries = [f.geometry for f in facts]
    pairs = shapely.STRtree(geometries).query(geometries, predicate="intersects")
    parent = list(range(len(facts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in zip(*pairs, strict=True):
        ra, rb = root(int(a)), root(int(b))
        if ra != rb:
            parent[ra] = rb
    groups: dict[int, list[LedgerFact]] = defaultdict(list)
    for index, fact in enumerate(facts):  # facts come in ledger order, and so stay
        groups[root(index)].append(fact)
    return list(groups.values())
