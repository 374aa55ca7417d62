"""Dependencies shared by the routes."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query
from sqlalchemy import Connection

from app.db import transaction
from app.ledger.states import Contamination
from app.settings import ApiSettings, LedgerSettings, api_settings, ledger_settings

ConnectionDep = Annotated[Connection, Depends(transaction)]
LedgerSettingsDep = Annotated[LedgerSettings, Depends(ledger_settings)]
ApiSettingsDep = Annotated[ApiSettings, Depends(api_settings)]


def as_of_date(
    as_of: Annotated[
        date | None,
        Query(description="figures after every fact dated this day or earlier; default today"),
    ] = None,
) -> date:
    return as_of or date.today()


def model_scope(
    contamination: Annotated[
        Contamination | None,
        Query(description="run the land-state model on hazards of this type only (CCM: CMR)"),
    ] = None,
) -> str:
    return contamination.value if contamination else "all"


AsOfDep = Annotated[date, Depends(as_of_date)]
ScopeDep = Annotated[str, Depends(model_scope)]
