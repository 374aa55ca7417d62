"""Setting up a phone."""

from __future__ import annotations

from pydantic import Field

from app.api.models.common import ResponseModel


class PhoneSetup(ResponseModel):
    server_url: str = Field(description="the server URL for ODK Collect, with the phone's key")
    token_id: int = Field(description="the phone's key (an API token): revoke it to cut it off")
    payload: str = Field(description="what the QR code holds: Collect's settings")
    svg: str = Field(description="the QR code, as SVG to scan from ODK Collect or KoboCollect")


class PhoneAccount(ResponseModel):
    name: str
    organisation: str
    digest_ready: bool = Field(
        description="whether Collect can sign in with it over http (HTTP Digest); false for an "
        "account made before phones, until its password is given once (here, at sign-in, or "
        "set again)"
    )
    has_password: bool


class PhoneAccounts(ResponseModel):
    accounts: list[PhoneAccount]
    may_set_new_password: bool = Field(description="whether the caller may make a new password")


class PhoneAccountSetup(ResponseModel):
    user: str
    organisation: str
    server_url: str = Field(description="the OpenRosa server URL Collect is given")
    password: str = Field(description="the account's password, which the QR code holds")
    new_password: bool = Field(description="whether the password was made now")
    payload: str = Field(description="what the QR code holds: Collect's settings")
    svg: str = Field(description="the QR code, as SVG")
