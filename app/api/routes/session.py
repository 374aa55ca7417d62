"""Signing in with a user name and password (the web interface), and who the caller is."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request
from sqlalchemy import Connection

from app.api.deps import ConnectionDep
from app.api.models.access import Caller, Session
from app.api.security import PrincipalDep
from app.auth.principal import Principal
from app.errors import Unauthenticated
from app.services import accounts
from app.storage import accounts as account_rows

router = APIRouter(prefix="/api/v1", tags=["session"])


@router.post(
    "/session",
    status_code=201,
    response_model=Session,
    summary="Sign in: a token valid for 12 hours",
)
def sign_in(
    conn: ConnectionDep,
    user: Annotated[str, Body(min_length=1, max_length=200)],
    password: Annotated[str, Body(min_length=1, max_length=1000)],
) -> dict:
    issued, principal = accounts.sign_in(conn, user.strip(), password)
    return {
        "token": issued.token,
        "expires_at": issued.expires_at,
        **_who(conn, principal),
    }


@router.delete("/session", status_code=204, summary="Sign out: the token is revoked")
def sign_out(conn: ConnectionDep, principal: PrincipalDep, request: Request) -> None:
    if principal.anonymous:
        raise Unauthenticated(code="access.not_signed_in")
    token = request.headers["authorization"].partition(" ")[2].strip()
    accounts.revoke_token(conn, accounts.token_id_of(conn, token), by=principal)


@router.get(
    "/me",
    response_model=Caller,
    summary="The caller: user, role and organisation (anonymous: nulls)",
)
def me(conn: ConnectionDep, principal: PrincipalDep) -> dict:
    return _who(conn, principal)


def _who(conn: Connection, principal: Principal) -> dict:
    organisation = (
        account_rows.organisation_name(conn, principal.organisation_id)
        if principal.organisation_id
        else None
    )
    return {
        "user": principal.user_name,
        "role": principal.role.value if principal.role else None,
        "organisation": organisation,
    }
