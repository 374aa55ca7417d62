"""Authentication of requests and the access check of each route (rules: app.auth.policy)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection

from app.api.deps import ConnectionDep
from app.auth.policy import Action, permits
from app.auth.principal import Principal
from app.errors import Forbidden, Unauthenticated
from app.services.accounts import authenticate

bearer = HTTPBearer(
    auto_error=False,
    description="API token (`python -m app tokens create`); without one the caller is anonymous",
)


def current_principal(
    request: Request,
    # Declared for the API's definition (its security scheme); read below with Basic.
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    conn: ConnectionDep,
) -> Principal:
    """The caller, looked up on the request's own connection (one checkout per request)."""
    remote = request.client.host if request.client else None
    return principal_of(conn, request.headers.get("authorization"), remote)


def principal_of(conn: Connection, authorization: str | None, remote: str | None) -> Principal:
    """The caller an Authorization header names: a bearer token, or the token sent as the
    password of Basic authentication; anonymous without the header."""
    if not authorization:
        return Principal(remote_addr=remote)
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        token = value.strip()
    else:
        token = _basic_password(authorization)
    return authenticate(conn, token, remote)


def _basic_password(header: str) -> str:
    """The token sent as the password of HTTP Basic authentication: GIS clients (QGIS,
    ArcGIS, GDAL) that cannot send a bearer token can send that (any user name)."""
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic":
        try:
            _, _, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            password = ""
        if password:
            return password.strip()
    raise Unauthenticated(code="access.how_to_send_token")


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def check(principal: Principal, action: Action) -> None:
    if permits(principal.role, action):
        return
    what = {"action": action.name.lower()}
    if principal.anonymous:
        raise Unauthenticated(code="access.sign_in", params=what)
    raise Forbidden(code="access.role_may_not", params={**what, "role": str(principal.role)})


def allow(action: Action) -> Callable[[Principal], Principal]:
    """Route dependency: the caller, once allowed to perform ``action``."""

    def dependency(principal: PrincipalDep) -> Principal:
        check(principal, action)
        return principal

    return dependency
