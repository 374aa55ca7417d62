"""Setting up ODK Collect or KoboCollect: a QR code with the server and a key of the team's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from app.api.deps import ConnectionDep
from app.api.models.phones import PhoneSetup
from app.api.security import allow
from app.auth.policy import Action
from app.auth.principal import Principal
from app.services.phone_setup import phone_setup

router = APIRouter(prefix="/api/v1/phones", tags=["phones"])

Submitter = Annotated[Principal, Depends(allow(Action.SUBMIT))]


@router.post(
    "/setup",
    response_model=PhoneSetup,
    status_code=201,
    summary="A QR code that sets up a phone for the service with a new key of the caller's",
)
def create_phone_setup(request: Request, conn: ConnectionDep, principal: Submitter) -> dict:
    scheme = request.headers.get("x-forwarded-proto", request.url.scheme).split(",")[0].strip()
    host = request.headers.get("x-forwarded-host", request.headers.get("host", request.url.netloc))
    base = f"{scheme}://{host.split(',')[0].strip()}{request.scope.get('root_path', '')}"
    setup = phone_setup(conn, base, principal)
    return {
        "server_url": setup.server_url,
        "token_id": setup.token_id,
        "payload": setup.payload,
        "svg": setup.svg,
    }
