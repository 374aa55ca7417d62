"""What pending submissions would change if they were approved: computed on the fly by
replaying the land they reach, without touching the official land state."""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.ledger.pieces import Piece
from app.ledger.rewrite import replay_stored, stored_pieces
from app.ledger.states import FactEffect, LedgerKey, changed_flows
from app.services.land_reach import Change, gather
from app.services.land_rebuild import tolerance
from app.storage import ledger_store as store
from app.storage import regions


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
        facts = [f for f in group.facts if scope in (store.ALL, f.contamination)]
        rewrite = replay_stored(stored, group.start, facts, boundaries, tolerance())
        removed_ids = set(rewrite.removed)
        removed.extend(s.piece for s in stored if removed_ids.intersection(s.ids))
        added.extend(rewrite.written)
    return Difference(removed, added)


def effect_if_approved(
    conn: Connection,
    seqs: list[int],
    geometry: BaseGeometry,
    key: LedgerKey,
    scope: str = "all",
) -> FactEffect:
    """Land the pending fact of ``key`` would change if approved now; ``seqs`` are its
    sequence number and that of its hazard when the hazard awaits review too."""
    start = min(key, *_keys(conn, seqs))
    change = Change(geometry, start, (scope,), own_polygon=start == key)
    difference = _difference(conn, scope, [change], seqs)
    stints = [(s, p.area_m2) for p in difference.added for s in p.stints if s.since == key]
    return FactEffect(
        changed_flows((s.previous, s.state, m2) for s, m2 in stints),
        sum(s.absorbed_m2 for s, _ in stints),
    )


def with_all_pending(conn: Connection, scope: str) -> Difference | None:
    """The change to the official land state if every pending submission were approved."""
    rows = conn.execute(
        text(
            f"""
            SELECT f.seq, f.on_date, ST_AsBinary(f.footprint)
              FROM ({store.FACTS}) f
             WHERE f.seq = ANY(:with_seqs) AND (:scope = 'all' OR f.contamination = :scope)
            """
        ),
        {"with_seqs": pending_seqs(conn), "scope": scope},
    ).all()
    if not rows:
        return None
    changes = [Change(shapely.from_wkb(wkb), LedgerKey(on, seq), (scope,)) for seq, on, wkb in rows]
    return _difference(conn, scope, changes, [seq for seq, _, _ in rows])


def _keys(conn: Connection, seqs: list[int]) -> list[LedgerKey]:
    rows = conn.execute(
        text(f"SELECT f.on_date, f.seq FROM ({store.FACTS}) f WHERE f.seq = ANY(:with_seqs)"),
        {"with_seqs": seqs},
    )
    return [LedgerKey(on, seq) for on, seq in rows]


def pending_seqs(conn: Connection) -> list[int]:
    return list(
        conn.execute(
            text(
                "SELECT seq FROM hazards WHERE status = 'pending' "
                "UNION ALL SELECT seq FROM events WHERE status = 'pending'"
            )
        ).scalars()
    )
