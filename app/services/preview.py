"""What pending submissions would change if they were approved: computed on the fly by
replaying the land they reach, without touching the official land state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from app.ledger.pieces import Piece
from app.ledger.rewrite import replay_stored, stored_pieces
from app.ledger.scopes import NATIONAL, in_scope
from app.ledger.states import FactEffect, LedgerKey, changed_flows
from app.services.land_reach import Change, gather
from app.services.land_rebuild import tolerance
from app.storage import regions
from app.storage.facts import keys_of, pending_polygons


@dataclass(frozen=True)
class Difference:
    """The official pieces a preview replaces, and the pieces it puts in their place."""

    removed: list[Piece]
    added: list[Piece]


def _difference(conn: Connection, scope: str, changes: list[Change], seqs: list[int]) -> Difference:
    reach = gather(conn, changes, with_seqs=seqs, scopes=[scope])
    boundaries = regions.boundaries(conn)
    removed: list[Piece] = []
    added: list[Piece] = []
    for group in reach.groups():
        stored = stored_pieces(row[2:] for row in group.rows)
        own = [f for f in group.facts if in_scope(f.contamination, scope)]
        rewrite = replay_stored(stored, group.start, own, boundaries, tolerance())
        removed_ids = set(rewrite.removed)
        removed.extend(s.piece for s in stored if removed_ids.intersection(s.ids))
        added.extend(rewrite.written)
    return Difference(removed, added)


def effect_if_approved(
    conn: Connection,
    seqs: list[int],
    geometry: BaseGeometry,
    key: LedgerKey,
    scope: str = NATIONAL,
) -> FactEffect:
    """Land the pending fact of ``key`` would change if approved now; ``seqs`` are its
    sequence number and that of its hazard when the hazard awaits review too."""
    start = min(key, *keys_of(conn, seqs))
    change = Change(geometry, start, (scope,), own_polygon=start == key)
    difference = _difference(conn, scope, [change], seqs)
    stints = [(s, p.area_m2) for p in difference.added for s in p.stints if s.since == key]
    return FactEffect(
        changed_flows((s.previous, s.state, m2) for s, m2 in stints),
        sum(s.absorbed_m2 for s, _ in stints),
    )


def with_all_pending(conn: Connection, scope: str) -> Difference | None:
    """The change to the official land state if every pending submission were approved."""
    return with_pending(conn, scope)


def with_pending(
    conn: Connection, scope: str, seqs: Sequence[int] | None = None
) -> Difference | None:
    """The change to the official land state if the pending facts of ``seqs`` (None: every
    pending submission) were approved together; None when none of them could be."""
    pending = pending_polygons(conn, scope, seqs)
    if not pending:
        return None
    changes = [Change(polygon, key, (scope,)) for key, polygon in pending]
    return _difference(conn, scope, changes, [key.seq for key, _ in pending])
