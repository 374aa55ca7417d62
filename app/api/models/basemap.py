"""The offline basemap's layers."""

from __future__ import annotations

from datetime import datetime

from app.api.models.common import ResponseModel


class BasemapLayer(ResponseModel):
    layer: str
    features: int
    source: str
    licence: str
    loaded_at: datetime


class BasemapLayers(ResponseModel):
    available: bool
    layers: list[BasemapLayer]
