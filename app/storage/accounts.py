"""Organisations, users and API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text


def organisation_id(conn: Connection, name: str) -> int | None:
    return conn.execute(
        text("SELECT id FROM organisations WHERE name = :name"), {"name": name}
    ).scalar()


def insert_organisation(conn: Connection, name: str) -> int:
    return conn.execute(
        text("INSERT INTO organisations (name) VALUES (:name) RETURNING id"), {"name": name}
    ).scalar_one()


def insert_user(
    conn: Connection,
    name: str,
    organisation: int,
    role: str,
    password_hash: str | None,
    digest_ha1: str | None = None,
) -> int:
    return conn.execute(
        text(
            """
            INSERT INTO users (name, organisation_id, role, password_hash, digest_ha1)
            VALUES (:name, :organisation, :role, :password_hash, :digest_ha1) RETURNING id
            """
        ),
        {
            "name": name,
            "organisation": organisation,
            "role": role,
            "password_hash": password_hash,
            "digest_ha1": digest_ha1,
        },
    ).scalar_one()


def organisation_name(conn: Connection, organisation_id: int) -> str | None:
    return conn.execute(
        text("SELECT name FROM organisations WHERE id = :id"), {"id": organisation_id}
    ).scalar()


def user_by_name(conn: Connection, name: str) -> Any:
    return conn.execute(
        text(
            """
            SELECT u.id, u.name, u.role, u.organisation_id, u.active, u.password_hash,
                   u.digest_ha1, o.name AS organisation
              FROM users u JOIN organisations o ON o.id = u.organisation_id
             WHERE u.name = :name
            """
        ),
        {"name": name},
    ).first()


def set_password(conn: Connection, user_id: int, password_hash: str, digest_ha1: str) -> None:
    conn.execute(
        text("UPDATE users SET password_hash = :hash, digest_ha1 = :ha1 WHERE id = :id"),
        {"id": user_id, "hash": password_hash, "ha1": digest_ha1},
    )


def set_digest_ha1(conn: Connection, user_id: int, digest_ha1: str) -> None:
    """The Digest form of a password checked just now, for an account that had none."""
    conn.execute(
        text("UPDATE users SET digest_ha1 = :ha1 WHERE id = :id AND digest_ha1 IS NULL"),
        {"id": user_id, "ha1": digest_ha1},
    )


def operator_accounts(conn: Connection, organisation_id: int | None) -> list[Any]:
    """The active operator accounts of an organisation (None: of every organisation)."""
    return list(
        conn.execute(
            text(
                """
                SELECT u.name, o.name AS organisation, u.digest_ha1 IS NOT NULL AS digest_ready,
                       u.password_hash IS NOT NULL AS has_password
                  FROM users u JOIN organisations o ON o.id = u.organisation_id
                 WHERE u.active AND u.role = 'operator'
                   AND (CAST(:organisation AS bigint) IS NULL OR u.organisation_id = :organisation)
                 ORDER BY o.name, u.name
                """
            ),
            {"organisation": organisation_id},
        )
    )


def count_users(conn: Connection) -> int:
    return conn.execute(text("SELECT count(*) FROM users")).scalar_one()


def insert_token(
    conn: Connection,
    user_id: int,
    token_hash: str,
    prefix: str,
    role: str,
    expires_at: datetime | None,
) -> int:
    return conn.execute(
        text(
            """
            INSERT INTO api_tokens (user_id, token_hash, prefix, role, expires_at)
            VALUES (:user_id, :token_hash, :prefix, :role, :expires_at) RETURNING id
            """
        ),
        {
            "user_id": user_id,
            "token_hash": token_hash,
            "prefix": prefix,
            "role": role,
            "expires_at": expires_at,
        },
    ).scalar_one()


def token_holder(conn: Connection, token_hash: str) -> Any:
    """The user behind a token that is valid now, with the token's role; None otherwise."""
    return conn.execute(
        text(
            """
            SELECT u.id AS user_id, u.name AS user_name, u.organisation_id, t.role, t.id,
                   t.expires_at
              FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = :token_hash AND t.revoked_at IS NULL AND u.active
               AND (t.expires_at IS NULL OR t.expires_at > now())
            """
        ),
        {"token_hash": token_hash},
    ).first()


def revoke_token(conn: Connection, token_id: int) -> Any:
    return conn.execute(
        text(
            """
            UPDATE api_tokens SET revoked_at = clock_timestamp()
             WHERE id = :id AND revoked_at IS NULL
            RETURNING id, user_id, prefix
            """
        ),
        {"id": token_id},
    ).first()


def token_id_by_hash(conn: Connection, token_hash: str) -> int | None:
    return conn.execute(
        text("SELECT id FROM api_tokens WHERE token_hash = :h"), {"h": token_hash}
    ).scalar()
