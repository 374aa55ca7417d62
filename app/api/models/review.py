"""The review queue of the authority, and its decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from app.api.models.common import ResponseModel
from app.api.models.submissions import Upload

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


class ReviewUpload(Upload):
    """An upload with facts awaiting review."""

    pending: int = Field(description="its facts awaiting review")
    requested_m2: float = Field(description="the area they ask to change")
    waiting_for: list[str] = Field(
        description="hazards not yet official that its events belong to: review them first"
    )


class ReviewUploads(ResponseModel):
    count: int
    uploads: list[ReviewUpload]


class FiguresOnDate(ResponseModel):
    as_of: dt.date
    sha_m2: float
    cha_m2: float
    remaining_m2: float


class UploadPreview(ResponseModel):
    """What approving an upload's pending facts would do to the national figures and the map."""

    import_id: int
    as_of: dt.date
    facts: int = Field(description="its facts awaiting review")
    waiting_for: list[str] = Field(
        description="hazards not yet official that some of its events belong to (those events "
        "are left out of the preview, and the upload cannot be approved yet)"
    )
    before: FiguresOnDate
    after: FiguresOnDate
    change_m2: dict[str, float] = Field(
        description="the land it would change, by flow, on every date up to as_of"
    )
    land: dict[str, Any] = Field(
        description="GeoJSON: the land it would change, each piece in the state it would put "
        "it in (properties state, previous_state, date, area_m2)"
    )


class UploadApproval(ResponseModel):
    import_id: int
    status: Literal["approved"]
    approved: int
    effect_m2: dict[str, float] = Field(description="land they changed, by flow")


class UploadRejection(ResponseModel):
    import_id: int
    status: Literal["rejected"]
    rejected: int
    reason: str
