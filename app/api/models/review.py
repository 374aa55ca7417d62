"""The review queue of the authority, and its decisions."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from app.api.models.common import ResponseModel

FactType = Literal["hazard", "event"]


class ReviewItem(ResponseModel):
    """A submission awaiting review, with the land it would change if approved."""

    type: FactType
    id: str = Field(description="a hazard's reference or an event's id")
    hazard_reference: str
    kind: str = Field(description='"record SHA", "record CHA" or the event\'s kind')
    date: dt.date = Field(description="date of information")
    seq: int
    recorded_at: dt.datetime
    recorded_by: str | None
    organisation: str | None
    geometry: str | None = Field(description="the polygon submitted, as GeoJSON text")
    requested_m2: float
    effect_m2: dict[str, float] = Field(description="land it would change, by flow")
    would_change_m2: float
    absorbed_m2: float


class ReviewQueue(ResponseModel):
    count: int
    items: list[ReviewItem]


class Approval(ResponseModel):
    type: FactType
    id: str
    status: Literal["approved"]
    effect_m2: dict[str, float] = Field(description="land it changed, by flow")
    absorbed_m2: float


class Rejection(ResponseModel):
    type: FactType
    id: str
    status: Literal["rejected"]
    reason: str
