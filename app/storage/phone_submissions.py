"""Instances sent by phones (ODK Collect, KoboCollect) and their photos."""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Connection, text

from app.storage.conditions import of_organisations, official
from app.storage.sql import merged

# For an upload ``i``: the upload of the form a phone's edited form edits (NULL: none).
EDIT_OF = """(SELECT r.import_id FROM phone_submissions ps
            JOIN phone_submissions r ON r.instance_id = ps.replaces
           WHERE ps.import_id = i.id LIMIT 1)"""


class Received(NamedTuple):
    """An instance received before: the digest of its XML and the upload it came with."""

    xml_sha256: str
    import_id: int


def received(conn: Connection, instance_id: str) -> Received | None:
    row = conn.execute(
        text("SELECT xml_sha256, import_id FROM phone_submissions WHERE instance_id = :id"),
        {"id": instance_id},
    ).first()
    return None if row is None else Received(row.xml_sha256, row.import_id)


def insert(
    conn: Connection,
    instance_id: str,
    form_id: str,
    form_version: str | None,
    xml_sha256: str,
    import_id: int,
    device_id: str | None,
    user_agent: str | None,
    received_by: str | None,
    replaces: str | None = None,
) -> None:
    conn.execute(
        text(
            """
            INSERT INTO phone_submissions (instance_id, form_id, form_version, xml_sha256,
                                           import_id, device_id, user_agent, received_by,
                                           replaces)
            VALUES (:instance_id, :form_id, :form_version, :xml_sha256, :import_id,
                    :device_id, :user_agent, :received_by, :replaces)
            """
        ),
        {
            "instance_id": instance_id,
            "form_id": form_id,
            "form_version": form_version,
            "xml_sha256": xml_sha256,
            "import_id": import_id,
            "device_id": device_id,
            "user_agent": user_agent,
            "received_by": received_by,
            "replaces": replaces,
        },
    )


def successor(conn: Connection, instance_id: str) -> str | None:
    """The edited instance received in place of ``instance_id``, if any."""
    return conn.execute(
        text("SELECT instance_id FROM phone_submissions WHERE replaces = :id"),
        {"id": instance_id},
    ).scalar()


def fact_statuses(conn: Connection, import_id: int) -> set[str]:
    """The statuses of the facts an upload recorded (a phone's: one fact)."""
    return set(
        conn.execute(
            text(
                """
                SELECT status FROM hazards WHERE import_id = :id
                UNION SELECT status FROM events WHERE import_id = :id
                """
            ),
            {"id": import_id},
        ).scalars()
    )


def keep_attachment(
    conn: Connection, instance_id: str, name: str, content_type: str, content: bytes
) -> bool:
    """Keep a photo of an instance; False when it was kept already (a resend)."""
    kept = conn.execute(
        text(
            """
            INSERT INTO phone_attachments (instance_id, name, content_type, content)
            VALUES (:instance_id, :name, :content_type, :content)
            ON CONFLICT DO NOTHING
            RETURNING name
            """
        ),
        {
            "instance_id": instance_id,
            "name": name,
            "content_type": content_type,
            "content": content,
        },
    ).first()
    return kept is not None


def photos_of_import(
    conn: Connection, import_id: int, organisations: frozenset[int] | None
) -> list[dict[str, Any]]:
    """The photos sent with the instance of an upload of ``organisations`` (None: any)."""
    theirs = of_organisations("i", organisations)
    rows = conn.execute(
        text(
            f"""
            SELECT a.name, a.content_type, octet_length(a.content) AS size_bytes
              FROM phone_attachments a
              JOIN phone_submissions s ON s.instance_id = a.instance_id
              JOIN imports i ON i.id = s.import_id
             WHERE s.import_id = :id AND {theirs.sql}
             ORDER BY a.name
            """
        ),
        merged(theirs.params, {"id": import_id}),
    )
    return [row._asdict() for row in rows]


def photos_of_imports(conn: Connection, import_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The photos sent with each of these uploads (the caller decided they may be seen)."""
    rows = conn.execute(
        text(
            """
            SELECT s.import_id, a.name, a.content_type, octet_length(a.content) AS size_bytes
              FROM phone_attachments a
              JOIN phone_submissions s ON s.instance_id = a.instance_id
             WHERE s.import_id = ANY(:ids)
             ORDER BY s.import_id, a.name
            """
        ),
        {"ids": import_ids},
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row.import_id, []).append(
            {"name": row.name, "content_type": row.content_type, "size_bytes": row.size_bytes}
        )
    return found


def photo(conn: Connection, import_id: int, name: str, organisations: frozenset[int] | None) -> Any:
    """One photo (content_type, content) of an upload's instance; None when there is none."""
    theirs = of_organisations("i", organisations)
    return conn.execute(
        text(
            f"""
            SELECT a.content_type, a.content
              FROM phone_attachments a
              JOIN phone_submissions s ON s.instance_id = a.instance_id
              JOIN imports i ON i.id = s.import_id
             WHERE s.import_id = :id AND a.name = :name AND {theirs.sql}
            """
        ),
        merged(theirs.params, {"id": import_id, "name": name}),
    ).first()


def hazard_choices(conn: Connection, organisations: frozenset[int] | None) -> list[Any]:
    """The hazards a team may record against from a phone: the official ones and its own
    organisation's awaiting review (``organisations``; None: every organisation's)."""
    theirs = of_organisations("h", organisations)
    return list(
        conn.execute(
            text(
                f"""
                SELECT h.reference, h.hazard_class, h.contamination, h.region
                  FROM hazards h
                 WHERE {official("h")} OR (h.status = 'pending' AND {theirs.sql})
                 ORDER BY h.reference
                """
            ),
            theirs.params,
        )
    )
