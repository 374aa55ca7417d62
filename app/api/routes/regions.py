"""The administrative regions that figures are split by."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.api.deps import ConnectionDep
from app.api.models.regions import Region
from app.api.security import allow
from app.auth.policy import Action
from app.auth.principal import Principal
from app.storage import regions

router = APIRouter(prefix="/api/v1", tags=["regions"])

Reader = Annotated[Principal, Depends(allow(Action.READ_TOTALS))]


@router.get(
    "/regions",
    response_model=list[Region],
    summary="Administrative regions: code, name, level, parent, area",
)
def list_regions(
    conn: ConnectionDep,
    _: Reader,
    level: Annotated[int | None, Query(ge=1, le=4, description="1 province, 2 district")] = None,
) -> list[dict]:
    return regions.listing(conn, level)
