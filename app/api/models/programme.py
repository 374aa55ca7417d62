"""The programme's treaty settings with the deadlines that follow from them, per treaty."""

from __future__ import annotations

import datetime as dt

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from app.api.models.common import ResponseModel, left_out_unless
from app.treaty.programme import Extension, Hostilities, Meeting
from app.treaty.treaties import Treaty


class HostilitiesDeadline(ResponseModel):
    name: str
    ended_on: dt.date
    deadline: dt.date = Field(description="CCM Article 4.1(b): ten years after the hostilities")


class NextRequest(ResponseModel):
    """The first meeting an extension request submitted now would still reach."""

    meeting: str
    held_on: dt.date
    request_due: dt.date = Field(description="nine months before the meeting")


class TreatyRules(ResponseModel):
    """What the treaty says about clearance: its articles and periods."""

    clearance_article: str
    deadline_article: str = Field(description="CCM 4.1(a), APMBC 5.1")
    years_to_clear: int
    extension_article: str = Field(description="CCM 4.5, APMBC 5.3")
    max_extension_years: int = Field(description="the longest one extension: CCM 5, APMBC 10")
    request_article: str = Field(description="what a request sets out: CCM 4.6, APMBC 5.4")
    request_months_ahead: int
    request_due_rule: str = Field(description="where the due date of a request comes from")


class TreatySummary(ResponseModel):
    treaty: Treaty
    title: str
    contamination: list[str] = Field(description="the contamination types the treaty covers")
    rules: TreatyRules
    eif: dt.date = Field(description="entry into force of the treaty for the State")
    extensions: list[Extension]
    meetings: list[Meeting]
    as_of: dt.date
    original_deadline: dt.date = Field(description="ten years after EIF")
    deadline_in_force: dt.date = Field(description="as extended by the extensions granted")
    days_left: int
    next_extension_request: NextRequest | None
    hostilities: list[Hostilities] | SkipJsonSchema[None] = left_out_unless("CCM only")
    hostilities_deadlines: list[HostilitiesDeadline] | SkipJsonSchema[None] = left_out_unless(
        "CCM only: Article 4.1(b)"
    )


class ProgrammeSummary(ResponseModel):
    country: str
    currency: str | None = Field(None, description="ISO 4217 code of the costs, if set")
    as_of: dt.date
    treaties: dict[Treaty, TreatySummary] = Field(
        description="the treaties the State is party to, by name (CCM, APMBC)"
    )
