"""Review of an upload as a whole: its combined effect on the figures and the map if it were
approved, and approving or rejecting all of its pending facts at once (an upload of 300
clearance polygons is one decision, not 300)."""

from __future__ import annotations

from datetime import date
from typing import Any

from shapely.geometry import mapping
from sqlalchemy import Connection

from app.accounting import figures, previewed
from app.auth.principal import Principal
from app.errors import Conflict, InvalidInput, NotFound
from app.ledger.scopes import NATIONAL
from app.ledger.states import FLOWS
from app.services import preview, review
from app.services.land_rebuild import begin_write
from app.storage import records, review_queue, submissions

_MIN_DATE = date(1, 1, 1)


def queue(conn: Connection) -> list[dict[str, Any]]:
    """Uploads with facts awaiting review, oldest first."""
    return review_queue.pending_uploads(conn)


def preview_upload(conn: Connection, import_id: int, as_of: date) -> dict[str, Any]:
    """What approving the upload's pending facts would do: the national figures as of
    ``as_of`` before and after, the land it would change by flow, and that land on the map
    (each piece in the state the upload puts it in)."""
    facts = _pending_facts(conn, import_id)
    seqs = {f.seq for f in facts}
    official = figures.totals(conn, as_of)
    difference = preview.with_pending(conn, NATIONAL, sorted(seqs))
    added = difference.added if difference else []
    removed = difference.removed if difference else []
    after = previewed.shifted_totals(official, added, removed)
    plus = previewed.piece_flows(added, _MIN_DATE, as_of)
    minus = previewed.piece_flows(removed, _MIN_DATE, as_of)
    land = [
        {
            "type": "Feature",
            "geometry": mapping(piece.geometry),
            "properties": {
                "state": stint.state.value,
                "previous_state": stint.previous.value if stint.previous else None,
                "date": stint.since.on.isoformat(),
                "area_m2": piece.area_m2,
            },
        }
        for piece in added
        for stint in piece.stints
        if stint.since.seq in seqs
    ]
    return {
        "import_id": import_id,
        "as_of": as_of,
        "facts": len(facts),
        "waiting_for": sorted(_waiting_for(facts)),
        "before": official.as_dict(),
        "after": after.as_dict(),
        "change_m2": {flow: plus[flow] - minus[flow] for flow in FLOWS},
        "land": {"type": "FeatureCollection", "features": land},
    }


def approve_upload(conn: Connection, import_id: int, by: Principal) -> dict[str, Any]:
    at = begin_write(conn)
    facts = _pending_facts(conn, import_id)
    waiting = _waiting_for(facts)
    if waiting:
        raise Conflict(
            code="review.upload_waits",
            params={"id": import_id, "references": sorted(waiting)},
            field="id",
        )
    effects = review.approve_facts(conn, facts, by, at)
    flows = {flow: sum(e.flows.get(flow, 0.0) for e in effects.values()) for flow in FLOWS}
    return {
        "import_id": import_id,
        "status": "approved",
        "approved": len(facts),
        "effect_m2": {flow: m2 for flow, m2 in flows.items() if m2},
    }


def reject_upload(conn: Connection, import_id: int, reason: str, by: Principal) -> dict[str, Any]:
    if not reason.strip():
        raise InvalidInput(code="review.reason_missing", field="reason")
    at = begin_write(conn)
    # An upload holds hazards or events: closing one of them closes none of the others.
    facts = _pending_facts(conn, import_id)
    for fact in facts:
        review.close(conn, fact, "rejected", reason, by, at)
    return {"import_id": import_id, "status": "rejected", "rejected": len(facts), "reason": reason}


def _pending_facts(conn: Connection, import_id: int) -> list[records.HazardRow | records.EventRow]:
    """The upload's facts awaiting review, hazards first, in ledger order."""
    if submissions.upload(conn, import_id, None) is None:
        raise NotFound(code="import.not_found", params={"id": import_id}, field="id")
    found: list[records.HazardRow | records.EventRow] = []
    for fact_type, ident in submissions.pending_of_upload(conn, import_id):
        fact = (
            records.hazard_by_reference(conn, ident)
            if fact_type == "hazard"
            else records.event_by_id(conn, int(ident))
        )
        assert fact is not None
        found.append(fact)
    if not found:
        raise Conflict(code="import.nothing_pending", params={"id": import_id}, field="id")
    return found


def _waiting_for(facts: list[records.HazardRow | records.EventRow]) -> set[str]:
    """The hazards, not yet official, that events of the upload belong to."""
    return {
        f.hazard_reference
        for f in facts
        if isinstance(f, records.EventRow) and f.hazard_status != "approved"
    }
