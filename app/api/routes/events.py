"""Land-release events by id, and voiding them."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import ConnectionDep
from app.api.geojson import event_feature
from app.api.schemas import VoidRequest
from app.errors import NotFound
from app.services import recording
from app.storage import hazard_queries

router = APIRouter(prefix="/api/v1/events", tags=["events"])


@router.get("/{event_id}", summary="One event with the land it changed")
def get_event(event_id: int, conn: ConnectionDep) -> dict:
    event = hazard_queries.event_detail(conn, event_id)
    if event is None:
        raise NotFound(f"no event with id {event_id}", field="id")
    return event_feature(event)


@router.post("/{event_id}/void", summary="Void an event: figures behave as if it never happened")
def void_event(event_id: int, body: VoidRequest, conn: ConnectionDep) -> dict:
    voided = recording.void_event(conn, event_id, body.reason)
    event = hazard_queries.event_detail(conn, voided.event_id)
    assert event is not None
    return event_feature(event)
