"""Hazard records, events and voids: the append-only rows of the ledger."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.ledger.states import LedgerKey, flow_totals


@dataclass(frozen=True)
class HazardRow:
    id: int
    seq: int
    reference: str
    hazard_class: str
    contamination: str
    recorded_on: date
    footprint: BaseGeometry

    @property
    def key(self) -> LedgerKey:
        return LedgerKey(self.recorded_on, self.seq)


@dataclass(frozen=True)
class EventRow:
    id: int
    seq: int
    hazard_id: int
    contamination: str
    occurred_on: date
    footprint: BaseGeometry
    voided: bool

    @property
    def key(self) -> LedgerKey:
        return LedgerKey(self.occurred_on, self.seq)


def reference_exists(conn: Connection, reference: str) -> bool:
    return (
        conn.execute(text("SELECT 1 FROM hazards WHERE reference = :r"), {"r": reference}).first()
        is not None
    )


def insert_hazard(conn: Connection, values: dict[str, Any], footprint: MultiPolygon) -> HazardRow:
    row = conn.execute(
        text(
            """
            INSERT INTO hazards (reference, hazard_class, contamination, munitions, recorded_on,
                                 region, notes, footprint, recorded_by)
            VALUES (:reference, :hazard_class, :contamination, :munitions, :recorded_on,
                    :region, :notes, ST_GeomFromWKB(:footprint, 4326), :recorded_by)
            RETURNING id, seq
            """
        ),
        {**values, "footprint": footprint.wkb},
    ).one()
    return HazardRow(
        row.id,
        row.seq,
        values["reference"],
        values["hazard_class"],
        values["contamination"],
        values["recorded_on"],
        footprint,
    )


def hazard_by_reference(conn: Connection, reference: str) -> HazardRow | None:
    row = conn.execute(
        text(
            """
            SELECT id, seq, reference, hazard_class, contamination, recorded_on,
                   ST_AsBinary(footprint) AS footprint
              FROM hazards WHERE reference = :r
            """
        ),
        {"r": reference},
    ).first()
    if row is None:
        return None
    return HazardRow(
        row.id,
        row.seq,
        row.reference,
        row.hazard_class,
        row.contamination,
        row.recorded_on,
        shapely.from_wkb(row.footprint),
    )


def insert_event(
    conn: Connection, hazard_id: int, values: dict[str, Any], footprint: MultiPolygon
) -> tuple[int, int]:
    row = conn.execute(
        text(
            """
            INSERT INTO events (hazard_id, kind, occurred_on, footprint, operator, method,
                                items, report_ref, recorded_by)
            VALUES (:hazard_id, :kind, :occurred_on, ST_GeomFromWKB(:footprint, 4326),
                    :operator, :method, CAST(:items AS jsonb), :report_ref, :recorded_by)
            RETURNING id, seq
            """
        ),
        {
            **values,
            "hazard_id": hazard_id,
            "items": json.dumps(values.get("items") or {}),
            "footprint": footprint.wkb,
        },
    ).one()
    return row.id, row.seq


def event_by_id(conn: Connection, event_id: int) -> EventRow | None:
    row = conn.execute(
        text(
            """
            SELECT e.id, e.seq, e.hazard_id, h.contamination, e.occurred_on,
                   ST_AsBinary(e.footprint) AS footprint,
                   EXISTS (SELECT 1 FROM event_voids v WHERE v.event_id = e.id) AS voided
              FROM events e JOIN hazards h ON h.id = e.hazard_id
             WHERE e.id = :id
            """
        ),
        {"id": event_id},
    ).first()
    if row is None:
        return None
    return EventRow(
        row.id,
        row.seq,
        row.hazard_id,
        row.contamination,
        row.occurred_on,
        shapely.from_wkb(row.footprint),
        row.voided,
    )


def insert_void(
    conn: Connection, event_id: int, reason: str, voided_by: str | None
) -> tuple[int, datetime]:
    row = conn.execute(
        text(
            """
            INSERT INTO event_voids (event_id, reason, voided_by)
            VALUES (:event_id, :reason, :voided_by)
            RETURNING id, recorded_at
            """
        ),
        {"event_id": event_id, "reason": reason, "voided_by": voided_by},
    ).one()
    return row.id, row.recorded_at


def effect_of_fact(conn: Connection, seq: int, scope: str = "all") -> dict[str, float]:
    """Land that the fact with this sequence number changed, in m² per flow (non-zero only)."""
    rows = conn.execute(
        text(
            """
            SELECT previous_state, state, sum(area_m2) AS m2
              FROM land_state
             WHERE since_seq = :seq AND scope = :scope
             GROUP BY previous_state, state
            """
        ),
        {"seq": seq, "scope": scope},
    )
    return {flow: m2 for flow, m2 in flow_totals(rows).items() if m2}
