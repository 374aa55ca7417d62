"""User accounts: an admin sets a password again (which also lets phones sign in by Digest)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends

from app.api.deps import ConnectionDep
from app.api.security import allow
from app.auth.policy import Action
from app.auth.principal import Principal
from app.services import accounts

router = APIRouter(prefix="/api/v1/users", tags=["session"])

Admin = Annotated[Principal, Depends(allow(Action.SET_PASSWORDS))]


@router.put(
    "/{name}/password",
    status_code=204,
    summary="Set a user's password (its old one stops working; phones may use the new one)",
)
def set_password(
    name: str,
    conn: ConnectionDep,
    principal: Admin,
    password: Annotated[str, Body(embed=True, min_length=8, max_length=1000)],
) -> None:
    accounts.set_password(conn, name, password, by=principal)
