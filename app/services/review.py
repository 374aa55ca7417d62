"""Review of submissions: the authority approves or rejects what operators sent.

Official figures count approved facts only. Approving a fact replays the land it reaches from
its date, exactly as if it had just been recorded by the authority; rejecting one changes no
figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection

from app.auth.policy import unapproved_visible_to
from app.auth.principal import Principal
from app.errors import Conflict, InvalidInput, NoEffect, NotFound
from app.ledger.scopes import scopes_of
from app.ledger.states import FactEffect
from app.services import preview
from app.services.land_reach import Change
from app.services.land_rebuild import begin_write
from app.services.ledger_update import replay_changes
from app.settings import ledger_settings
from app.storage import audit, imports, records
from app.storage.effects import effects_of_facts
from app.storage.review_queue import pending_events_of, pending_facts

FactType = Literal["hazard", "event"]


def queue(conn: Connection, by: Principal) -> list[dict[str, Any]]:
    """Pending submissions, oldest first, each with the land it would change if approved."""
    items = pending_facts(conn, unapproved_visible_to(by))
    for item in items:
        fact = _pending(conn, item["type"], item["id"])
        seqs = [fact.seq]
        if isinstance(fact, records.EventRow) and fact.hazard_status == "pending":
            hazard = records.hazard_by_id(conn, fact.hazard_id)
            assert hazard is not None
            seqs.append(hazard.seq)
        effect = preview.effect_if_approved(conn, seqs, fact.footprint, fact.key)
        item["effect_m2"] = effect.flows
        item["would_change_m2"] = effect.effective_m2
        item["absorbed_m2"] = effect.absorbed_m2
    return items


def approve(conn: Connection, fact_type: FactType, ident: str, by: Principal) -> dict[str, Any]:
    at = begin_write(conn)
    fact = _pending(conn, fact_type, ident)
    effect = approve_facts(conn, [fact], by, at)[fact.seq]
    changed = {"effect_m2": effect.flows, "absorbed_m2": effect.absorbed_m2}
    return {"type": fact_type, "id": ident, "status": "approved", **changed}


def approve_facts(
    conn: Connection,
    facts: Sequence[records.HazardRow | records.EventRow],
    by: Principal,
    at: datetime,
) -> dict[int, FactEffect]:
    """Approve pending facts together: one replay of the land they reach, from each one's
    date, exactly as if the authority had just recorded them. Returns what each changed
    nationally, by sequence number.

    An event whose hazard is not official cannot be approved; nor can an event that would
    change no land now (land changed meanwhile, by a fact approved before it): it is
    rejected instead, with the reason.
    """
    for fact in facts:
        if isinstance(fact, records.EventRow) and fact.hazard_status != "approved":
            raise Conflict(
                code="review.hazard_first",
                params={"reference": fact.hazard_reference, "status": fact.hazard_status},
                field="id",
            )
    for fact in facts:
        if not records.set_review(
            conn, _table(_type_of(fact)), fact.id, "approved", by.user_name, at, None
        ):
            raise _not_pending_any_more(fact)
    replay_changes(
        conn, [Change(f.footprint, f.key, scopes_of(f.contamination)) for f in facts], at
    )
    seqs = [f.seq for f in facts]
    national = effects_of_facts(conn, seqs)
    _refuse_events_without_effect(conn, facts, national)
    for fact_type in ("hazard", "event"):
        audit.append_many(
            conn,
            by,
            "approve",
            fact_type,
            [
                (
                    _ident(f),
                    {
                        "effect_m2": national[f.seq].flows,
                        "absorbed_m2": national[f.seq].absorbed_m2,
                    },
                )
                for f in facts
                if _type_of(f) == fact_type
            ],
        )
    return national


def _refuse_events_without_effect(
    conn: Connection,
    facts: Sequence[records.HazardRow | records.EventRow],
    national: dict[int, FactEffect],
) -> None:
    """An event that changes no land in any scope it takes part in is not approved."""
    least = ledger_settings().min_effective_m2
    events = [f for f in facts if isinstance(f, records.EventRow)]
    doubtful = [e for e in events if national[e.seq].effective_m2 < least]
    for contamination in {e.contamination for e in doubtful}:
        own = effects_of_facts(conn, [e.seq for e in doubtful], contamination)
        for event in doubtful:
            if event.contamination == contamination and own[event.seq].effective_m2 < least:
                raise NoEffect(code="review.no_effect_now", params={"id": event.id}, field="id")


def _not_pending_any_more(fact: records.HazardRow | records.EventRow) -> Conflict:
    return Conflict(
        code="review.decided_meanwhile",
        params={"type": _type_of(fact), "id": _ident(fact)},
        field="id",
    )


def _type_of(fact: records.HazardRow | records.EventRow) -> FactType:
    return "hazard" if isinstance(fact, records.HazardRow) else "event"


def _ident(fact: records.HazardRow | records.EventRow) -> str:
    return fact.reference if isinstance(fact, records.HazardRow) else str(fact.id)


def reject(
    conn: Connection, fact_type: FactType, ident: str, reason: str, by: Principal
) -> dict[str, Any]:
    if not reason.strip():
        raise InvalidInput(code="review.reason_missing", field="reason")
    at = begin_write(conn)
    close(conn, _pending(conn, fact_type, ident), "rejected", reason, by, at)
    return {"type": fact_type, "id": ident, "status": "rejected", "reason": reason}


def close(
    conn: Connection,
    fact: records.HazardRow | records.EventRow,
    status: Literal["rejected", "withdrawn"],
    reason: str | None,
    by: Principal,
    at: datetime,
) -> None:
    """Reject or withdraw a pending fact. The pending events of a hazard closed so can never
    be approved: they go with it, with its reason. A file whose upload has nothing pending or
    official left is given back (a corrected one may be sent again)."""
    fact_type, ident = _type_of(fact), _ident(fact)
    if not records.set_review(conn, _table(fact_type), fact.id, status, by.user_name, at, reason):
        raise _not_pending_any_more(fact)
    action = "reject" if status == "rejected" else "withdraw"
    audit.append(conn, by, action, fact_type, ident, {"reason": reason})
    uploads = {fact.import_id}
    if isinstance(fact, records.HazardRow):
        for event_id, import_id in pending_events_of(conn, fact.id):
            records.set_review(conn, "events", event_id, status, by.user_name, at, reason)
            audit.append(
                conn, by, action, "event", event_id, {"reason": reason, "hazard": fact.reference}
            )
            uploads.add(import_id)
    for import_id in uploads:
        if import_id is not None:
            imports.release_file_if_settled(conn, import_id)


def _table(fact_type: FactType) -> str:
    return {"hazard": "hazards", "event": "events"}[fact_type]


def _pending(conn: Connection, fact_type: str, ident: str) -> records.HazardRow | records.EventRow:
    fact: records.HazardRow | records.EventRow | None
    if fact_type == "hazard":
        fact = records.hazard_by_reference(conn, ident)
    else:
        fact = records.event_by_id(conn, int(ident)) if ident.isdigit() else None
    if fact is None:
        raise not_found(fact_type, ident)
    if fact.status != "pending":
        raise not_pending(fact_type, ident, fact.status)
    return fact


def not_found(fact_type: str, ident: str) -> NotFound:
    return NotFound(code="review.not_found", params={"type": fact_type, "id": ident}, field="id")


def not_pending(fact_type: str, ident: str, status: str) -> Conflict:
    return Conflict(
        code="review.not_pending",
        params={"type": fact_type, "id": ident, "status": status},
        field="id",
    )
