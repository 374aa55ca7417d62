"""A hazard's lineage: the land it gained and lost, fact by fact, from which hazard and to
which state, read from the land state.

A fact changes land in pieces; the land it changed begins a new stint owned by the fact's
hazard, and the stint it ended (same piece, same geometry, ``until_seq`` = the fact's
``since_seq``) says which hazard held the land before and in which state. A fact of hazard X
that changed land of hazard Y is a loss for Y and a gain for X; land a hazard record added
that no hazard held before is a gain from no one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, text

from app.ledger.scopes import NATIONAL
from app.storage.conditions import known
from app.storage.sql import merged


@dataclass(frozen=True)
class LineageEntry:
    seq: int
    fact: str  # "event" or "hazard" (a hazard record)
    fact_id: int
    fact_hazard: str  # the reference of the hazard the fact belongs to
    kind: str  # an event's kind, or a hazard record's class (SHA, CHA)
    on: date
    gained: bool  # True: land this hazard took; False: land it lost
    other_hazard: str | None  # the hazard it came from or went to (None: land new to all)
    from_state: str | None
    to_state: str
    area_m2: float


def hazard_lineage(
    conn: Connection, hazard_id: int, known_at: datetime | None = None
) -> list[LineageEntry]:
    """The land hazard ``hazard_id`` gained from or lost to others (national scope), by fact
    in ledger order."""
    now_s, now_p = known("s", known_at), known("p", known_at)
    # The stint a fact ended on the same piece: same geometry, ended by the fact.
    before = f"""
        land_state p
          ON p.until_seq = s.since_seq AND p.scope = s.scope AND p.geom ~= s.geom
         AND p.geom = s.geom AND {now_p.sql}
    """
    rows = conn.execute(
        text(
            f"""
            WITH moved AS (
                SELECT s.since_seq AS seq, true AS gained, p.hazard_id AS other,
                       p.state AS from_state, s.state AS to_state, s.area_m2
                  FROM land_state s JOIN {before}
                 WHERE s.hazard_id = :hazard_id AND p.hazard_id <> :hazard_id
                   AND s.scope = :national AND {now_s.sql}
                UNION ALL
                SELECT s.since_seq, false, s.hazard_id, p.state, s.state, s.area_m2
                  FROM land_state p JOIN land_state s
                    ON s.since_seq = p.until_seq AND s.scope = p.scope AND s.geom ~= p.geom
                   AND s.geom = p.geom AND {now_s.sql}
                 WHERE p.hazard_id = :hazard_id AND s.hazard_id <> :hazard_id
                   AND p.scope = :national AND {now_p.sql}
                UNION ALL
                SELECT s.since_seq, true, NULL, NULL, s.state, s.area_m2
                  FROM land_state s
                 WHERE s.hazard_id = :hazard_id AND s.previous_state IS NULL
                   AND s.scope = :national AND {now_s.sql}
            )
            SELECT m.seq, e.id AS event_id, fh.id AS record_id,
                   coalesce(eh.reference, fh.reference) AS fact_hazard,
                   coalesce(e.kind, fh.hazard_class) AS kind,
                   coalesce(e.occurred_on, fh.recorded_on) AS on_date,
                   m.gained, o.reference AS other, m.from_state, m.to_state,
                   sum(m.area_m2) AS m2
              FROM moved m
              LEFT JOIN events e ON e.seq = m.seq
              LEFT JOIN hazards eh ON eh.id = e.hazard_id
              LEFT JOIN hazards fh ON fh.seq = m.seq
              LEFT JOIN hazards o ON o.id = m.other
             GROUP BY m.seq, e.id, fh.id, eh.reference, fh.reference, e.kind, fh.hazard_class,
                      e.occurred_on, fh.recorded_on, m.gained, o.reference, m.from_state,
                      m.to_state
             ORDER BY on_date, m.seq, m.gained DESC, o.reference, m.from_state, m.to_state
            """
        ),
        merged(now_s.params, now_p.params, {"hazard_id": hazard_id, "national": NATIONAL}),
    )
    return [
        LineageEntry(
            seq=row.seq,
            fact="event" if row.event_id is not None else "hazard",
            fact_id=row.event_id if row.event_id is not None else row.record_id,
            fact_hazard=row.fact_hazard,
            kind=row.kind,
            on=row.on_date,
            gained=row.gained,
            other_hazard=row.other,
            from_state=row.from_state,
            to_state=row.to_state,
            area_m2=row.m2,
        )
        for row in rows
    ]
