"""Keeping the stored land state equal to the replay of every active fact."""

from __future__ import annotations

from collections import defaultdict

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.ledger.replay import (
    LedgerFact,
    merge_alike,
    pieces_of,
    replay,
    rewrite_region,
    stored_parcels,
)
from app.ledger.states import Contamination
from app.storage import ledger_store as store


def replay_region(conn: Connection, scopes: tuple[str, ...], region: BaseGeometry) -> None:
    """Recompute the whole history of the land inside ``region``.

    A fact entered or voided can only change land inside its own polygon: that land is cut out
    of the stored parcels and replayed from every active fact that reaches it; land outside
    keeps its history.
    """
    for scope in scopes:
        stored = stored_parcels(store.pieces_overlapping(conn, scope, region))
        replayed = replay(store.active_facts(conn, scope, region), region)
        rewrite = rewrite_region(stored, region, replayed)
        store.replace_pieces(conn, scope, rewrite.removed, pieces_of(rewrite.written))


def rebuild_all(conn: Connection) -> int:
    """Replay the whole ledger from scratch (after a bulk load); returns the pieces written."""
    conn.execute(text("TRUNCATE land_state"))
    written = 0
    for scope in (store.ALL, *(c.value for c in Contamination)):
        facts = store.active_facts(conn, scope)
        for group in _overlapping_groups(facts):
            written += store.copy_pieces(conn, scope, pieces_of(merge_alike(replay(group))))
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
