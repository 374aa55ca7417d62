"""Treaty reports as JSON: the extension request figures (CCM Article 4.6, APMBC Article 5),
Article 7, the work plan. Each says the treaty and the contamination it covers."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from app.api.models.common import ResponseModel
from app.api.models.figures import NotMapped, RegionTotals, Totals
from app.api.models.programme import NextRequest
from app.treaty.programme import Extension
from app.treaty.treaties import Treaty


class PlanYear(ResponseModel):
    year: int
    cancelled_m2: float
    reduced_m2: float
    cleared_m2: float
    remaining_sha_m2: float
    remaining_cha_m2: float
    remaining_m2: float
    cost: float


class Plan(ResponseModel):
    """Land released each year by method until none is left."""

    capacity_m2_per_year: dict[str, float] = Field(description="by method: cancel, reduce, clear")
    capacity_basis: str
    cost_per_m2: dict[str, float]
    years: list[PlanYear]
    completion_year: int | None = Field(description="null: the capacities never finish")
    completion_date: dt.date | None
    deadline_in_force: dt.date
    within_deadline: bool
    extension_years_needed: int | None
    max_extension_years: int = Field(description="the longest one extension: CCM 5, APMBC 10")
    extension_requests_needed: int | None
    total_cost: float


class PlanScope(ResponseModel):
    treaty: Treaty = Field(description="the treaty whose deadline the plan is measured against")
    as_of: dt.date
    contamination: str | None


class WorkPlan(Plan, PlanScope):
    """The plan from the reference date, on the model of one contamination type."""


class Article46D(ResponseModel):
    baseline_at_eif_m2: float
    discovered_after_eif_m2: float
    total_m2: float


class Article46E(ResponseModel):
    cleared_since_eif_m2: float
    cancelled_since_eif_m2: float
    reduced_since_eif_m2: float
    confirmed_since_eif_m2: float
    corrected_since_eif_m2: float


class Article46F(ResponseModel):
    remaining_sha_m2: float
    remaining_cha_m2: float
    remaining_m2: float
    by_region: list[RegionTotals]


class Article46Check(ResponseModel):
    """(d) − released − corrected = (f): difference_m2 is zero."""

    d_total_m2: float
    minus_released_m2: float
    minus_corrected_m2: float
    equals_m2: float
    f_remaining_m2: float
    difference_m2: float


class AnnualRow(ResponseModel):
    year: int
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    discovered_m2: float
    confirmed_m2: float
    cancelled_m2: float
    reduced_m2: float
    cleared_m2: float
    corrected_m2: float
    remaining_sha_m2: float
    remaining_cha_m2: float
    remaining_m2: float
    items_destroyed: dict[str, int]


class Article46Report(ResponseModel):
    """The figures of a CCM Article 4.6 extension request."""

    treaty: Treaty
    country: str
    currency: str | None = Field(None, description="of the work plan's costs, if set")
    eif: dt.date
    as_of: dt.date
    contamination: str | None
    known_at: dt.datetime | None
    d: Article46D
    e: Article46E
    f: Article46F
    not_mapped: NotMapped = Field(
        description="hazards not mapped (declared): beside the figures, never counted in them"
    )
    check: Article46Check
    annual: list[AnnualRow]
    deadline_in_force: dt.date
    next_extension_request: NextRequest | None
    work_plan: Plan


class RegionShare(ResponseModel):
    code: str
    name: str
    m2: float


class Article7Area(ResponseModel):
    reference: str
    region: str | None = Field(description="where most of the land lies")
    regions: list[RegionShare] = Field(description="the land per top-level region, largest first")
    contamination: str
    hazard_class: str
    remaining_sha_m2: float
    remaining_cha_m2: float
    remaining_m2: float
    centroid_lon: float
    centroid_lat: float
    munitions: str | None
    recorded_on: dt.date


class Article7Remaining(ResponseModel):
    sha_m2: float
    cha_m2: float
    remaining_m2: float


class Article7Released(ResponseModel):
    cancelled_m2: float
    reduced_m2: float
    cleared_m2: float
    released_m2: float
    discovered_m2: float
    corrected_m2: float


class Article7Report(ResponseModel):
    """The figures of an Article 7 transparency report for one calendar year: for the CCM,
    7.1(h) and (i); for the APMBC, 7.1(c) (areas), 7.1(f) (released by method) and 7.1(g)
    (destroyed by type)."""

    treaty: Treaty
    year: int
    contamination: str | None
    known_at: dt.datetime | None
    remaining: Article7Remaining
    not_mapped: NotMapped = Field(
        description="hazards not mapped (declared): beside the figures, never counted in them"
    )
    remaining_by_region: list[RegionTotals]
    remaining_by_contamination: dict[str, Totals]
    released: Article7Released
    items_destroyed: dict[str, int]
    areas: list[Article7Area]
    national_resources: None = Field(description="not recorded by the system yet")


class MinedAreas(ResponseModel):
    """Areas known or suspected to contain anti-personnel mines."""

    at_eif_m2: float = Field(description="at the APMBC's entry into force for the State")
    identified_after_eif_m2: float
    total_m2: float


class SinceEif(ResponseModel):
    """Land released since EIF by method; confirmed and corrected land beside it (neither is
    a release)."""

    cancelled_m2: float
    reduced_m2: float
    cleared_m2: float
    released_m2: float
    confirmed_m2: float
    corrected_m2: float


class Article5Remaining(ResponseModel):
    sha_m2: float
    cha_m2: float
    remaining_m2: float
    by_region: list[RegionTotals]


class RequestCheck(ResponseModel):
    """total − released − corrected = remaining: difference_m2 is zero."""

    total_m2: float
    minus_released_m2: float
    minus_corrected_m2: float
    equals_m2: float
    remaining_m2: float
    difference_m2: float


class Article5Report(ResponseModel):
    """The figures of an APMBC Article 5 extension request."""

    treaty: Treaty
    country: str
    currency: str | None = Field(None, description="of the work plan's costs, if set")
    eif: dt.date
    as_of: dt.date
    contamination: str
    known_at: dt.datetime | None
    mined_areas: MinedAreas
    since_eif: SinceEif
    remaining: Article5Remaining
    not_mapped: NotMapped = Field(
        description="hazards not mapped (declared): beside the figures, never counted in them"
    )
    check: RequestCheck
    annual: list[AnnualRow]
    original_deadline: dt.date = Field(description="Article 5.1: ten years after EIF")
    extensions_granted: list[Extension] = Field(description="Article 5.3, by the reference date")
    deadline_in_force: dt.date
    next_extension_request: NextRequest | None
    work_plan: Plan
