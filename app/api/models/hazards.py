"""Hazards as the API serves them: GeoJSON Features of the land each holds."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from app.api.models.common import Link, Photo, ResponseModel
from app.api.models.geojson import Feature
from app.ledger.states import Contamination, HazardClass

Status = Literal["pending", "approved", "rejected", "withdrawn"]


class HazardDetails(ResponseModel):
    reference: str
    hazard_class: HazardClass = Field(description="the class recorded")
    contamination: Contamination
    munitions: list[str]
    recorded_on: dt.date = Field(description="date of information")
    region: str | None
    notes: str | None
    footprint_m2: float = Field(description="geodesic area of the polygon recorded")
    recorded_at: dt.datetime
    recorded_by: str | None
    organisation_id: int | None
    status: Status
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    review_reason: str | None
    sha_m2: float = Field(description="suspected land the hazard holds as of the date")
    cha_m2: float = Field(description="confirmed land the hazard holds as of the date")
    remaining_m2: float


class HazardAsOfDetails(HazardDetails):
    as_of: dt.date
    photos: list[Photo] = Field(
        default_factory=list, description="photos a phone sent with the hazard's record"
    )


class RecordedHazardDetails(HazardDetails):
    discovered_m2: float = Field(description="land that was not contaminated before")
    confirmed_m2: float = Field(description="suspected land this record made confirmed")


class Hazard(Feature[str, HazardDetails]):
    """A hazard: its remaining land as geometry (what was submitted while it awaits review),
    its reference as id."""


class HazardAsOf(Feature[str, HazardAsOfDetails]):
    """A hazard as of a date."""


class RecordedHazard(Feature[str, RecordedHazardDetails]):
    """A hazard just recorded, with the land it changed."""


class HazardCollection(ResponseModel):
    type: Literal["FeatureCollection"]
    as_of: dt.date
    numberMatched: int  # the names of the OGC API
    numberReturned: int
    features: list[Hazard]
    links: list[Link]


class LineageEntry(ResponseModel):
    """Land a fact moved to or from the hazard."""

    seq: int = Field(description="the fact's place in ledger order")
    fact: Literal["event", "hazard"] = Field(description="an event, or a hazard record")
    fact_id: int = Field(description="the event's or hazard record's id")
    fact_hazard: str = Field(description="the hazard the fact belongs to")
    kind: str = Field(description="the event's kind, or the hazard record's class")
    on: dt.date = Field(description="the fact's date")
    gained: bool = Field(description="true: land the hazard took; false: land it lost")
    other_hazard: str | None = Field(
        description="the hazard the land came from or went to (null: land no hazard held)"
    )
    from_state: str | None
    to_state: str
    area_m2: float


class HazardLineage(ResponseModel):
    """The land a hazard gained from and lost to other hazards, fact by fact."""

    reference: str
    entries: list[LineageEntry]


class NotMappedHazard(ResponseModel):
    """A hazard recorded without a polygon: a point (lon, lat) or no location, and the area
    its record declares. Listed and reported as not mapped (declared), never counted in the
    figures of mapped land."""

    id: int
    reference: str
    hazard_class: str
    contamination: str
    munitions: list[str]
    recorded_on: dt.date
    region: str | None
    notes: str | None
    declared_m2: float
    lon: float | None
    lat: float | None
    recorded_at: dt.datetime
    recorded_by: str | None
    organisation_id: int | None


class NotMappedCollection(ResponseModel):
    as_of: dt.date
    numberMatched: int
    numberReturned: int
    declared_m2: float = Field(description="the area all of them declare")
    hazards: list[NotMappedHazard]


class RecordedNotMapped(ResponseModel):
    id: int
    reference: str
    declared_m2: float
