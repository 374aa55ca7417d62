"""Recording hazards and land-release events, and voiding events.

Each use case runs inside the caller's transaction: any error raised here rolls back every row
written so far, so a refused request changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from shapely.geometry import MultiPolygon
from sqlalchemy import Connection

from app.auth.principal import Principal
from app.errors import Conflict, InvalidInput, NoEffect, NotFound
from app.geo.area import geodesic_area_m2
from app.geo.polygons import difference, ledger_footprint, polygonal_part
from app.ledger.states import Contamination, EventKind, HazardClass, LedgerKey
from app.services import preview
from app.services.ledger_update import replay_region
from app.settings import LedgerSettings
from app.storage import audit, ledger_store, records


@dataclass(frozen=True)
class NewHazard:
    reference: str
    hazard_class: HazardClass
    contamination: Contamination
    recorded_on: date
    footprint: MultiPolygon
    munitions: list[str] = field(default_factory=list)
    region: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class NewEvent:
    kind: EventKind
    occurred_on: date
    footprint: MultiPolygon
    operator: str | None = None
    method: str | None = None
    items: dict[str, int] = field(default_factory=dict)
    report_ref: str | None = None


@dataclass(frozen=True)
class HazardRecorded:
    id: int
    reference: str
    status: str
    footprint_m2: float
    discovered_m2: float
    confirmed_m2: float


@dataclass(frozen=True)
class EventRecorded:
    id: int
    hazard_reference: str
    status: str  # approved, or pending: then the areas say what it would change if approved
    requested_m2: float
    effective_m2: float
    ineffective_m2: float
    effect_m2: dict[str, float]


@dataclass(frozen=True)
class EventVoided:
    event_id: int
    void_id: int
    voided_at: datetime


def _review(by: Principal | None, at: datetime, official: bool = True) -> records.Review:
    """Facts written by the authority (or by the system) are official at once; those of an
    operator, or on a hazard still awaiting review, wait for the authority's review."""
    approved = official and (by is None or by.approves_own_writes)
    return records.Review(
        status="approved" if approved else "pending",
        organisation_id=by.organisation_id if by else None,
        recorded_by=by.user_name if by else None,
        at=at,
    )


def record_hazard(
    conn: Connection, new: NewHazard, by: Principal | None = None, today: date | None = None
) -> HazardRecorded:
    _check_not_future(new.recorded_on, "recorded_on", today)
    footprint = ledger_footprint(new.footprint)
    at = ledger_store.lock_ledger(conn)
    if records.reference_exists(conn, new.reference):
        raise Conflict(f"a hazard with reference {new.reference!r} exists", field="reference")
    review = _review(by, at)
    row = records.insert_hazard(
        conn,
        {
            "reference": new.reference,
            "hazard_class": new.hazard_class.value,
            "contamination": new.contamination.value,
            "munitions": list(new.munitions),
            "recorded_on": new.recorded_on,
            "region": new.region,
            "notes": new.notes,
        },
        footprint,
        review,
    )
    if review.status == "approved":
        replay_region(conn, ledger_store.scopes_of(row.contamination), footprint, row.key, at)
        effect = records.effect_of_fact(conn, row.seq)
    else:
        effect = preview.effect_if_approved(conn, [row.seq], footprint, row.key)
    result = HazardRecorded(
        id=row.id,
        reference=row.reference,
        status=review.status,
        footprint_m2=geodesic_area_m2(footprint),
        discovered_m2=effect.get("discovered", 0.0),
        confirmed_m2=effect.get("confirmed", 0.0),
    )
    audit.append(conn, by, "create", "hazard", row.reference, asdict(result))
    return result


def record_event(
    conn: Connection,
    reference: str,
    new: NewEvent,
    settings: LedgerSettings,
    by: Principal | None = None,
    today: date | None = None,
) -> EventRecorded:
    _check_not_future(new.occurred_on, "date", today)
    at = ledger_store.lock_ledger(conn)
    hazard = records.hazard_by_reference(conn, reference)
    if hazard is None or not _may_see(by, hazard.status, hazard.organisation_id):
        raise NotFound(f"no hazard with reference {reference!r}", field="reference")
    if hazard.status == "pending" and (by is None or by.approves_own_writes):
        raise Conflict(
            f"hazard {reference} awaits review: approve it before recording its events",
            field="reference",
        )
    if new.occurred_on < hazard.recorded_on:
        raise InvalidInput(
            f"date {new.occurred_on.isoformat()} is before hazard {reference}'s date of "
            f"information {hazard.recorded_on.isoformat()}",
            field="date",
        )
    footprint = ledger_footprint(new.footprint)
    requested_m2 = geodesic_area_m2(footprint)
    _check_inside_hazard(footprint, requested_m2, hazard, settings)
    review = _review(by, at, official=hazard.status == "approved")
    event_id, seq = records.insert_event(
        conn,
        hazard.id,
        {
            "kind": new.kind.value,
            "occurred_on": new.occurred_on,
            "operator": new.operator,
            "method": new.method,
            "items": new.items,
            "report_ref": new.report_ref,
        },
        footprint,
        review,
    )
    key = LedgerKey(new.occurred_on, seq)
    scopes = ledger_store.scopes_of(hazard.contamination)
    if review.status == "approved":
        replay_region(conn, scopes, footprint, key, at)
        effects = [records.effect_of_fact(conn, seq, scope) for scope in scopes]
    else:
        seqs = [seq, hazard.seq] if hazard.status == "pending" else [seq]
        effects = [preview.effect_if_approved(conn, seqs, footprint, key, s) for s in scopes]
    effect = effects[0]
    effective_m2 = sum(effect.values())
    # In the model of its own contamination type a fact can change land that the national
    # model holds in another state (e.g. SHA under a mine CHA that covers it).
    if all(sum(e.values()) < settings.min_effective_m2 for e in effects):
        raise NoEffect(
            f"this {new.kind.value} changes no land: nothing inside its polygon is in a state "
            f"a {new.kind.value} can change on {new.occurred_on.isoformat()}",
            field="geometry",
        )
    result = EventRecorded(
        id=event_id,
        hazard_reference=reference,
        status=review.status,
        requested_m2=requested_m2,
        effective_m2=effective_m2,
        ineffective_m2=max(requested_m2 - effective_m2, 0.0),
        effect_m2=effect,
    )
    audit.append(conn, by, "create", "event", event_id, asdict(result))
    return result


def void_event(
    conn: Connection, event_id: int, reason: str, by: Principal | None = None
) -> EventVoided:
    if not reason.strip():
        raise InvalidInput("give the reason why the event is voided", field="reason")
    at = ledger_store.lock_ledger(conn)
    event = records.event_by_id(conn, event_id)
    if event is None:
        raise NotFound(f"no event with id {event_id}", field="id")
    if event.voided:
        raise Conflict(f"event {event_id} is already voided", field="id")
    if event.status != "approved":
        raise Conflict(
            f"event {event_id} is {event.status}: only approved events are voided "
            "(reject a pending one)",
            field="id",
        )
    voided_by = by.user_name if by else None
    void_id, voided_at = records.insert_void(conn, event_id, reason.strip(), voided_by, at)
    replay_region(conn, ledger_store.scopes_of(event.contamination), event.footprint, event.key, at)
    audit.append(conn, by, "void", "event", event_id, {"reason": reason.strip()})
    return EventVoided(event_id, void_id, voided_at)


def _may_see(by: Principal | None, status: str, organisation_id: int | None) -> bool:
    """Submissions awaiting review are seen by their own organisation and the authority."""
    if status == "approved" or by is None or by.sees_all_submissions:
        return True
    return organisation_id is not None and organisation_id == by.organisation_id


def _check_not_future(on: date, field_name: str, today: date | None) -> None:
    today = today or date.today()
    if on > today:
        raise InvalidInput(
            f"{field_name} {on.isoformat()} is in the future (today is {today.isoformat()})",
            field=field_name,
        )


def _check_inside_hazard(
    footprint: MultiPolygon,
    requested_m2: float,
    hazard: records.HazardRow,
    settings: LedgerSettings,
) -> None:
    outside = polygonal_part(difference(footprint, hazard.footprint))
    outside_m2 = geodesic_area_m2(outside)
    share = outside_m2 / requested_m2 if requested_m2 else 0.0
    if share > settings.outside_hazard_max_fraction and outside_m2 > settings.outside_hazard_max_m2:
        raise InvalidInput(
            f"{share:.0%} of the polygon ({outside_m2:,.0f} m²) lies outside hazard "
            f"{hazard.reference} (at most {settings.outside_hazard_max_fraction:.0%} or "
            f"{settings.outside_hazard_max_m2:,.0f} m² is accepted as overshoot)",
            field="geometry",
        )
