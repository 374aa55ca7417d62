"""Import reports."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from app.auth.principal import Principal
from app.storage.conditions import of_organisations
from app.storage.sql import merged


class FileHeld(NamedTuple):
    """The upload that holds a file: its facts are in the ledger, pending or official."""

    import_id: int
    recorded_at: datetime
    organisation_id: int | None


def reserve_id(conn: Connection) -> int:
    """An id for an import whose facts are recorded before its row is written (with the
    report, once they are): they name it from the start."""
    return int(
        conn.execute(text("SELECT nextval(pg_get_serial_sequence('imports', 'id'))")).scalar_one()
    )


def hold_file(conn: Connection, sha256: str, target: str, import_id: int) -> FileHeld | None:
    """Hold the file ``sha256`` for ``target`` for the import ``import_id``; None when it is
    held now, else the import that holds it already.

    The primary key of imported_files decides: an upload of the same file running at the
    same moment waits here until the first one's transaction ends, and finds the file held
    if that one committed.
    """
    attempt = conn.begin_nested()
    try:
        conn.execute(
            text(
                "INSERT INTO imported_files (sha256, target, import_id) VALUES (:sha, :target, :id)"
            ),
            {"sha": sha256, "target": target, "id": import_id},
        )
    except IntegrityError:
        attempt.rollback()
        holder = file_holder(conn, sha256, target)
        assert holder is not None  # the row that refused this one is committed
        return holder
    attempt.commit()
    return None


def file_holder(conn: Connection, sha256: str, target: str) -> FileHeld | None:
    """The import holding the file ``sha256`` for ``target``, if one does."""
    row = conn.execute(
        text(
            """
            SELECT f.import_id, i.recorded_at, i.organisation_id
              FROM imported_files f JOIN imports i ON i.id = f.import_id
             WHERE f.sha256 = :sha AND f.target = :target
            """
        ),
        {"sha": sha256, "target": target},
    ).first()
    return None if row is None else FileHeld(row.import_id, row.recorded_at, row.organisation_id)


def release_file_if_settled(conn: Connection, import_id: int) -> None:
    """Give the file of ``import_id`` back once none of its facts is pending or official (it
    was withdrawn or rejected whole): a corrected submission of it may be sent again."""
    conn.execute(
        text(
            """
            DELETE FROM imported_files f
             WHERE f.import_id = :id
               AND NOT EXISTS (SELECT 1 FROM hazards h WHERE h.import_id = :id
                                  AND h.status IN ('pending', 'approved'))
               AND NOT EXISTS (SELECT 1 FROM events e WHERE e.import_id = :id
                                  AND e.status IN ('pending', 'approved'))
            """
        ),
        {"id": import_id},
    )


def insert(conn: Connection, import_id: int, report: dict[str, Any], by: Principal | None) -> int:
    """Write the import ``import_id`` (reserved by ``reserve_id``) with its report."""
    return conn.execute(
        text(
            """
            INSERT INTO imports (id, file_name, size_bytes, sha256, target, status,
                                 features_read, accepted, rejected, report, recorded_by,
                                 organisation_id)
            OVERRIDING SYSTEM VALUE
            VALUES (:id, :file_name, :size_bytes, :sha256, :target, :status, :features_read,
                    :accepted, :rejected, CAST(:report AS jsonb), :by, :org)
            RETURNING id
            """
        ),
        {
            "id": import_id,
            **{
                k: report[k]
                for k in (
                    "file_name",
                    "size_bytes",
                    "sha256",
                    "target",
                    "status",
                    "features_read",
                    "accepted",
                    "rejected",
                )
            },
            "report": json.dumps(report, default=str),
            "by": by.user_name if by else None,
            "org": by.organisation_id if by else None,
        },
    ).scalar_one()


def listing(
    conn: Connection, organisations: frozenset[int] | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    """Imports of ``organisations`` (None: of all), newest first."""
    theirs = of_organisations("i", organisations)
    rows = conn.execute(
        text(
            f"""
            SELECT i.id, i.file_name, i.size_bytes, i.sha256, i.target, i.status,
                   i.features_read, i.accepted, i.rejected, i.recorded_at, i.recorded_by
              FROM imports i
             WHERE {theirs.sql}
             ORDER BY i.id DESC LIMIT :limit OFFSET :offset
            """
        ),
        merged(theirs.params, {"limit": limit, "offset": offset}),
    )
    return [row._asdict() for row in rows]


def report(conn: Connection, import_id: int, organisations: frozenset[int] | None) -> Any:
    """The report of an import of ``organisations`` (None: of any); None when there is none."""
    theirs = of_organisations("i", organisations)
    return conn.execute(
        text(f"SELECT i.report FROM imports i WHERE i.id = :id AND {theirs.sql}"),
        merged(theirs.params, {"id": import_id}),
    ).scalar()
