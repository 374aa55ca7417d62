"""The programme's treaty settings: the version in force (or as known at a moment), and
replacing them, each version kept and audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from app.auth.principal import Principal
from app.dates import check_plausible
from app.errors import NotFound
from app.storage import audit
from app.storage import programme as stored
from app.treaty.programme import Programme


def current(conn: Connection, known_at: datetime | None = None) -> Programme:
    """The settings in force now, or as they stood at ``known_at`` (a version kept in the
    form that held the CCM alone is read as the CCM's)."""
    document = stored.current(conn, known_at)
    if document is None:
        raise NotFound(code="programme.not_set")
    return Programme.model_validate(document)


def replace(conn: Connection, programme: Programme, principal: Principal) -> int:
    """Keep a new version of the settings; its number. Every date must be plausible."""
    for treaty, settings in programme.treaties.named().items():
        for field, day in settings.dates():
            check_plausible(day, f"treaties.{treaty.value}.{field}")
    document = programme.stored()
    version = stored.insert(conn, document, principal.user_name)
    audit.append(conn, principal, "set", "programme", version, document)
    return version
