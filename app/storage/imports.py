"""Import reports."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, text

from app.auth.principal import Principal
from app.storage.conditions import of_organisations
from app.storage.sql import merged


def applied_before(conn: Connection, sha256: str, target: str) -> Any:
    return conn.execute(
        text(
            "SELECT id, recorded_at, organisation_id FROM imports "
            "WHERE sha256 = :sha AND target = :target AND status = 'applied' ORDER BY id LIMIT 1"
        ),
        {"sha": sha256, "target": target},
    ).first()


def insert(conn: Connection, report: dict[str, Any], by: Principal | None) -> int:
    return conn.execute(
        text(
            """
            INSERT INTO imports (file_name, size_bytes, sha256, target, status, features_read,
                                 accepted, rejected, report, recorded_by, organisation_id)
            VALUES (:file_name, :size_bytes, :sha256, :target, :status, :features_read,
                    :accepted, :rejected, CAST(:report AS jsonb), :by, :org)
            RETURNING id
            """
        ),
        {
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
