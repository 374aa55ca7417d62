"""The audit log, for the authority: who changed what, when and from where."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.api.deps import ApiSettingsDep, ConnectionDep
from app.api.models.access import AuditEntries
from app.api.security import allow
from app.auth.policy import Action
from app.auth.principal import Principal
from app.errors import InvalidInput
from app.storage import audit

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])

Auditor = Annotated[Principal, Depends(allow(Action.READ_AUDIT))]


@router.get("", response_model=AuditEntries, summary="Audit log entries, oldest first")
def entries(
    conn: ConnectionDep,
    principal: Auditor,
    settings: ApiSettingsDep,
    user: str | None = None,
    organisation: str | None = None,
    object_type: Annotated[str | None, Query(description="hazard, event, token, user, ...")] = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict:
    if limit > settings.max_page_size:
        raise InvalidInput(
            code="paging.limit_above_maximum",
            params={"limit": limit, "maximum": settings.max_page_size},
            field="limit",
        )
    found = audit.entries(
        conn,
        user=user,
        organisation=organisation,
        object_type=object_type,
        object_id=object_id,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    return {"count": len(found), "entries": found}
