"""QGIS: a project of the service's layers, and style files for them."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
