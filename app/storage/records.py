"""Hazard records, events, voids and reviews: the append-only rows of the ledger."""

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
    status: str
    organisation_id: int | None

    @property
    def key(self) -> LedgerKey:
        return LedgerKey(self.recorded_on, self.seq)


@dataclass(frozen=True)
class EventRow:
    id: int
    seq: int
    hazard_id: int
    hazard_reference: str
    hazard_status: str
    contamination: str
    occurred_on: date
    footprint: BaseGeometry
    voided: bool
    status: str
    organisation_id: int | None

    @property
    def key(self) -> LedgerKey:
        return LedgerKey(self.occurred_on, self.seq)


@dataclass(frozen=True)
class Review:
    """How a fact enters the ledger: approved at once, or pending for an organisation."""

    status: str
    organisation_id: int | None
    recorded_by: str | None
    at: datetime

    def columns(self) -> dict[str, Any]:
        approved = self.status == "approved"
        return {
            "status": self.status,
            "organisation_id": self.organisation_id,
            "recorded_by": self.recorded_by,
            "recorded_at": self.at,
            "reviewed_by": self.recorded_by if approved else None,
            "reviewed_at": self.at if approved else None,
        }


_REVIEW_COLUMNS = "status, organisation_id, recorded_by, recorded_at, reviewed_by, reviewed_at"
_REVIEW_VALUES = ":status, :organisation_id, :recorded_by, :recorded_at, :reviewed_by, :reviewed_at"


def reference_exists(conn: Connection, reference: str) -> bool:
    """A hazard of this reference that is not rejected (a rejected one gives it back)."""
    row = conn.execute(
        text("SELECT 1 FROM hazards WHERE reference = :r AND status <> 'rejected'"),
        {"r": reference},
    ).first()
    return row is not None


def insert_hazard(
    conn: Connection, values: dict[str, Any], footprint: MultiPolygon, review: Review
) -> HazardRow:
    row = conn.execute(
        text(
            f"""
            INSERT INTO hazards (reference, hazard_class, contamination, munitions, recorded_on,
                                 region, notes, footprint, {_REVIEW_COLUMNS})
            VALUES (:reference, :hazard_class, :contamination, :munitions, :recorded_on,
                    :region, :notes, ST_GeomFromWKB(:footprint, 4326), {_REVIEW_VALUES})
            RETURNING id, seq
            """
        ),
        {**values, "footprint": footprint.wkb, **review.columns()},
    ).one()
    return HazardRow(
        row.id,
        row.seq,
        values["reference"],
        values["hazard_class"],
        values["contamination"],
        values["recorded_on"],
        footprint,
        review.status,
        review.organisation_id,
    )


_HAZARD = """
    SELECT id, seq, reference, hazard_class, contamination, recorded_on,
           ST_AsBinary(footprint) AS footprint, status, organisation_id
      FROM hazards
"""


def _hazard_row(row: Any) -> HazardRow | None:
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
        row.status,
        row.organisation_id,
    )


def hazard_by_reference(conn: Connection, reference: str) -> HazardRow | None:
    """The hazard holding this reference (approved or pending)."""
    row = conn.execute(
        text(f"{_HAZARD} WHERE reference = :r AND status <> 'rejected'"), {"r": reference}
    ).first()
    return _hazard_row(row)


def hazard_by_id(conn: Connection, hazard_id: int) -> HazardRow | None:
    return _hazard_row(conn.execute(text(f"{_HAZARD} WHERE id = :id"), {"id": hazard_id}).first())


def insert_event(
    conn: Connection,
    hazard_id: int,
    values: dict[str, Any],
    footprint: MultiPolygon,
    review: Review,
) -> tuple[int, int]:
    row = conn.execute(
        text(
            f"""
            INSERT INTO events (hazard_id, kind, occurred_on, footprint, operator, method,
                                items, report_ref, {_REVIEW_COLUMNS})
            VALUES (:hazard_id, :kind, :occurred_on, ST_GeomFromWKB(:footprint, 4326),
                    :operator, :method, CAST(:items AS jsonb), :report_ref, {_REVIEW_VALUES})
            RETURNING id, seq
            """
        ),
        {
            **values,
            "hazard_id": hazard_id,
            "items": json.dumps(values.get("items") or {}),
            "footprint": footprint.wkb,
            **review.columns(),
        },
    ).one()
    return row.id, row.seq


def event_by_id(conn: Connection, event_id: int) -> EventRow | None:
    row = conn.execute(
        text(
            """
            SELECT e.id, e.seq, e.hazard_id, h.reference, h.status AS hazard_status,
                   h.contamination, e.occurred_on, ST_AsBinary(e.footprint) AS footprint,
                   EXISTS (SELECT 1 FROM event_voids v WHERE v.event_id = e.id) AS voided,
                   e.status, e.organisation_id
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
        row.reference,
        row.hazard_status,
        row.contamination,
        row.occurred_on,
        shapely.from_wkb(row.footprint),
        row.voided,
        row.status,
        row.organisation_id,
    )


def insert_void(
    conn: Connection, event_id: int, reason: str, voided_by: str | None, at: datetime
) -> tuple[int, datetime]:
    row = conn.execute(
        text(
            """
            INSERT INTO event_voids (event_id, reason, voided_by, recorded_at)
            VALUES (:event_id, :reason, :voided_by, :at)
            RETURNING id, recorded_at
            """
        ),
        {"event_id": event_id, "reason": reason, "voided_by": voided_by, "at": at},
    ).one()
    return row.id, row.recorded_at


def set_review(
    conn: Connection,
    table: str,
    row_id: int,
    status: str,
    reviewed_by: str | None,
    at: datetime,
    reason: str | None,
) -> None:
    """Approve or reject a pending hazard or event: the one change a fact row may undergo."""
    assert table in ("hazards", "events")
    conn.execute(
        text(
            f"""
            UPDATE {table}
               SET status = :status, reviewed_by = :by, reviewed_at = :at,
                   review_reason = :reason
             WHERE id = :id AND status = 'pending'
            """
        ),
        {"status": status, "by": reviewed_by, "at": at, "reason": reason, "id": row_id},
    )


def pending_facts(conn: Connection, organisation_id: int | None = None) -> list[dict[str, Any]]:
    """Submissions awaiting review, oldest first (of one organisation, when given)."""
    rows = conn.execute(
        text(
            """
            SELECT 'hazard' AS type, h.reference AS id, h.reference AS hazard_reference,
                   'record ' || h.hazard_class AS kind, h.recorded_on AS date, h.seq,
                   h.recorded_at, h.recorded_by, o.name AS organisation,
                   ST_AsGeoJSON(h.footprint, 9) AS geometry, h.footprint_m2 AS requested_m2
              FROM hazards h LEFT JOIN organisations o ON o.id = h.organisation_id
             WHERE h.status = 'pending'
               AND (CAST(:org AS integer) IS NULL OR h.organisation_id = :org)
            UNION ALL
            SELECT 'event', e.id::text, h.reference, e.kind, e.occurred_on, e.seq,
                   e.recorded_at, e.recorded_by, o.name, ST_AsGeoJSON(e.footprint, 9),
                   e.requested_m2
              FROM events e JOIN hazards h ON h.id = e.hazard_id
              LEFT JOIN organisations o ON o.id = e.organisation_id
             WHERE e.status = 'pending'
               AND (CAST(:org AS integer) IS NULL OR e.organisation_id = :org)
             ORDER BY recorded_at, seq
            """
        ),
        {"org": organisation_id},
    )
    return [row._asdict() for row in rows]


def effect_of_fact(conn: Connection, seq: int, scope: str = "all") -> dict[str, float]:
    """Land that the fact with this sequence number changed, in m² per flow (non-zero only)."""
    rows = conn.execute(
        text(
            """
            SELECT previous_state, state, sum(area_m2) AS m2
              FROM land_state
             WHERE since_seq = :seq AND scope = :scope AND known_until IS NULL
             GROUP BY previous_state, state
            """
        ),
        {"seq": seq, "scope": scope},
    )
    return {flow: m2 for flow, m2 in flow_totals(rows).items() if m2}
