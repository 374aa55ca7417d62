"""Administrative regions."""

from __future__ import annotations

from pydantic import Field

from app.api.models.common import ResponseModel


class Region(ResponseModel):
    code: str
    name: str
    level: int = Field(description="1 province, 2 district")
    parent_code: str | None
    area_m2: float = Field(description="geodesic area")
    source: str = Field(description="where the boundaries come from")


class LoadedRegions(ResponseModel):
    regions: int = Field(description="regions loaded")
    levels: list[int]
    land_rows: int = Field(description="land-state rows re-cut along them")
