"""The land state as a whole: replayed from scratch, re-cut along new regions, and kept
under the rule it was computed with.

The land state is derived from the facts by the replay, under one positional tolerance. A
write first makes sure the stored land follows the tolerance the service is configured with
(``begin_write``): a database whose land was computed under another one (or before there was
any) is replayed whole once, keeping every earlier version of the land state, so figures as
known at any past moment stay exactly what they were.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from functools import partial

import shapely
from sqlalchemy import Connection

from app.geo.tolerance import Tolerance
from app.ledger.boundaries import Boundaries
from app.ledger.facts import LedgerFact
from app.ledger.pieces import Piece, merge_alike
from app.ledger.replay import replay
from app.ledger.scopes import NATIONAL
from app.services.cycles import collecting_every, collector_paused
from app.services.land_reach import connected
from app.services.ordered_threads import in_order
from app.settings import ledger_settings
from app.storage import audit, land_state, ledger_rule
from app.storage import regions as regions_store
from app.storage.facts import active_facts


def tolerance() -> Tolerance:
    """The positional tolerance the land state is kept with (``LEDGER_TOLERANCE_M``)."""
    return Tolerance(ledger_settings().tolerance_m)


def begin_write(conn: Connection) -> datetime:
    """Take the ledger's write lock and return the ledger time of this transaction, with the
    stored land computed under the configured tolerance."""
    at = ledger_rule.lock_ledger(conn)
    wanted = tolerance().metres
    if ledger_rule.land_rule(conn) != wanted:
        if land_state.holds_land(conn):
            rebuild_all(conn, at, keep_history=True)
        ledger_rule.record_land_rule(conn, wanted, at)
    return at


def rebuild_under_current_rule(conn: Connection) -> int:
    """Replay the whole ledger from scratch under the configured tolerance (after a bulk
    load): earlier versions of the land state are dropped. Returns the rows written."""
    at = ledger_rule.lock_ledger(conn)
    written = rebuild_all(conn, at)
    ledger_rule.record_land_rule(conn, tolerance().metres, at)
    audit.append(conn, None, "rebuild", "land", None, {"rows": written})
    return written


def rebuild_all(conn: Connection, at: datetime, keep_history: bool = False) -> int:
    """Replay the whole ledger from scratch; returns the rows written.

    With ``keep_history`` every current row is retired at ``at`` and the replayed land
    written beside it, so figures as known before ``at`` are unchanged; without it (after a
    bulk load into an empty ledger) the land state is rewritten and earlier versions are lost.
    """
    land_state.clear_land(conn, retire_at=at if keep_history else None)
    with collector_paused():
        facts = active_facts(conn)
        pieces = replayed_from_scratch(facts, regions_store.boundaries(conn), tolerance())
        written = land_state.copy_pieces(conn, collecting_every(pieces, 50_000), at)
    land_state.analyse_land(conn)
    return written


def recut_all(conn: Connection) -> int:
    """Every version of the land state cut along the regions now loaded; returns the rows
    written. Each piece keeps its row's state, dates and the time the database came to know
    it: figures as of any date and as known at any past moment stay what they were, now
    split by the new regions."""
    boundaries = regions_store.boundaries(conn)
    epsilon = tolerance()
    land_state.set_aside_land(conn)
    written, after = 0, 0
    with collector_paused():
        while rows := land_state.set_aside_rows(conn, after, _RECUT_CHUNK):
            whole = [Piece(shapely.from_wkb(row["geom"]), (), row["area_m2"]) for row in rows]
            cuts = (
                boundaries.cut_each(whole, epsilon)
                if boundaries is not None
                else list(enumerate(whole))
            )
            written += land_state.copy_recut_rows(conn, [(rows[i], cut) for i, cut in cuts])
            after = rows[-1]["id"]
    land_state.drop_set_aside(conn)
    land_state.analyse_land(conn)
    return written


_RECUT_CHUNK = 20_000


def replayed_from_scratch(
    facts: list[LedgerFact], boundaries: Boundaries | None, epsilon: Tolerance
) -> Iterator[tuple[str, Piece]]:
    """Pieces of the national scope and of each contamination type's scope, replayed from
    no land at all (groups of facts whose land never meets replay apart, on threads)."""
    for scoped in in_order(
        partial(_replayed_group, boundaries=boundaries, epsilon=epsilon),
        _overlapping_groups(facts),
    ):
        yield from scoped


def _replayed_group(
    group: list[LedgerFact], boundaries: Boundaries | None, epsilon: Tolerance
) -> list[tuple[str, Piece]]:
    """The pieces, in each scope, of a group of facts whose land meets no other fact's."""
    pieces = merge_alike(replay([], group, boundaries, epsilon))
    scoped = [(NATIONAL, p) for p in pieces]
    types = {f.contamination for f in group}
    if len(types) == 1:  # facts of one type only: its scope holds the national land here
        scoped.extend((group[0].contamination, p) for p in pieces)
        return scoped
    for contamination in sorted(types):  # rows in the same order from one run to the next
        own = [f for f in group if f.contamination == contamination]
        for subgroup in _overlapping_groups(own):
            pieces = merge_alike(replay([], subgroup, boundaries, epsilon))
            scoped.extend((contamination, p) for p in pieces)
    return scoped


def _overlapping_groups(facts: list[LedgerFact]) -> list[list[LedgerFact]]:
    """Split facts into groups whose land never meets, each in ledger order: groups replay
    apart."""
    if not facts:
        return []
    geometries = [f.geometry for f in facts]
    left, right = shapely.STRtree(geometries).query(geometries, predicate="intersects")
    links = list(zip(left.tolist(), right.tolist(), strict=True))
    return [[facts[i] for i in group] for group in connected(len(facts), links)]
