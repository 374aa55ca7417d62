"""The authority's data-quality list as the API serves it."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
    detail_code: str | None = Field(
        description="what the detail says, as a code of the message catalogues, "
        "report.quality.detail. followed by: shared (a pair: the contamination types both "
        "hazards have), point or no_location (not mapped), repaired or refused (upload: with "
        "the problem), overshoot (the event's kind and overshoot policy) or overshoot_whole "
        "(an event recorded before policies were kept, or loaded in bulk)"
    )
    detail_params: dict[str, Any] | None = Field(
        description="the detail's values: contamination (a list), problem (the upload "
        "report's message: code, params, message), kind, policy"
    )
    detail: str | None = Field(
        description="the detail written in the reader's language (Accept-Language)"
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
