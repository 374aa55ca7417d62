"""What facts changed: the land each one moved, read back from the land state by the
sequence number of its fact (``since_seq``)."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import Connection, text

from app.ledger.scopes import NATIONAL
from app.ledger.states import FactEffect, LandState, changed_flows
from app.storage.conditions import known

Transition = tuple[LandState | str | None, LandState | str, float]


def effect_of_fact(conn: Connection, seq: int, scope: str = NATIONAL) -> FactEffect:
    """Land that the fact with this sequence number changed."""
    return effects_of_facts(conn, [seq], scope)[seq]


def effects_of_records(
    conn: Connection, table: Literal["hazards", "events"], ids: list[int]
) -> dict[int, FactEffect]:
    """National ``effects_of_facts`` of hazard records or events, by record id."""
    seqs = seqs_of_records(conn, table, ids)
    effects = effects_of_facts(conn, list(seqs.values()))
    return {record_id: effects[seq] for record_id, seq in seqs.items()}


def seqs_of_records(
    conn: Connection, table: Literal["hazards", "events"], ids: list[int]
) -> dict[int, int]:
    """Ledger sequence numbers of hazard records or events, by record id."""
    rows = conn.execute(text(_SEQS_OF_RECORDS[table]), {"ids": ids})
    return {record_id: seq for record_id, seq in rows}


_SEQS_OF_RECORDS = {
    "hazards": "SELECT id, seq FROM hazards WHERE id = ANY(:ids)",
    "events": "SELECT id, seq FROM events WHERE id = ANY(:ids)",
}


def effects_of_facts(
    conn: Connection, seqs: list[int], scope: str = NATIONAL
) -> dict[int, FactEffect]:
    """What each fact (by sequence number) changed in ``scope``."""
    rows = conn.execute(
        text(
            f"""
            SELECT s.since_seq, s.previous_state, s.state, sum(s.area_m2) AS m2,
                   sum(s.absorbed_m2) AS absorbed_m2
              FROM land_state s
             WHERE s.since_seq = ANY(:seqs) AND s.scope = :scope AND {known("s").sql}
             GROUP BY s.since_seq, s.previous_state, s.state
            """
        ),
        {"seqs": seqs, "scope": scope},
    )
    transitions: dict[int, list[Transition]] = {seq: [] for seq in seqs}
    absorbed: dict[int, float] = dict.fromkeys(seqs, 0.0)
    for seq, previous, state, m2, absorbed_m2 in rows:
        transitions[seq].append((previous, state, m2))
        absorbed[seq] += absorbed_m2
    return {
        seq: FactEffect(changed_flows(found), absorbed[seq]) for seq, found in transitions.items()
    }
