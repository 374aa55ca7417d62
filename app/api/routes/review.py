"""The review queue of the authority: approve or reject what operators submitted."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends

from app.api.deps import AsOfDep, ConnectionDep
from app.api.models.review import (
    Approval,
    Rejection,
    ReviewQueue,
    ReviewUploads,
    UploadApproval,
    UploadPreview,
    UploadRejection,
)
from app.api.schemas import ReasonRequest
from app.api.security import allow
from app.auth.policy import Action
from app.auth.principal import Principal
from app.services import review, upload_review

router = APIRouter(prefix="/api/v1/review", tags=["review"])

Reviewer = Annotated[Principal, Depends(allow(Action.REVIEW))]
FactType = Literal["hazards", "events"]


@router.get(
    "",
    response_model=ReviewQueue,
    summary="Submissions awaiting review, oldest first, with the land each would change",
)
def queue(conn: ConnectionDep, principal: Reviewer) -> dict:
    items = review.queue(conn, principal)
    return {"count": len(items), "items": items}


@router.get(
    "/uploads",
    response_model=ReviewUploads,
    summary="Uploads with facts awaiting review, oldest first",
)
def upload_queue(conn: ConnectionDep, principal: Reviewer) -> dict:
    found = upload_review.queue(conn)
    return {"count": len(found), "uploads": found}


@router.get(
    "/uploads/{import_id}/preview",
    response_model=UploadPreview,
    summary="What approving an upload would do to the figures and the map",
)
def preview_upload(
    import_id: int, conn: ConnectionDep, principal: Reviewer, as_of: AsOfDep
) -> dict:
    return upload_review.preview_upload(conn, import_id, as_of)


@router.post(
    "/uploads/{import_id}/approve",
    response_model=UploadApproval,
    summary="Approve every pending fact of an upload: they become official together",
)
def approve_upload(import_id: int, conn: ConnectionDep, principal: Reviewer) -> dict:
    return upload_review.approve_upload(conn, import_id, principal)


@router.post(
    "/uploads/{import_id}/reject",
    response_model=UploadRejection,
    summary="Reject every pending fact of an upload, with the reason",
)
def reject_upload(
    import_id: int, body: ReasonRequest, conn: ConnectionDep, principal: Reviewer
) -> dict:
    return upload_review.reject_upload(conn, import_id, body.reason, principal)


@router.post(
    "/{fact_type}/{ident}/approve",
    response_model=Approval,
    summary="Approve a submission: it becomes official",
)
def approve(fact_type: FactType, ident: str, conn: ConnectionDep, principal: Reviewer) -> dict:
    return review.approve(conn, _singular(fact_type), ident, principal)


@router.post(
    "/{fact_type}/{ident}/reject",
    response_model=Rejection,
    summary="Reject a submission, with the reason",
)
def reject(
    fact_type: FactType, ident: str, body: ReasonRequest, conn: ConnectionDep, principal: Reviewer
) -> dict:
    return review.reject(conn, _singular(fact_type), ident, body.reason, principal)


def _singular(fact_type: FactType) -> Literal["hazard", "event"]:
    return "hazard" if fact_type == "hazards" else "event"
