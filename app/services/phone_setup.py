"""The QR code that sets up ODK Collect or KoboCollect for the service and a team's account.

Collect reads settings as JSON, zlib-compressed, base64 (its own QR codes are made so). Two
kinds: the server URL with a new API token of the caller (/openrosa/key/<token>), which
revoking the token cuts off; or, from the Phones page, the server URL with an operator
account's user name and password (Collect signs in with Digest over http), which a new
password cuts off.
"""

from __future__ import annotations

import base64
import json
import secrets
import zlib
from dataclasses import dataclass

import segno
from sqlalchemy import Connection

from app.auth.policy import may_set_new_password, phone_accounts_of
from app.auth.principal import Principal, Role
from app.errors import Forbidden, InvalidInput, NotFound
from app.services import accounts
from app.services.accounts import create_token
from app.storage import accounts as account_rows

PHONE_TOKEN_DAYS = 365


@dataclass(frozen=True)
class PhoneSetup:
    server_url: str
    token_id: int
    payload: str  # what the QR code holds
    svg: str


def collect_settings(
    server_url: str, project: str, username: str | None = None, password: str | None = None
) -> str:
    general = {
        "server_url": server_url,
        "form_update_mode": "match_exactly",
        "periodic_form_updates_check": "every_one_hour",
        "autosend": "wifi_and_cellular",
    }
    if username is not None and password is not None:
        general |= {"username": username, "password": password}
    settings = {
        "general": general,
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
    return PhoneSetup(server_url, issued.id, payload, qr_svg(payload))


def qr_svg(payload: str) -> str:
    # Level L, as Collect makes its own codes: the smallest code, read well from a screen.
    return str(segno.make(payload, error="l", micro=False).svg_inline(scale=4, omitsize=True))


@dataclass(frozen=True)
class AccountSetup:
    user: str
    organisation: str
    server_url: str
    password: str
    new_password: bool  # the account's password was made now (shown this once)
    payload: str
    svg: str


def phone_accounts(conn: Connection, by: Principal) -> list[dict[str, object]]:
    """The operator accounts ``by`` may set phones up with, each saying whether it can sign
    in by Digest yet (an account made before phones cannot until its password is given)."""
    return [row._asdict() for row in account_rows.operator_accounts(conn, phone_accounts_of(by))]


def new_phone_account(
    conn: Connection, base_url: str, name: str, organisation: str | None, by: Principal
) -> AccountSetup:
    """A new operator account of the team (an admin names the organisation) with a new
    password, and the QR code that gives both to Collect."""
    team = phone_accounts_of(by)
    if team is not None:
        organisation = account_rows.organisation_name(conn, team)
    if not organisation:
        raise InvalidInput(code="phone.account_organisation", field="organisation")
    name = name.strip()
    if not name:
        raise InvalidInput(code="phone.account_name", field="name")
    password = new_password()
    accounts.create_user(conn, name, organisation, Role.OPERATOR, password, by=by)
    return _account_setup(conn, base_url, name, password, True)


def phone_account_setup(
    conn: Connection, base_url: str, name: str, password: str | None, by: Principal
) -> AccountSetup:
    """The QR code for an existing operator account: with its ``password`` (checked, and
    kept for Digest if the account had no Digest form yet), or a new one (an admin's)."""
    user = account_rows.user_by_name(conn, name)
    team = phone_accounts_of(by)
    if (
        user is None
        or not user.active
        or user.role != Role.OPERATOR
        or (team is not None and user.organisation_id != team)
    ):
        raise NotFound(code="phone.no_account", params={"name": name}, field="name")
    if password is None:
        if not may_set_new_password(by):
            raise Forbidden(code="phone.new_password_admin", field="password")
        password = new_password()
        accounts.set_password(conn, name, password, by=by)
        return _account_setup(conn, base_url, name, password, True)
    if accounts.password_holder(conn, name, password) is None:
        raise InvalidInput(code="phone.wrong_password", params={"name": name}, field="password")
    accounts.remember_digest(conn, name, password)
    return _account_setup(conn, base_url, name, password, False)


def _account_setup(
    conn: Connection, base_url: str, name: str, password: str, made: bool
) -> AccountSetup:
    user = account_rows.user_by_name(conn, name)
    server_url = f"{base_url.rstrip('/')}/openrosa"
    payload = collect_settings(server_url, f"Land release ({name})", name, password)
    return AccountSetup(
        name, user.organisation, server_url, password, made, payload, qr_svg(payload)
    )


# Letters and digits that cannot be read one for another (no 0/o, 1/l/i).
_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def new_password() -> str:
    """A password a person can copy from the screen if a phone cannot scan: 4 groups of 4
    (about 79 bits), ASCII, as Collect's Digest needs."""
    return "-".join("".join(secrets.choice(_READABLE) for _ in range(4)) for _ in range(4))
