"""Keeping the stored land state equal to the replay of every active fact."""

from __future__ import annotations

from collections import defaultdict

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.ledger import region as region_replay
from app.ledger.parcels import merge_alike
from app.ledger.region import stored_parcels
from app.ledger.replay import LedgerFact, replay
from app.ledger.states import Contamination, LedgerKey
from app.storage import ledger_store as store


def replay_region(
    conn: Connection, scopes: tuple[str, ...], region: BaseGeometry, start: LedgerKey
) -> None:
    """Recompute the land inside ``region`` from ``start`` on, after a fact entered or voided
    there (its polygon and its key), in each model the fact takes part in."""
    for scope in scopes:
        stored = stored_parcels(store.rows_overlapping(conn, scope, region))
        facts = store.active_facts(conn, scope, region, start)
        rewrite = region_replay.replay_region(stored, region, start, facts)
        store.replace_parcels(conn, scope, rewrite.removed, rewrite.written)


def rebuild_all(conn: Connection) -> int:
    """Replay the whole ledger from scratch (after a bulk load); returns the rows written."""
    conn.execute(text("TRUNCATE land_state"))
    written = 0
    for scope in (store.ALL, *(c.value for c in Contamination)):
        facts = store.active_facts(conn, scope)
        for group in _overlapping_groups(facts):
            written += store.copy_parcels(conn, scope, merge_alike(replay([], group)))
    conn.execute(text("ANALYZE land_state"))
    return written


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
