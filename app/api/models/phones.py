"""Setting up a phone."""

from __future__ import annotations

from pydantic import Field

from app.api.models.common import ResponseModel


class PhoneSetup(ResponseModel):
    server_url: str = Field(description="the server URL for ODK Collect, with the phone's key")
    token_id: int = Field(description="the phone's key (an API token): revoke it to cut it off")
    payload: str = Field(description="what the QR code holds: Collect's settings")
    svg: str = Field(description="the QR code, as SVG to scan from ODK Collect or KoboCollect")
