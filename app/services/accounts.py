"""Organisations, users and tokens: creating them, authenticating a token, revoking one."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection

from app.auth import digest
from app.auth.principal import TOKEN_ROLES, Principal, Role
from app.auth.secrets import hash_password, new_token, token_hash, verify_password
from app.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from app.services.callers import known_callers
from app.storage import accounts, audit


@dataclass(frozen=True)
class IssuedToken:
    id: int
    token: str  # shown once: only its hash is stored
    role: Role
    expires_at: datetime | None


def create_user(
    conn: Connection,
    name: str,
    organisation: str,
    role: Role,
    password: str | None = None,
    by: Principal | None = None,
) -> int:
    if accounts.user_by_name(conn, name) is not None:
        raise Conflict(code="account.user_exists", params={"name": name}, field="name")
    org_id = accounts.organisation_id(conn, organisation)
    if org_id is None:
        org_id = accounts.insert_organisation(conn, organisation)
        audit.append(conn, by, "create", "organisation", org_id, {"name": organisation})
    user_id = accounts.insert_user(
        conn,
        name,
        org_id,
        role.value,
        hash_password(password) if password else None,
        digest.ha1(name, password) if password else None,
    )
    audit.append(
        conn,
        by,
        "create",
        "user",
        user_id,
        {"name": name, "role": role.value, "organisation": organisation},
    )
    return user_id


def create_token(
    conn: Connection,
    user_name: str,
    role: Role | None = None,
    valid_days: int | None = None,
    by: Principal | None = None,
    valid_for: timedelta | None = None,
) -> IssuedToken:
    user = accounts.user_by_name(conn, user_name)
    if user is None:
        raise NotFound(code="account.no_user", params={"name": user_name}, field="user")
    user_role = Role(user.role)
    role = role or user_role
    if role not in TOKEN_ROLES[user_role]:
        raise InvalidInput(
            code="account.token_role",
            params={"name": user_name, "user_role": user_role.value, "role": role.value},
            field="role",
        )
    if valid_days is not None:
        valid_for = _validity(valid_days)
    expires_at = datetime.now(UTC) + valid_for if valid_for else None
    token = new_token()
    token_id = accounts.insert_token(conn, user.id, token_hash(token), token[:10], role, expires_at)
    audit.append(
        conn,
        by,
        "issue",
        "token",
        token_id,
        {"user": user_name, "role": role.value, "expires_at": expires_at},
    )
    return IssuedToken(token_id, token, role, expires_at)


# A token that expires does so after a whole number of days within this many.
MAX_VALID_DAYS = 3650


def _validity(days: int) -> timedelta:
    """A token is valid for a positive number of days (no token without an end is made by
    saying 0, none is made already expired)."""
    if not 1 <= days <= MAX_VALID_DAYS:
        raise InvalidInput(
            field="valid_days",
            code="token.validity",
            params={"max": MAX_VALID_DAYS, "days": days},
        )
    return timedelta(days=days)


SESSION_LENGTH = timedelta(hours=12)


def sign_in(
    transaction: Callable[[], AbstractContextManager[Connection]], name: str, password: str
) -> tuple[IssuedToken, Principal]:
    """A token for a user who gave the right password, valid for a working day. The error
    does not say which of the two was wrong.

    The password is checked whatever the account (against no one's for an unknown user), so
    every wrong answer takes the same time; and without holding a database connection, since
    hashes are computed a few at a time (app.auth.secrets) and sign-ins may queue for them.
    """
    with transaction() as conn:
        user = accounts.user_by_name(conn, name)
    stored = user.password_hash if user is not None and user.active else None
    if not verify_password(password, stored) or user is None:
        raise Unauthenticated(code="account.wrong_password")
    principal = Principal(user.id, user.name, Role(user.role), user.organisation_id)
    with transaction() as conn:
        issued = create_token(conn, name, by=principal, valid_for=SESSION_LENGTH)
        remember_digest(conn, name, password)
    return issued, principal


def password_holder(conn: Connection, name: str, password: str) -> Principal | None:
    """The active user ``name`` if ``password`` is theirs (HTTP Basic from a phone); the
    caller keeps its Digest form (``remember_digest``) in a transaction that may write."""
    user = accounts.user_by_name(conn, name)
    if user is None or not user.active or not verify_password(password, user.password_hash):
        return None
    return Principal(user.id, user.name, Role(user.role), user.organisation_id)


def remember_digest(conn: Connection, name: str, password: str) -> None:
    """Keep the Digest form of a password just checked, for an account made before phones
    could sign in (it had none): its phones can then sign in over http."""
    user = accounts.user_by_name(conn, name)
    if user is not None and user.digest_ha1 is None:
        accounts.set_digest_ha1(conn, user.id, digest.ha1(user.name, password))
        audit.append(conn, None, "keep_digest", "user", user.id, {"name": user.name})


def set_password(conn: Connection, name: str, password: str, by: Principal | None = None) -> None:
    """A new password for ``name`` (and its Digest form, for phones); the old one stops
    working at once, on the web and on the phones set up with it."""
    user = accounts.user_by_name(conn, name)
    if user is None:
        raise NotFound(code="account.no_user", params={"name": name}, field="user")
    if not password:
        raise InvalidInput(code="account.empty_password", field="password")
    accounts.set_password(conn, user.id, hash_password(password), digest.ha1(name, password))
    audit.append(conn, by, "set_password", "user", user.id, {"name": name})


def digest_holder(conn: Connection, name: str) -> tuple[Principal, str | None] | None:
    """The active user ``name`` with the HA1 of their password (None: set before phones
    could sign in; setting the password again gives one)."""
    user = accounts.user_by_name(conn, name)
    if user is None or not user.active:
        return None
    return Principal(user.id, user.name, Role(user.role), user.organisation_id), user.digest_ha1


def revoke_token(conn: Connection, token_id: int, by: Principal | None = None) -> None:
    revoked = accounts.revoke_token(conn, token_id)
    if revoked is None:
        raise NotFound(code="account.no_token_id", params={"id": token_id}, field="id")
    audit.append(conn, by, "revoke", "token", token_id, {"prefix": revoked.prefix})


def token_id_of(conn: Connection, token: str) -> int:
    token_id = accounts.token_id_by_hash(conn, token_hash(token))
    if token_id is None:
        raise NotFound(code="account.no_token", field="token")
    return token_id


def principal_of_user(conn: Connection, name: str) -> Principal:
    """A user acting from the command line, with the user's own role."""
    user = accounts.user_by_name(conn, name)
    if user is None or not user.active:
        raise NotFound(code="account.no_active_user", params={"name": name}, field="user")
    return Principal(user.id, user.name, Role(user.role), user.organisation_id, "command line")


def authenticate(conn: Connection, token: str, remote_addr: str | None = None) -> Principal:
    digest = token_hash(token)
    holder = known_callers.get(digest)
    if holder is None:
        generation = known_callers.generation()
        holder = accounts.token_holder(conn, digest)
        if holder is None:
            raise Unauthenticated(code="access.invalid_token")
        known_callers.keep(digest, holder, generation)
    return Principal(
        user_id=holder.user_id,
        user_name=holder.user_name,
        role=Role(holder.role),
        organisation_id=holder.organisation_id,
        remote_addr=remote_addr,
    )
