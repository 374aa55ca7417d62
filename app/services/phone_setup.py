"""The QR code that sets up ODK Collect or KoboCollect for the service and a team's account.

Collect reads settings as JSON, zlib-compressed, base64 (its own QR codes are made so). The
server URL carries a new API token of the caller (/openrosa/key/<token>): no password is in
the code, and revoking the token takes the phone off the service.
"""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import dataclass

import segno
from sqlalchemy import Connection

from app.auth.principal import Principal
from app.services.accounts import create_token

PHONE_TOKEN_DAYS = 365


@dataclass(frozen=True)
class PhoneSetup:
    server_url: str
    token_id: int
    payload: str  # what the QR code holds
    svg: str


def collect_settings(server_url: str, project: str) -> str:
    settings = {
        "general": {
            "server_url": server_url,
            "form_update_mode": "match_exactly",
            "periodic_form_updates_check": "every_one_hour",
            "autosend": "wifi_and_cellular",
        },
        "admin": {"change_server": False},
        "project": {"name": project, "color": "#c0392b"},
    }
    raw = json.dumps(settings, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.b64encode(zlib.compress(raw)).decode("ascii")


def phone_setup(conn: Connection, base_url: str, by: Principal) -> PhoneSetup:
    """A new key for ``by``'s phone and the QR code that gives it to Collect."""
    assert by.user_name is not None
    issued = create_token(conn, by.user_name, valid_days=PHONE_TOKEN_DAYS, by=by)
    server_url = f"{base_url.rstrip('/')}/openrosa/key/{issued.token}"
    payload = collect_settings(server_url, f"Land release ({by.user_name})")
    svg = segno.make(payload, error="l", micro=False).svg_inline(scale=4)
    return PhoneSetup(server_url, issued.id, payload, svg)
