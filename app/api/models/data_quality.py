"""The authority's data-quality list as the API serves it."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from app.api.models.common import ResponseModel
from app.quality.rules import Check


class QualityEntry(ResponseModel):
    """One problem found: the hazard at fault and what is known of the problem (null where
    the check has nothing of the kind)."""

    check: Check
    reference: str | None = Field(
        description="the hazard at fault (a refused feature: the reference it was sent with)"
    )
    other_reference: str | None = Field(description="the other hazard of an overlapping pair")
    area_m2: float | None = Field(
        description="overlap: the land both polygons cover; not mapped: the declared area; "
        "overshoot: the part outside the hazard; stale: the land remaining; outside regions: "
        "the land remaining outside every region"
    )
    share: float | None = Field(
        description="overlap: of the smaller polygon; overshoot: of the polygon submitted; "
        "outside regions: of the land remaining"
    )
    on: dt.date | None = Field(
        description="stale: the latest fact; overshoot: the event; upload: its day; "
        "not mapped: the record"
    )
    event_id: int | None
    import_id: int | None
    file_name: str | None
    feature_index: int | None = Field(description="upload: the feature's place in the file")
    detail: str | None = Field(
        description="not mapped: point or no location; upload: repaired, or refused with "
        "the problem's code; overshoot: the event's kind and overshoot policy"
    )


class QualityCheck(ResponseModel):
    check: Check
    count: int = Field(description="entries the check finds in all")
    entries: list[QualityEntry] = Field(description="a page of them")


class QualitySettingsUsed(ResponseModel):
    tolerance_m: float
    overlap_min_m2: float
    contained_share: float
    overshoot_share: float
    overshoot_m2: float
    stale_years: int


class DataQuality(ResponseModel):
    today: dt.date
    settings: QualitySettingsUsed
    checks: list[QualityCheck]
