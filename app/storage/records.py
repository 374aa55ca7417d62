"""Hazard records, events, voids and reviews: the append-only rows of the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, text

from app.ledger.states import LedgerKey
from app.storage import bulk
from app.storage.conditions import holds_reference, not_voided


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
    import_id: int | None = None  # the upload it came with

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
    import_id: int | None = None  # the upload it came with

    @property
    def key(self) -> LedgerKey:
        return LedgerKey(self.occurred_on, self.seq)


@dataclass(frozen=True)
class Review:
    """How a fact enters the ledger: approved at once, or pending for an organisation; with
    the upload it came with, if any."""

    status: str
    organisation_id: int | None
    recorded_by: str | None
    at: datetime
    import_id: int | None = None

    def columns(self) -> dict[str, Any]:
        approved = self.status == "approved"
        return {
            "status": self.status,
            "organisation_id": self.organisation_id,
            "recorded_by": self.recorded_by,
            "recorded_at": self.at,
            "reviewed_by": self.recorded_by if approved else None,
            "reviewed_at": self.at if approved else None,
            "import_id": self.import_id,
        }


_REVIEW_COLUMNS = (
    "status, organisation_id, recorded_by, recorded_at, reviewed_by, reviewed_at, import_id"
)
_REVIEW_VALUES = (
    ":status, :organisation_id, :recorded_by, :recorded_at, :reviewed_by, :reviewed_at, :import_id"
)


# Hazards holding one of the references :r (a rejected or withdrawn one gives it back).
_HOLDING_REFERENCES = f"reference = ANY(:r) AND {holds_reference('hazards')}"


def existing_references(conn: Connection, references: list[str]) -> set[str]:
    """Those of ``references`` held by a hazard (a rejected or withdrawn one gives its
    reference back)."""
    rows = conn.execute(
        text(f"SELECT reference FROM hazards WHERE {_HOLDING_REFERENCES}"),
        {"r": references},
    )
    return set(rows.scalars())


def _next_seqs(conn: Connection, count: int) -> list[int]:
    """Ledger sequence numbers for a batch, in recording order."""
    return list(
        conn.execute(
            text("SELECT nextval('ledger_seq') FROM generate_series(1, :n)"), {"n": count}
        ).scalars()
    )


def _ids_by_seq(conn: Connection, table: str, seqs: list[int]) -> dict[int, int]:
    rows = conn.execute(text(f"SELECT seq, id FROM {table} WHERE seq = ANY(:s)"), {"s": seqs})
    return dict(rows.all())


_HAZARD_COLUMNS = {
    "seq": "int8",
    "reference": "text",
    "hazard_class": "text",
    "contamination": "text",
    "munitions": "text[]",
    "recorded_on": "date",
    "region": "text",
    "notes": "text",
    "footprint": "geometry",
    "footprint_m2": "float8",
    "status": "text",
    "organisation_id": "int4",
    "recorded_by": "text",
    "recorded_at": "timestamptz",
    "reviewed_by": "text",
    "reviewed_at": "timestamptz",
    "import_id": "int4",
}
_REVIEWED = list(_HAZARD_COLUMNS)[10:]


def insert_hazards(
    conn: Connection, hazards: list[tuple[dict[str, Any], MultiPolygon]], review: Review
) -> list[HazardRow]:
    """Insert hazards (their values with their area, ``footprint_m2``) in this order: their
    ledger sequence follows it."""
    if not hazards:
        return []
    seqs = _next_seqs(conn, len(hazards))
    footprints = bulk.ewkb([footprint for _, footprint in hazards])
    reviewed = review.columns()
    bulk.copy_rows(
        conn,
        "hazards",
        list(_HAZARD_COLUMNS),
        (
            (
                seq,
                values["reference"],
                values["hazard_class"],
                values["contamination"],
                values["munitions"],
                values["recorded_on"],
                values["region"],
                values["notes"],
                footprint,
                values["footprint_m2"],
                *(reviewed[column] for column in _REVIEWED),
            )
            for seq, (values, _), footprint in zip(seqs, hazards, footprints, strict=True)
        ),
        list(_HAZARD_COLUMNS.values()),
    )
    ids = _ids_by_seq(conn, "hazards", seqs)
    return [
        HazardRow(
            ids[seq],
            seq,
            values["reference"],
            values["hazard_class"],
            values["contamination"],
            values["recorded_on"],
            footprint,
            review.status,
            review.organisation_id,
            review.import_id,
        )
        for seq, (values, footprint) in zip(seqs, hazards, strict=True)
    ]


_HAZARD = """
    SELECT id, seq, reference, hazard_class, contamination, recorded_on,
           ST_AsBinary(footprint) AS footprint, status, organisation_id, import_id
      FROM hazards
"""


def _hazard_row(row: Any) -> HazardRow:
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
        row.import_id,
    )


def hazard_by_reference(conn: Connection, reference: str) -> HazardRow | None:
    """The hazard holding this reference (approved or pending)."""
    return hazards_by_reference(conn, [reference]).get(reference)


def hazards_by_reference(conn: Connection, references: list[str]) -> dict[str, HazardRow]:
    rows = conn.execute(text(f"{_HAZARD} WHERE {_HOLDING_REFERENCES}"), {"r": references})
    return {row.reference: _hazard_row(row) for row in rows}


def hazard_ids(conn: Connection) -> dict[str, int]:
    """The id of every hazard, by reference."""
    return dict(conn.execute(text("SELECT reference, id FROM hazards")).all())


def holds_hazards(conn: Connection) -> bool:
    return bool(conn.execute(text("SELECT EXISTS (SELECT 1 FROM hazards)")).scalar_one())


def hazard_by_id(conn: Connection, hazard_id: int) -> HazardRow | None:
    row = conn.execute(text(f"{_HAZARD} WHERE id = :id"), {"id": hazard_id}).first()
    return None if row is None else _hazard_row(row)


_EVENT_COLUMNS = {
    "seq": "int8",
    "hazard_id": "int4",
    "kind": "text",
    "occurred_on": "date",
    "footprint": "geometry",
    "requested_m2": "float8",
    "operator": "text",
    "method": "text",
    "items": "jsonb",
    "report_ref": "text",
    "status": "text",
    "organisation_id": "int4",
    "recorded_by": "text",
    "recorded_at": "timestamptz",
    "reviewed_by": "text",
    "reviewed_at": "timestamptz",
    "import_id": "int4",
}


def insert_events(
    conn: Connection, events: list[tuple[int, dict[str, Any], MultiPolygon, Review]]
) -> list[tuple[int, int]]:
    """Insert (hazard id, values with the area ``requested_m2``, footprint, review) events in
    this order; their (id, seq)."""
    if not events:
        return []
    seqs = _next_seqs(conn, len(events))
    footprints = bulk.ewkb([footprint for _, _, footprint, _ in events])
    bulk.copy_rows(
        conn,
        "events",
        list(_EVENT_COLUMNS),
        (
            _event_row(seq, hazard_id, values, footprint, review.columns())
            for seq, (hazard_id, values, _, review), footprint in zip(
                seqs, events, footprints, strict=True
            )
        ),
        list(_EVENT_COLUMNS.values()),
    )
    ids = _ids_by_seq(conn, "events", seqs)
    return [(ids[seq], seq) for seq in seqs]


def _event_row(
    seq: int, hazard_id: int, values: dict[str, Any], footprint: bulk.EWKB, reviewed: dict
) -> tuple:
    given = {
        **values,
        "seq": seq,
        "hazard_id": hazard_id,
        "footprint": footprint,
        "items": values.get("items") or {},
        **reviewed,
    }
    return tuple(given.get(column) for column in _EVENT_COLUMNS)


def event_by_id(conn: Connection, event_id: int) -> EventRow | None:
    row = conn.execute(
        text(
            f"""
            SELECT e.id, e.seq, e.hazard_id, h.reference, h.status AS hazard_status,
                   h.contamination, e.occurred_on, ST_AsBinary(e.footprint) AS footprint,
                   NOT ({not_voided("e").sql}) AS voided,
                   e.status, e.organisation_id, e.import_id
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
        row.import_id,
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
) -> bool:
    """Approve, reject or withdraw a pending hazard or event: the one change a fact row may
    undergo. False when the fact was not pending any more (decided meanwhile)."""
    assert table in ("hazards", "events")
    changed = conn.execute(
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
    return changed.rowcount == 1
