"""Submissions as their senders and the authority follow them: each upload with what became
of its facts, and each submitted fact with its status, who decided and why."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from app.storage.conditions import not_voided, of_organisations, submitted
from app.storage.phone_submissions import EDIT_OF
from app.storage.sql import TRUE, Clause, all_of, merged

# The statuses a submitted fact can end in (pending: not yet).
STATUSES = ("pending", "approved", "rejected", "withdrawn")


def uploads(
    conn: Connection, organisations: frozenset[int] | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    """Uploads that recorded facts, of ``organisations`` (None: of all), newest first, each
    with its facts counted by status, the last decision on them and its reasons."""
    theirs = of_organisations("i", organisations)
    counts = ", ".join(
        f"count(*) FILTER (WHERE x.status = '{status}') AS {status}" for status in STATUSES
    )
    rows = conn.execute(
        text(
            f"""
            SELECT i.id, i.file_name, i.target, i.recorded_at, i.recorded_by,
                   o.name AS organisation, i.organisation_id, i.accepted AS features,
                   (i.report ->> 'requested_m2')::float8 AS requested_m2,
                   {EDIT_OF} AS edit_of, f.*
              FROM imports i
              LEFT JOIN organisations o ON o.id = i.organisation_id
              CROSS JOIN LATERAL (
                  SELECT {counts},
                         max(x.reviewed_at) FILTER (WHERE x.status <> 'pending') AS reviewed_at,
                         (array_agg(x.reviewed_by ORDER BY x.reviewed_at DESC)
                              FILTER (WHERE x.status <> 'pending'))[1] AS reviewed_by,
                         coalesce(array_agg(DISTINCT x.review_reason)
                              FILTER (WHERE x.review_reason IS NOT NULL), '{{}}') AS reasons
                    FROM (SELECT status, reviewed_by, reviewed_at, review_reason
                            FROM hazards WHERE import_id = i.id
                          UNION ALL
                          SELECT status, reviewed_by, reviewed_at, review_reason
                            FROM events WHERE import_id = i.id) x
              ) f
             WHERE i.status = 'applied' AND {theirs.sql}
             ORDER BY i.id DESC LIMIT :limit OFFSET :offset
            """
        ),
        merged(theirs.params, {"limit": limit, "offset": offset}),
    )
    return [_upload(row._asdict()) for row in rows]


def upload(conn: Connection, import_id: int, organisations: frozenset[int] | None) -> Any:
    """The upload ``import_id`` of ``organisations`` (None: of any), or None."""
    theirs = of_organisations("i", organisations)
    return conn.execute(
        text(
            f"SELECT i.id, i.organisation_id, i.target, i.file_name FROM imports i "
            f"WHERE i.id = :id AND i.status = 'applied' AND {theirs.sql}"
        ),
        merged(theirs.params, {"id": import_id}),
    ).first()


def _upload(row: dict[str, Any]) -> dict[str, Any]:
    row["counts"] = {status: row.pop(status) for status in STATUSES}
    row["status"] = upload_status(row["counts"])
    return row


def upload_status(counts: dict[str, int]) -> str | None:
    """An upload is pending while any of its facts is; once none is, it has the status all
    its facts share, else it is "partly approved". None: no fact is linked to it (an upload
    made before uploads named their facts)."""
    if counts["pending"]:
        return "pending"
    decided = [status for status in STATUSES if counts[status]]
    if not decided:
        return None
    return decided[0] if len(decided) == 1 else "partly approved"


def facts(
    conn: Connection,
    organisations: frozenset[int] | None,
    limit: int,
    offset: int,
    import_id: int | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """Submitted facts of ``organisations`` (None: of all), newest first: of the upload
    ``import_id`` and in ``status`` if given."""
    parts = []
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    for alias in ("h", "e"):
        where = all_of(
            [
                Clause(submitted(alias)),
                of_organisations(alias, organisations),
                TRUE
                if import_id is None
                else Clause(f"{alias}.import_id = :import_id", {"import_id": import_id}),
                TRUE if status is None else Clause(f"{alias}.status = :status", {"status": status}),
            ]
        )
        parts.append(where.sql)
        params = merged(params, where.params)  # the same values under the same names
    rows = conn.execute(
        text(
            f"""
            SELECT 'hazard' AS type, h.reference AS id, h.reference AS hazard_reference,
                   'record ' || h.hazard_class AS kind, h.recorded_on AS date, h.import_id,
                   i.file_name, h.status, h.recorded_at, h.recorded_by, o.name AS organisation,
                   h.organisation_id, h.reviewed_by, h.reviewed_at, h.review_reason AS reason,
                   h.footprint_m2 AS requested_m2, false AS voided, h.seq
              FROM hazards h
              LEFT JOIN imports i ON i.id = h.import_id
              LEFT JOIN organisations o ON o.id = h.organisation_id
             WHERE {parts[0]}
            UNION ALL
            SELECT 'event', e.id::text, hz.reference, e.kind, e.occurred_on, e.import_id,
                   i.file_name, e.status, e.recorded_at, e.recorded_by, o.name,
                   e.organisation_id, e.reviewed_by, e.reviewed_at, e.review_reason,
                   e.requested_m2, NOT ({not_voided("e").sql}), e.seq
              FROM events e
              JOIN hazards hz ON hz.id = e.hazard_id
              LEFT JOIN imports i ON i.id = e.import_id
              LEFT JOIN organisations o ON o.id = e.organisation_id
             WHERE {parts[1]}
             ORDER BY recorded_at DESC, seq DESC LIMIT :limit OFFSET :offset
            """
        ),
        params,
    )
    return [row._asdict() for row in rows]


def pending_of_upload(conn: Connection, import_id: int) -> list[tuple[str, str]]:
    """The (type, id) of the upload's facts awaiting review, hazards first, in ledger order."""
    rows = conn.execute(
        text(
            """
            SELECT 'hazard' AS type, reference AS id, seq FROM hazards
             WHERE import_id = :id AND status = 'pending'
            UNION ALL
            SELECT 'event', id::text, seq FROM events
             WHERE import_id = :id AND status = 'pending'
             ORDER BY type DESC, seq
            """
        ),
        {"id": import_id},
    )
    return [(row.type, row.id) for row in rows]
