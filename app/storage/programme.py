"""Versions of the programme's treaty settings."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text


def current(conn: Connection, known_at: datetime | None = None) -> dict[str, Any] | None:
    """The settings in force now, or as they stood at ``known_at``."""
    return conn.execute(
        text(
            """
            SELECT document FROM programme_versions
             WHERE CAST(:known_at AS timestamptz) IS NULL OR recorded_at <= :known_at
             ORDER BY id DESC LIMIT 1
            """
        ),
        {"known_at": known_at},
    ).scalar()


def insert(conn: Connection, document: dict[str, Any], recorded_by: str | None) -> int:
    return conn.execute(
        text(
            "INSERT INTO programme_versions (document, recorded_by) "
            "VALUES (CAST(:document AS jsonb), :by) RETURNING id"
        ),
        {"document": json.dumps(document, default=str), "by": recorded_by},
    ).scalar_one()
