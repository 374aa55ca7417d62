"""The audit log: every write, who, when, what, from where. Append-only."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from app.auth.principal import Principal
from app.storage import bulk


def append(
    conn: Connection,
    by: Principal | None,
    action: str,
    object_type: str,
    object_id: object,
    detail: dict[str, Any] | None = None,
) -> None:
    append_many(conn, by, action, object_type, [(object_id, detail)])


def append_many(
    conn: Connection,
    by: Principal | None,
    action: str,
    object_type: str,
    entries: list[tuple[object, dict[str, Any] | None]],
) -> None:
    """One audit entry per object, written in one round trip (with COPY)."""
    if not entries:
        return
    by = by or Principal()
    bulk.copy_rows(
        conn,
        "audit_log",
        (
            "user_id",
            "user_name",
            "organisation_id",
            "action",
            "object_type",
            "object_id",
            "detail",
            "remote_addr",
        ),
        (
            (
                by.user_id,
                by.user_name,
                by.organisation_id,
                action,
                object_type,
                None if object_id is None else str(object_id),
                json.dumps(detail or {}, default=str),
                by.remote_addr,
            )
            for object_id, detail in entries
        ),
    )


def entries(
    conn: Connection,
    *,
    user: str | None = None,
    organisation: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    conditions = ["true"]
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    for column, value, name in (
        ("a.user_name", user, "user"),
        ("o.name", organisation, "organisation"),
        ("a.object_type", object_type, "object_type"),
        ("a.object_id", object_id, "object_id"),
    ):
        if value is not None:
            conditions.append(f"{column} = :{name}")
            params[name] = value
    if since is not None:
        conditions.append("a.at >= :since")
        params["since"] = since
    if until is not None:
        conditions.append("a.at < :until")
        params["until"] = until
    rows = conn.execute(
        text(
            f"""
            SELECT a.id, a.at, a.user_name AS user, o.name AS organisation, a.action,
                   a.object_type, a.object_id, a.detail, a.remote_addr
              FROM audit_log a LEFT JOIN organisations o ON o.id = a.organisation_id
             WHERE {" AND ".join(conditions)}
             ORDER BY a.at, a.id
             LIMIT :limit OFFSET :offset
            """
        ),
        params,
    )
    return [row._asdict() for row in rows]
