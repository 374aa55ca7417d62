"""Submissions as their senders follow them (the authority sees all of them): each upload and
each submitted fact with its status, who decided, when and why; withdrawing a pending one."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Query
from pydantic import BaseModel, StringConstraints

from app.api.deps import ConnectionDep
from app.api.models.submissions import (
    FactStatus,
    SubmittedFacts,
    SubmittedUploads,
    UploadWithdrawal,
    Withdrawal,
)
from app.api.security import allow
from app.auth.policy import Action
from app.auth.principal import Principal
from app.services import submissions

router = APIRouter(prefix="/api/v1/submissions", tags=["submissions"])

Reader = Annotated[Principal, Depends(allow(Action.READ_HAZARDS))]
Withdrawer = Annotated[Principal, Depends(allow(Action.WITHDRAW))]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0)]


class WithdrawalRequest(BaseModel):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


OptionalReason = Annotated[WithdrawalRequest | None, Body()]


@router.get(
    "/uploads",
    response_model=SubmittedUploads,
    summary="Uploads, newest first, with what became of their facts (an operator: its own)",
)
def list_uploads(
    conn: ConnectionDep, principal: Reader, limit: Limit = 100, offset: Offset = 0
) -> dict:
    found = submissions.uploads(conn, principal, limit, offset)
    return {"count": len(found), "uploads": found}


@router.get(
    "/facts",
    response_model=SubmittedFacts,
    summary="Submitted facts, newest first, with status, reviewer, date and reason",
)
def list_facts(
    conn: ConnectionDep,
    principal: Reader,
    import_id: Annotated[int | None, Query(description="of this upload only")] = None,
    status: Annotated[FactStatus | None, Query()] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict:
    found = submissions.facts(conn, principal, limit, offset, import_id, status)
    return {"count": len(found), "facts": found}


@router.post(
    "/uploads/{import_id}/withdraw",
    response_model=UploadWithdrawal,
    summary="Withdraw every pending fact of an upload (its organisation only)",
)
def withdraw_upload(
    import_id: int, conn: ConnectionDep, principal: Withdrawer, body: OptionalReason = None
) -> dict:
    return submissions.withdraw_upload(conn, import_id, _reason(body), principal)


@router.post(
    "/{fact_type}/{ident}/withdraw",
    response_model=Withdrawal,
    summary="Withdraw a pending hazard (with its pending events) or event",
)
def withdraw(
    fact_type: Literal["hazards", "events"],
    ident: str,
    conn: ConnectionDep,
    principal: Withdrawer,
    body: OptionalReason = None,
) -> dict:
    singular: Literal["hazard", "event"] = "hazard" if fact_type == "hazards" else "event"
    return submissions.withdraw(conn, singular, ident, _reason(body), principal)


def _reason(body: WithdrawalRequest | None) -> str | None:
    return (body.reason or None) if body else None
