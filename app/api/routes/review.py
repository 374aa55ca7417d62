"""The review queue of the authority: approve or reject what operators submitted."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends

from app.api.deps import ConnectionDep
from app.api.models.review import Approval, Rejection, ReviewQueue
from app.api.schemas import ReasonRequest
from app.api.security import allow
from app.auth.policy import Action
from app.auth.principal import Principal
from app.services import review

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
