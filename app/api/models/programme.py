"""The programme's treaty settings with the deadlines that follow from them."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from app.api.models.common import ResponseModel
from app.treaty.programme import Extension, Hostilities, Meeting


class HostilitiesDeadline(ResponseModel):
    name: str
    ended_on: dt.date
    deadline: dt.date = Field(description="Article 4.1(b): ten years after the hostilities")


class NextRequest(ResponseModel):
    """The first meeting an extension request submitted now would still reach."""

    meeting: str
    held_on: dt.date
    request_due: dt.date = Field(description="Article 4.6: nine months before the meeting")


class ProgrammeSummary(ResponseModel):
    country: str
    currency: str | None = Field(None, description="ISO 4217 code of the costs, if set")
    eif: dt.date = Field(description="entry into force of the Convention for the State")
    extensions: list[Extension]
    meetings: list[Meeting]
    hostilities: list[Hostilities]
    as_of: dt.date
    original_deadline: dt.date = Field(description="Article 4.1(a): ten years after EIF")
    deadline_in_force: dt.date = Field(description="as extended by the extensions granted")
    days_left: int
    hostilities_deadlines: list[HostilitiesDeadline]
    next_extension_request: NextRequest | None
