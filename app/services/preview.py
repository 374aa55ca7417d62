"""What pending submissions would change if they were approved: computed on the fly by
replaying their regions, without touching the official land state."""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.geo.polygons import union_all
from app.ledger.parcels import Parcel
from app.ledger.region import replay_region, stored_parcels
from app.ledger.states import LedgerKey, changed_flows
from app.storage import ledger_store as store
from app.storage import regions


@dataclass(frozen=True)
class Difference:
    """The official parcels a preview replaces, and the parcels it puts in their place."""

    removed: list[Parcel]
    added: list[Parcel]


def _difference(
    conn: Connection, scope: str, region: BaseGeometry, start: LedgerKey, seqs: list[int]
) -> Difference:
    rows = store.rows_overlapping(conn, [scope], [region])
    stored = stored_parcels(row[2:] for row in rows)
    facts = sorted(
        (
            f
            for _, f in store.facts_overlapping(conn, [region], with_seqs=seqs)
            if f.key >= start and scope in (store.ALL, f.contamination)
        ),
        key=lambda f: f.key,
    )
    rewrite = replay_region(stored, region, start, facts, regions.boundaries(conn))
    removed_ids = set(rewrite.removed)
    removed = [s.parcel for s in stored if removed_ids.intersection(s.ids)]
    return Difference(removed, rewrite.written)


def effect_if_approved(
    conn: Connection,
    seqs: list[int],
    geometry: BaseGeometry,
    key: LedgerKey,
    scope: str = "all",
) -> dict[str, float]:
    """Land (m² per flow) the pending fact of ``key`` would change if approved now; ``seqs``
    are its sequence number and that of its hazard when the hazard awaits review too."""
    start = min(key, *_keys(conn, seqs))
    difference = _difference(conn, scope, geometry, start, seqs)
    return changed_flows(
        (s.previous, s.state, p.area_m2)
        for p in difference.added
        for s in p.stints
        if s.since == key
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
    region = union_all([shapely.from_wkb(wkb) for _, _, wkb in rows])
    start = min(LedgerKey(on, seq) for seq, on, _ in rows)
    return _difference(conn, scope, region, start, [seq for seq, _, _ in rows])


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
