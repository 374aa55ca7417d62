"""National figures: totals as of a date, the land-release balance, and their groups."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from app.api.models.common import ResponseModel, left_out_unless


class Totals(ResponseModel):
    """Contaminated land as of a date, each m² once."""

    as_of: dt.date
    sha_m2: float
    cha_m2: float
    remaining_m2: float


class RegionLabel(ResponseModel):
    code: str = Field(description='the region\'s code, or "outside-regions" for land in none')
    name: str
    level: int
    parent_code: str | None


class RegionTotals(Totals, RegionLabel):
    """Totals of the land within one region."""


class LandRelease(ResponseModel):
    """Land released by method over (from, to], with the land at both ends; balance_error_m2
    is remaining(to) − (remaining(from) + discovered − released − corrected): zero."""

    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    remaining_start_m2: float
    sha_start_m2: float
    cha_start_m2: float
    discovered_m2: float
    confirmed_m2: float
    cancelled_m2: float
    reduced_m2: float
    cleared_m2: float
    corrected_m2: float
    released_m2: float = Field(description="cancelled + reduced + cleared")
    remaining_end_m2: float
    sha_end_m2: float
    cha_end_m2: float
    balance_error_m2: float


class RegionLandRelease(LandRelease, RegionLabel):
    """The land-release balance of the land within one region."""


class Labels(ResponseModel):
    """What the figures are of: the model, the moment of knowledge, a preview."""

    contamination: str | None = Field(description="the model's contamination type; null: all")
    known_at: dt.datetime | None
    include_pending: bool


# A region's group carries its name; the first model that fits is taken.
TotalsGroup = Annotated[RegionTotals | Totals, Field(union_mode="left_to_right")]
LandReleaseGroup = Annotated[RegionLandRelease | LandRelease, Field(union_mode="left_to_right")]


class NotMapped(ResponseModel):
    """Hazards recorded without a polygon (a point or no location) standing at the date: the
    area their records declare, shown beside the figures and never counted in them."""

    hazards: int
    declared_m2: float


class TotalsAnswer(Labels, Totals):
    not_mapped: NotMapped = Field(description="not mapped (declared): beside, never in, the totals")
    groups: dict[str, TotalsGroup] | SkipJsonSchema[None] = left_out_unless(
        "with group_by: the figures of each group, by its key"
    )


class LandReleaseAnswer(Labels, LandRelease):
    not_mapped: NotMapped = Field(
        description="at the end of the period, not mapped (declared): never in the balance"
    )
    groups: dict[str, LandReleaseGroup] | SkipJsonSchema[None] = left_out_unless(
        "with group_by: the balance of each group, by its key"
    )
