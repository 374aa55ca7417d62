"""Who the caller is, signing in, and the audit log of who changed what."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from app.api.models.common import ResponseModel
from app.auth.principal import Role


class Caller(ResponseModel):
    """The caller; anonymous: nulls."""

    user: str | None
    role: Role | None
    organisation: str | None


class IssuedToken(ResponseModel):
    token: str = Field(description="send it as 'Authorization: Bearer <token>'; shown once")
    expires_at: dt.datetime | None


class Session(Caller, IssuedToken):
    """A token, and the caller it signs in."""


class AuditEntry(ResponseModel):
    id: int
    at: dt.datetime
    user: str | None
    organisation: str | None
    action: str
    object_type: str
    object_id: str | None
    detail: dict[str, Any]
    remote_addr: str | None


class AuditEntries(ResponseModel):
    count: int
    entries: list[AuditEntry]
