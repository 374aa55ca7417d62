"""Submissions awaiting review, as the authority's queue lists them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from app.storage.conditions import of_organisations
from app.storage.drawing import as_geojson
from app.storage.phone_submissions import EDIT_OF
from app.storage.sql import merged


def pending_facts(
    conn: Connection, organisations: frozenset[int] | None = None
) -> list[dict[str, Any]]:
    """Submissions awaiting review, oldest first: of ``organisations`` (None: of all)."""
    of_hazard = of_organisations("h", organisations)
    of_event = of_organisations("e", organisations)
    rows = conn.execute(
        text(
            f"""
            SELECT 'hazard' AS type, h.reference AS id, h.reference AS hazard_reference,
                   'record ' || h.hazard_class AS kind, h.recorded_on AS date, h.seq,
                   h.recorded_at, h.recorded_by, o.name AS organisation,
                   {as_geojson("h.footprint")} AS geometry, h.footprint_m2 AS requested_m2
              FROM hazards h LEFT JOIN organisations o ON o.id = h.organisation_id
             WHERE h.status = 'pending' AND {of_hazard.sql}
            UNION ALL
            SELECT 'event', e.id::text, h.reference, e.kind, e.occurred_on, e.seq,
                   e.recorded_at, e.recorded_by, o.name, {as_geojson("e.footprint")},
                   e.requested_m2
              FROM events e JOIN hazards h ON h.id = e.hazard_id
              LEFT JOIN organisations o ON o.id = e.organisation_id
             WHERE e.status = 'pending' AND {of_event.sql}
             ORDER BY recorded_at, seq
            """
        ),
        merged(of_hazard.params, of_event.params),
    )
    return [row._asdict() for row in rows]


def pending_events_of(conn: Connection, hazard_id: int) -> list[tuple[int, int | None]]:
    """The (id, upload id) of the hazard's events awaiting review."""
    rows = conn.execute(
        text(
            "SELECT id, import_id FROM events WHERE hazard_id = :id AND status = 'pending' "
            "ORDER BY seq"
        ),
        {"id": hazard_id},
    )
    return [(row.id, row.import_id) for row in rows]


def pending_uploads(conn: Connection) -> list[dict[str, Any]]:
    """Uploads with facts awaiting review, oldest first: how many, the area they ask for, and
    the hazards not yet official that their events wait for."""
    rows = conn.execute(
        text(
            f"""
            SELECT i.id, i.file_name, i.target, i.recorded_at, i.recorded_by,
                   o.name AS organisation, p.pending, p.requested_m2,
                   {EDIT_OF} AS edit_of,
                   coalesce(w.references, '{{}}') AS waiting_for
              FROM imports i
              LEFT JOIN organisations o ON o.id = i.organisation_id
              JOIN LATERAL (
                  SELECT count(*) AS pending, sum(x.m2) AS requested_m2
                    FROM (SELECT footprint_m2 AS m2 FROM hazards
                           WHERE import_id = i.id AND status = 'pending'
                          UNION ALL
                          SELECT requested_m2 FROM events
                           WHERE import_id = i.id AND status = 'pending') x
              ) p ON p.pending > 0
              LEFT JOIN LATERAL (
                  SELECT array_agg(DISTINCT h.reference ORDER BY h.reference) AS references
                    FROM events e JOIN hazards h ON h.id = e.hazard_id
                   WHERE e.import_id = i.id AND e.status = 'pending' AND h.status <> 'approved'
              ) w ON true
             ORDER BY i.recorded_at, i.id
            """
        )
    )
    return [row._asdict() for row in rows]
