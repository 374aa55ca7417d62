"""Treaty reports as JSON: Article 4.6 figures, Article 7, the work plan."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from app.api.models.common import ResponseModel
from app.api.models.figures import RegionTotals, Totals
from app.api.models.programme import NextRequest


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
    extension_requests_needed: int | None
    total_cost: float


class PlanScope(ResponseModel):
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
    """The figures of an Article 4.6 extension request."""

    country: str
    currency: str | None = Field(None, description="of the work plan's costs, if set")
    eif: dt.date
    as_of: dt.date
    contamination: str | None
    known_at: dt.datetime | None
    d: Article46D
    e: Article46E
    f: Article46F
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
    """The figures of an Article 7 transparency report for one calendar year."""

    year: int
    contamination: str | None
    known_at: dt.datetime | None
    remaining: Article7Remaining
    remaining_by_region: list[RegionTotals]
    remaining_by_contamination: dict[str, Totals]
    released: Article7Released
    items_destroyed: dict[str, int]
    areas: list[Article7Area]
    national_resources: None = Field(description="not recorded by the system yet")
