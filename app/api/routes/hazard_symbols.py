"""Hazards as points sized by the land they still hold: the map's symbols at national and
provincial scales, where their land is smaller than a pixel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from app.api.deps import AsOfDep, ConnectionDep, KnownAtDep, ScopeDep
from app.api.models.hazard_symbols import HazardSymbols
from app.api.security import allow
from app.auth.policy import Action
from app.auth.principal import Principal
from app.storage.hazard_symbols import remaining_points

router = APIRouter(prefix="/api/v1", tags=["hazards"])

Reader = Annotated[Principal, Depends(allow(Action.READ_HAZARDS))]


@router.get(
    "/hazard-symbols",
    response_model=HazardSymbols,
    summary="Each hazard with remaining land as a point, with its SHA and CHA m² (GeoJSON)",
)
def hazard_symbols(
    conn: ConnectionDep,
    principal: Reader,
    as_of: AsOfDep,
    scope: ScopeDep,
    known_at: KnownAtDep,
) -> dict:
    rows = remaining_points(conn, as_of, scope, known_at)
    return {
        "type": "FeatureCollection",
        "as_of": as_of,
        "scope": scope,
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                "properties": {
                    "reference": row["reference"],
                    "hazard_class": "CHA" if row["cha_m2"] > 0 else "SHA",
                    "sha_m2": row["sha_m2"],
                    "cha_m2": row["cha_m2"],
                    "remaining_m2": row["sha_m2"] + row["cha_m2"],
                },
            }
            for row in rows
        ],
    }
