"""A hazard as a symbol of the national map: a point and the land it still holds."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from app.api.models.common import ResponseModel
from app.api.models.geojson import Point


class SymbolProperties(ResponseModel):
    reference: str
    hazard_class: Literal["SHA", "CHA"] = Field(description="CHA when any of its land is")
    sha_m2: float
    cha_m2: float
    remaining_m2: float


class HazardSymbol(ResponseModel):
    type: Literal["Feature"]
    geometry: Point = Field(description="a point on the hazard's largest remaining piece")
    properties: SymbolProperties


class HazardSymbols(ResponseModel):
    type: Literal["FeatureCollection"]
    as_of: date
    scope: str = Field(description="'all' contamination types, or one type")
    features: list[HazardSymbol]
