"""Submissions as their senders and the authority follow them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from app.api.models.common import ResponseModel
from app.api.models.hazards import Status as FactStatus


class StatusCounts(ResponseModel):
    pending: int
    approved: int
    rejected: int
    withdrawn: int


class Upload(ResponseModel):
    """An upload: the file, what it holds, who sent it and when."""

    id: int
    file_name: str
    target: Literal["hazards", "events"]
    recorded_at: dt.datetime
    recorded_by: str | None
    organisation: str | None
    edit_of: int | None = Field(
        None,
        description="a form edited on a phone: the upload of the form it edits (withdrawn if "
        "it was still pending; if approved, this one corrects it: void the earlier fact if "
        "this one replaces it)",
    )


class SubmittedUpload(Upload):
    """An upload that recorded facts, and what became of them."""

    features: int = Field(description="the features it recorded")
    requested_m2: float | None
    counts: StatusCounts = Field(description="its facts by status")
    status: FactStatus | Literal["partly approved"] | None = Field(
        description="pending while any fact is; else the status its facts share, or "
        '"partly approved"; null for an upload made before uploads named their facts'
    )
    reviewed_by: str | None = Field(description="who made the last decision on its facts")
    reviewed_at: dt.datetime | None
    reasons: list[str] = Field(description="the reasons given for rejections and withdrawals")
    withdrawable: bool = Field(description="the caller may withdraw what is pending of it")


class SubmittedUploads(ResponseModel):
    count: int
    uploads: list[SubmittedUpload]


class SubmittedFact(ResponseModel):
    """A hazard record or an event sent for review, and what became of it."""

    type: Literal["hazard", "event"]
    id: str = Field(description="a hazard's reference or an event's id")
    hazard_reference: str
    kind: str = Field(description='"record SHA", "record CHA" or the event\'s kind')
    date: dt.date = Field(description="date of information")
    import_id: int | None = Field(description="the upload it came with, if any")
    file_name: str | None
    status: FactStatus
    recorded_at: dt.datetime
    recorded_by: str | None
    organisation: str | None
    reviewed_by: str | None = Field(
        description="who approved or rejected it (or withdrew it, for its sender)"
    )
    reviewed_at: dt.datetime | None
    reason: str | None = Field(description="the reason of a rejection or a withdrawal")
    requested_m2: float
    voided: bool = Field(description="an approved event voided since")
    withdrawable: bool = Field(description="the caller may withdraw it")


class SubmittedFacts(ResponseModel):
    count: int
    facts: list[SubmittedFact]


class Withdrawal(ResponseModel):
    type: Literal["hazard", "event"]
    id: str
    status: Literal["withdrawn"]
    reason: str | None


class UploadWithdrawal(ResponseModel):
    import_id: int
    status: Literal["withdrawn"]
    withdrawn: int = Field(description="the facts withdrawn (a hazard's events included)")
