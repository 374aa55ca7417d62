"""Following submissions: each upload and each submitted fact with what became of it, and
withdrawing a pending one (its sender's organisation only; the authority rejects instead).

Withdrawal, like a review, is the one change a pending fact undergoes: recorded with who and
when, audited, and the history kept.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from app.auth.policy import Action, may_see, may_withdraw, permits, unapproved_visible_to
from app.auth.principal import Principal
from app.errors import Conflict, Forbidden, NotFound
from app.services import review
from app.services.land_rebuild import begin_write
from app.storage import records, submissions

FactType = review.FactType


def uploads(conn: Connection, by: Principal, limit: int, offset: int) -> list[dict[str, Any]]:
    """Uploads the caller may see, each saying whether the caller may withdraw it."""
    found = submissions.uploads(conn, unapproved_visible_to(by), limit, offset)
    for upload in found:
        upload["withdrawable"] = bool(upload["counts"]["pending"]) and _may_withdraw(
            by, upload["organisation_id"]
        )
    return found


def facts(
    conn: Connection,
    by: Principal,
    limit: int,
    offset: int,
    import_id: int | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """Submitted facts the caller may see, each saying whether the caller may withdraw it."""
    found = submissions.facts(conn, unapproved_visible_to(by), limit, offset, import_id, status)
    for fact in found:
        fact["withdrawable"] = fact["status"] == "pending" and _may_withdraw(
            by, fact["organisation_id"]
        )
    return found


def _may_withdraw(by: Principal, organisation_id: int | None) -> bool:
    return permits(by.role, Action.WITHDRAW) and may_withdraw(by, organisation_id)


def withdraw(
    conn: Connection, fact_type: FactType, ident: str, reason: str | None, by: Principal
) -> dict[str, Any]:
    """Withdraw one pending fact (a hazard with its pending events)."""
    at = begin_write(conn)
    fact = _fact(conn, fact_type, ident, by)
    _check_withdrawable(fact, fact_type, ident, by)
    review.close(conn, fact, "withdrawn", reason, by, at)
    return {"type": fact_type, "id": ident, "status": "withdrawn", "reason": reason}


def withdraw_upload(
    conn: Connection, import_id: int, reason: str | None, by: Principal
) -> dict[str, Any]:
    """Withdraw every pending fact of an upload."""
    at = begin_write(conn)
    found = submissions.upload(conn, import_id, unapproved_visible_to(by))
    if found is None:
        raise NotFound(code="import.not_found", params={"id": import_id}, field="id")
    if not may_withdraw(by, found.organisation_id):
        raise Forbidden(code="withdraw.not_yours", field="id")
    pending = submissions.pending_of_upload(conn, import_id)
    if not pending:
        raise Conflict(code="import.nothing_pending", params={"id": import_id}, field="id")
    withdrawn = 0
    for fact_type, ident in pending:
        fact = _fact(conn, fact_type, ident, by)
        if fact.status == "pending":  # an event may have gone with its hazard already
            review.close(conn, fact, "withdrawn", reason, by, at)
            withdrawn += 1
    return {"import_id": import_id, "status": "withdrawn", "withdrawn": withdrawn}


def _fact(
    conn: Connection, fact_type: str, ident: str, by: Principal
) -> records.HazardRow | records.EventRow:
    fact: records.HazardRow | records.EventRow | None
    if fact_type == "hazard":
        fact = records.hazard_by_reference(conn, ident)
    else:
        fact = records.event_by_id(conn, int(ident)) if ident.isdigit() else None
    if fact is None or not may_see(by, fact.status, fact.organisation_id):
        raise review.not_found(fact_type, ident)
    return fact


def _check_withdrawable(
    fact: records.HazardRow | records.EventRow, fact_type: str, ident: str, by: Principal
) -> None:
    if fact.status != "pending":
        raise review.not_pending(fact_type, ident, fact.status)
    if not may_withdraw(by, fact.organisation_id):
        raise Forbidden(code="withdraw.not_yours", field="id")
