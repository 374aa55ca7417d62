"""Signing in with a user name and password (the web interface), and who the caller is."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Annotated

from fastapi import APIRouter, Body, Request
from sqlalchemy import Connection

from app.api.deps import ConnectionDep, request_transaction
from app.api.models.access import Caller, Session
from app.api.rate_limits import SlidingWindow
from app.api.security import PrincipalDep
from app.auth.principal import Principal
from app.errors import TooManyRequests, Unauthenticated
from app.services import accounts
from app.settings import rate_settings
from app.storage import accounts as account_rows

router = APIRouter(prefix="/api/v1", tags=["session"])


@router.post(
    "/session",
    status_code=201,
    response_model=Session,
    summary="Sign in: a token valid for 12 hours",
    responses={429: {"description": "too many attempts from this address or for this user"}},
)
def sign_in(
    request: Request,
    user: Annotated[str, Body(min_length=1, max_length=200)],
    password: Annotated[str, Body(min_length=1, max_length=1000)],
) -> dict:
    name = user.strip()
    limits = _sign_in_limits()
    address = request.client.host if request.client else "unknown"
    # Every attempt from an address counts; for an account, the failed ones.
    wait = limits.failures.wait_s(name) or limits.addresses.hit(address)
    if wait:
        raise too_many_sign_ins(wait)
    try:
        issued, principal = accounts.sign_in(lambda: request_transaction(False), name, password)
    except Unauthenticated:
        limits.failures.add(name)
        raise
    limits.failures.forget(name)
    with request_transaction(True) as conn:
        who = _who(conn, principal)
    return {"token": issued.token, "expires_at": issued.expires_at, **who}


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


@dataclass(frozen=True)
class _SignInLimits:
    addresses: SlidingWindow
    failures: SlidingWindow


@cache
def _sign_in_limits() -> _SignInLimits:
    settings = rate_settings()
    return _SignInLimits(
        SlidingWindow(settings.sign_in_per_address, settings.sign_in_window_s),
        SlidingWindow(settings.sign_in_failures_per_account, settings.sign_in_window_s),
    )


def password_failures() -> SlidingWindow:
    """Wrong passwords per account, which every place that checks a password counts."""
    return _sign_in_limits().failures


def too_many_sign_ins(wait_s: int) -> TooManyRequests:
    """The refusal of a password checked too often: the same wherever it is checked."""
    return TooManyRequests(
        f"too many sign-in attempts: try again in {wait_s} s",
        retry_after_s=wait_s,
        code="sign_in.too_many",
        params={"seconds": wait_s},
    )


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
