"""The programme's treaty settings: EIF, extensions granted, meetings, hostilities."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, TypedDict

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from app.treaty import deadlines

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ExtensionRequest(TypedDict):
    """The meeting an extension request would reach and the day it is due."""

    meeting: str
    held_on: dt.date
    request_due: dt.date


class Extension(BaseModel):
    model_config = ConfigDict(extra="forbid")

    meeting: Name = Field(description="the meeting that granted it, e.g. 9MSP")
    granted_on: dt.date
    new_deadline: dt.date


class Meeting(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    kind: Literal["MSP", "Review Conference"]
    held_on: dt.date


class Hostilities(BaseModel):
    """A period of hostilities after EIF that caused new contamination (Article 4.1(b))."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    ended_on: dt.date


class Programme(BaseModel):
    model_config = ConfigDict(extra="forbid")

    country: Name
    eif: dt.date = Field(description="entry into force of the Convention for the State")
    extensions: list[Extension] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    hostilities: list[Hostilities] = Field(default_factory=list)
    currency: str | None = Field(
        None, pattern="^[A-Z]{3}$", description="ISO 4217 code of the costs of the work plan"
    )

    @model_validator(mode="after")
    def _extensions_in_order_and_at_most_five_years(self) -> Programme:
        deadline = deadlines.original_deadline(self.eif)
        granted = self.eif
        for number, extension in enumerate(self.extensions, start=1):
            if extension.granted_on < granted:
                raise PydanticCustomError(
                    "programme.extensions_out_of_order",
                    "extension {number} ({meeting}) is granted before the one before it: list "
                    "extensions in the order they were granted",
                    {"number": number, "meeting": extension.meeting},
                )
            limit = deadlines.latest_extension_allowed(deadline)
            if not deadline < extension.new_deadline <= limit:
                raise PydanticCustomError(
                    "programme.extension_too_long",
                    "extension {number} ({meeting}) sets the deadline to {new_deadline}: it "
                    "must be after {deadline} and at most five years later ({limit})",
                    {
                        "number": number,
                        "meeting": extension.meeting,
                        "new_deadline": extension.new_deadline.isoformat(),
                        "deadline": deadline.isoformat(),
                        "limit": limit.isoformat(),
                    },
                )
            deadline, granted = extension.new_deadline, extension.granted_on
        for period in self.hostilities:
            if period.ended_on < self.eif:
                raise PydanticCustomError(
                    "programme.hostilities_before_eif",
                    "hostilities '{name}' ended on {ended_on}, before EIF ({eif}): Article "
                    "4.1(b) is for contamination after EIF",
                    {
                        "name": period.name,
                        "ended_on": period.ended_on.isoformat(),
                        "eif": self.eif.isoformat(),
                    },
                )
        return self

    def deadline_in_force(self, on: dt.date) -> dt.date:
        """The Article 4.1(a) deadline as extended by every extension granted by ``on``."""
        deadline = deadlines.original_deadline(self.eif)
        for extension in self.extensions:
            if extension.granted_on <= on:
                deadline = extension.new_deadline
        return deadline

    def next_request(self, on: dt.date) -> ExtensionRequest | None:
        """The first meeting a request submitted from ``on`` would still reach."""
        for meeting in sorted(self.meetings, key=lambda m: m.held_on):
            due = deadlines.request_due(meeting.held_on)
            if due >= on:
                return {"meeting": meeting.name, "held_on": meeting.held_on, "request_due": due}
        return None

    def summary(self, on: dt.date) -> dict[str, Any]:
        """The settings with the dates that follow from them, as of ``on``."""
        in_force = self.deadline_in_force(on)
        return {
            **self.model_dump(),
            "as_of": on,
            "original_deadline": deadlines.original_deadline(self.eif),
            "deadline_in_force": in_force,
            "days_left": (in_force - on).days,
            "hostilities_deadlines": [
                {
                    "name": h.name,
                    "ended_on": h.ended_on,
                    "deadline": deadlines.hostilities_deadline(h.ended_on),
                }
                for h in self.hostilities
            ],
            "next_extension_request": self.next_request(on),
        }
