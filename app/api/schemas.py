"""Request bodies: GeoJSON Features whose properties describe a hazard or an event."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, NonNegativeInt, StringConstraints
from pydantic_core import PydanticCustomError

from app.ledger.states import Contamination, EventKind, HazardClass
from app.text import codepoint, control_character


def _without_control_characters(line_breaks: bool) -> AfterValidator:
    """Text without control characters (``line_breaks``: but new lines and tabs)."""

    def check(text: str) -> str:
        refused = control_character(text, line_breaks=line_breaks)
        if refused is not None:
            raise PydanticCustomError(
                "text.control_character",
                "holds the control character {codepoint}",
                {"codepoint": codepoint(refused)},
            )
        return text

    return AfterValidator(check)


_ONE_LINE = _without_control_characters(line_breaks=False)
_FREE_TEXT = _without_control_characters(line_breaks=True)


Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    _ONE_LINE,
]


class HazardProperties(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reference: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
    ]
    hazard_class: HazardClass
    contamination: Contamination
    recorded_on: dt.date = Field(description="date of information")
    munitions: list[Text] = Field(default_factory=list, description="e.g. BLU-26, M42")
    region: Text | None = None
    notes: Annotated[str, StringConstraints(max_length=10_000), _FREE_TEXT] | None = None


class NotMappedHazardBody(HazardProperties):
    """A hazard without a polygon: the area its record declares, and a location if known."""

    declared_m2: float = Field(gt=0, description="the area the record declares, m²")
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)


class EventProperties(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: EventKind
    date: dt.date = Field(description="date of information: when the survey or clearance ended")
    operator: Text | None = None
    method: Text | None = None
    items: dict[Text, NonNegativeInt] = Field(
        default_factory=dict, description='items found and destroyed by type, e.g. {"BLU-26": 14}'
    )
    report_ref: Text | None = None


class HazardFeature(BaseModel):
    type: Literal["Feature"]
    geometry: dict[str, Any] | None
    properties: HazardProperties


class EventFeature(BaseModel):
    type: Literal["Feature"]
    geometry: dict[str, Any] | None
    properties: EventProperties


class ReasonRequest(BaseModel):
    reason: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
        _FREE_TEXT,
    ]
