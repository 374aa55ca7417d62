"""The programme's treaty settings and the deadlines that follow from them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from app.api.deps import AsOfDep, ConnectionDep, KnownAtDep
from app.api.models.programme import ProgrammeSummary
from app.api.security import allow
from app.auth.policy import Action
from app.auth.principal import Principal
from app.dates import check_plausible
from app.errors import NotFound
from app.storage import audit
from app.storage import programme as stored
from app.treaty.programme import Programme

router = APIRouter(prefix="/api/v1/programme", tags=["treaty"])

Reader = Annotated[Principal, Depends(allow(Action.READ_TOTALS))]
Editor = Annotated[Principal, Depends(allow(Action.SET_PROGRAMME))]


@router.get(
    "",
    response_model=ProgrammeSummary,
    summary="EIF, extensions, meetings, and the deadlines in force as of a date",
)
def get_programme(
    conn: ConnectionDep, principal: Reader, as_of: AsOfDep, known_at: KnownAtDep
) -> dict:
    document = stored.current(conn, known_at)
    if document is None:
        raise NotFound("no programme settings yet: the authority sets them with PUT")
    return Programme.model_validate(document).summary(as_of)


@router.put(
    "",
    response_model=ProgrammeSummary,
    summary="Replace the programme's treaty settings (the authority)",
)
def put_programme(body: Programme, conn: ConnectionDep, principal: Editor, as_of: AsOfDep) -> dict:
    for field, day in body.dates():
        check_plausible(day, field)
    document = body.model_dump(mode="json")
    version = stored.insert(conn, document, principal.user_name)
    audit.append(conn, principal, "set", "programme", version, document)
    return body.summary(as_of)
