"""Land-release events as the API serves them: GeoJSON Features of the polygons submitted."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from app.api.models.common import Photo, ResponseModel
from app.api.models.geojson import Feature
from app.api.models.hazards import Status
from app.ledger.states import EventKind


class EventDetails(ResponseModel):
    id: int
    hazard_reference: str
    kind: EventKind
    date: dt.date = Field(description="date of information")
    operator: str | None
    method: str | None
    items: dict[str, int] = Field(description="items found and destroyed by type")
    report_ref: str | None
    requested_m2: float = Field(description="geodesic area of the polygon submitted")
    recorded_at: dt.datetime
    recorded_by: str | None
    organisation_id: int | None
    status: Status
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    review_reason: str | None
    effective_m2: float = Field(description="land whose state the event changed")
    absorbed_m2: float = Field(
        description="of the effective land, what lies beyond the polygon (positional tolerance)"
    )
    void_reason: str | None
    voided_at: dt.datetime | None
    voided_by: str | None
    ineffective_m2: float = Field(description="part of the polygon that changed nothing")
    voided: bool
    changed_here_m2: float | None = Field(
        None,
        description="in a hazard's timeline, an event of another hazard (hazard_reference) "
        "that changed this hazard's land: the area it changed here",
    )
    import_id: int | None = Field(None, description="the upload (or phone submission) it came with")
    photos: list[Photo] = Field(
        default_factory=list,
        description="photos a phone sent with it (in a hazard's timeline and an event's page)",
    )


class RecordedEventDetails(EventDetails):
    effect_m2: dict[str, float] = Field(
        description="land changed (or, awaiting review, that would change) by flow: "
        "confirmed, cancelled, reduced, cleared, corrected"
    )
    overshoot: Literal["refuse", "clip", "keep"] = Field(
        description="what became of the part of the polygon outside its hazard"
    )
    submitted_m2: float = Field(description="geodesic area of the polygon as submitted")
    outside_m2: float = Field(
        description="of the polygon as submitted, the part outside its hazard"
    )
    clipped_m2: float = Field(
        description="what clipping cut off (requested_m2 is the area of the footprint kept)"
    )


class Event(Feature[int, EventDetails]):
    """An event: the polygon submitted as geometry, its id as id."""


class RecordedEvent(Feature[int, RecordedEventDetails]):
    """An event just recorded, with what it changed."""


class RecordHere(ResponseModel):
    """The record of another hazard that took land from this one (a CHA recorded over its
    SHA, say): in the hazard's timeline beside its events."""

    hazard_reference: str = Field(description="the other hazard, whose record it is")
    hazard_class: Literal["SHA", "CHA"]
    date: dt.date = Field(description="the record's date of information")
    changed_here_m2: float = Field(description="the land it took from this hazard")


class EventCollection(ResponseModel):
    type: Literal["FeatureCollection"]
    features: list[Event]
    records_here: list[RecordHere] = Field(
        default_factory=list,
        description="in a hazard's timeline: the records of other hazards that took its land, "
        "by date",
    )
