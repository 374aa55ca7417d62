"""Import reports."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, text

from app.auth.principal import Principal


def applied_before(conn: Connection, sha256: str, target: str) -> Any:
    return conn.execute(
        text(
            "SELECT id, recorded_at FROM imports "
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
    conn: Connection, organisation_id: int | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    rows = conn.execute(
        text(
            """
            SELECT id, file_name, size_bytes, sha256, target, status, features_read, accepted,
                   rejected, recorded_at, recorded_by
              FROM imports
             WHERE CAST(:org AS integer) IS NULL OR organisation_id = :org
             ORDER BY id DESC LIMIT :limit OFFSET :offset
            """
        ),
        {"org": organisation_id, "limit": limit, "offset": offset},
    )
    return [row._asdict() for row in rows]


def report(conn: Connection, import_id: int, organisation_id: int | None) -> Any:
    return conn.execute(
        text(
            "SELECT report FROM imports WHERE id = :id "
            "AND (CAST(:org AS integer) IS NULL OR organisation_id = :org)"
        ),
        {"id": import_id, "org": organisation_id},
    ).scalar()
