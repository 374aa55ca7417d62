"""The programme's treaty settings and the deadlines that follow from them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from app.api.deps import AsOfDep, ConnectionDep, KnownAtDep
from app.api.models.programme import ProgrammeSummary
from app.api.security import allow
from app.auth.policy import Action
from app.auth.principal import Principal
from app.services import programme as settings
from app.treaty.programme import Programme

router = APIRouter(prefix="/api/v1/programme", tags=["treaty"])

Reader = Annotated[Principal, Depends(allow(Action.READ_TOTALS))]
Editor = Annotated[Principal, Depends(allow(Action.SET_PROGRAMME))]


@router.get(
    "",
    response_model=ProgrammeSummary,
    response_model_exclude_unset=True,  # the CCM's hostilities only for the CCM
    summary="Each treaty's EIF, extensions, meetings, and the deadlines in force as of a date",
)
def get_programme(
    conn: ConnectionDep, principal: Reader, as_of: AsOfDep, known_at: KnownAtDep
) -> dict:
    return settings.current(conn, known_at).summary(as_of)


@router.put(
    "",
    response_model=ProgrammeSummary,
    response_model_exclude_unset=True,
    summary="Replace the programme's treaty settings (the authority)",
)
def put_programme(body: Programme, conn: ConnectionDep, principal: Editor, as_of: AsOfDep) -> dict:
    settings.replace(conn, body, principal)
    return body.summary(as_of)
