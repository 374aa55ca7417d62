"""Setting up ODK Collect or KoboCollect: a QR code with the server and a key of the team's,
or with one of the team's operator accounts (the Phones page of the web interface)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request

from app.api.deps import ConnectionDep
from app.api.models.phones import PhoneAccounts, PhoneAccountSetup, PhoneSetup
from app.api.routes.session import password_failures, too_many_sign_ins
from app.api.security import allow
from app.auth.policy import Action, may_set_new_password
from app.auth.principal import Principal
from app.errors import InvalidInput
from app.services import phone_setup as setups

router = APIRouter(prefix="/api/v1/phones", tags=["phones"])

Submitter = Annotated[Principal, Depends(allow(Action.SUBMIT))]
TeamLeader = Annotated[Principal, Depends(allow(Action.SET_UP_PHONES))]


def base_url(request: Request) -> str:
    """The service's URL as the browser reached it (a proxy's forwarded one)."""
    scheme = request.headers.get("x-forwarded-proto", request.url.scheme).split(",")[0].strip()
    host = request.headers.get("x-forwarded-host", request.headers.get("host", request.url.netloc))
    return f"{scheme}://{host.split(',')[0].strip()}{request.scope.get('root_path', '')}"


@router.post(
    "/setup",
    response_model=PhoneSetup,
    status_code=201,
    summary="A QR code that sets up a phone for the service with a new key of the caller's",
)
def create_phone_setup(request: Request, conn: ConnectionDep, principal: Submitter) -> dict:
    setup = setups.phone_setup(conn, base_url(request), principal)
    return {
        "server_url": setup.server_url,
        "token_id": setup.token_id,
        "payload": setup.payload,
        "svg": setup.svg,
    }


@router.get(
    "/accounts",
    response_model=PhoneAccounts,
    summary="The operator accounts the caller may set phones up with (a team leader: its team's)",
)
def phone_accounts(conn: ConnectionDep, principal: TeamLeader) -> dict:
    return {
        "accounts": setups.phone_accounts(conn, principal),
        "may_set_new_password": may_set_new_password(principal),
    }


@router.post(
    "/accounts",
    response_model=PhoneAccountSetup,
    status_code=201,
    summary="A new operator account of the team, with a new password, and its QR code",
)
def create_phone_account(
    request: Request,
    conn: ConnectionDep,
    principal: TeamLeader,
    name: Annotated[str, Body(min_length=1, max_length=100)],
    organisation: Annotated[
        str | None, Body(max_length=200, description="an admin's choice; a team leader's own")
    ] = None,
) -> dict:
    made = setups.new_phone_account(conn, base_url(request), name, organisation, principal)
    return made.__dict__


@router.post(
    "/accounts/{name}/setup",
    response_model=PhoneAccountSetup,
    summary="The QR code for an operator account: with its password, or a new one (admin)",
)
def phone_account_setup(
    name: str,
    request: Request,
    conn: ConnectionDep,
    principal: TeamLeader,
    password: Annotated[
        str | None,
        Body(
            embed=True,
            min_length=1,
            max_length=1000,
            description="the account's password; left out: a new one is made (an admin's)",
        ),
    ] = None,
) -> dict:
    failures = password_failures()
    if password is not None:
        # A password checked here is guessed no faster than at sign-in.
        wait = failures.wait_s(name)
        if wait:
            raise too_many_sign_ins(wait)
    try:
        setup = setups.phone_account_setup(conn, base_url(request), name, password, principal)
    except InvalidInput as wrong:
        if wrong.code == "phone.wrong_password":
            failures.add(name)
        raise
    if password is not None:
        failures.forget(name)
    return setup.__dict__
