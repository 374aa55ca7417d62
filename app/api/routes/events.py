"""Land-release events by id, and voiding them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from app.api.deps import ConnectionDep, KnownAtDep
from app.api.geojson import event_feature
from app.api.models.events import Event
from app.api.models.files import file_answer
from app.api.photos import photo_answer
from app.api.schemas import ReasonRequest
from app.api.security import allow
from app.api.views import view_for
from app.auth.policy import Action
from app.auth.principal import Principal
from app.errors import NotFound
from app.services import recording
from app.storage import event_queries

router = APIRouter(prefix="/api/v1/events", tags=["events"])

Reader = Annotated[Principal, Depends(allow(Action.READ_HAZARDS))]
Voider = Annotated[Principal, Depends(allow(Action.VOID))]


@router.get("/{event_id}", response_model=Event, summary="One event with the land it changed")
def get_event(event_id: int, conn: ConnectionDep, principal: Reader, known_at: KnownAtDep) -> dict:
    event = event_queries.event_detail(
        conn, event_id, view_for(principal, date.max, known_at=known_at)
    )
    if event is None:
        raise NotFound(code="event.not_found", params={"id": event_id}, field="id")
    return event_feature(event)


@router.get(
    "/{event_id}/photos/{name}",
    response_class=Response,
    responses=file_answer("the photo as the phone sent it", "image/jpeg", "image/png"),
    summary="A photo a phone sent with the event, for whoever may see the event",
)
def get_event_photo(
    event_id: int, name: str, conn: ConnectionDep, principal: Reader, known_at: KnownAtDep
) -> Response:
    event = event_queries.event_detail(
        conn, event_id, view_for(principal, date.max, known_at=known_at)
    )
    if event is None:
        raise NotFound(code="event.not_found", params={"id": event_id}, field="id")
    return photo_answer(conn, event["import_id"], name)


@router.post(
    "/{event_id}/void",
    response_model=Event,
    summary="Void an event: figures behave as if it never happened",
)
def void_event(event_id: int, body: ReasonRequest, conn: ConnectionDep, principal: Voider) -> dict:
    voided = recording.void_event(conn, event_id, body.reason, by=principal)
    event = event_queries.event_detail(conn, voided.event_id, view_for(principal, date.max))
    assert event is not None
    return event_feature(event)
