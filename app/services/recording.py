"""Recording hazards and land-release events, and voiding events.

Each use case runs inside the caller's transaction: any error raised here rolls back every row
written so far, so a refused request changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from shapely.geometry import MultiPolygon
from sqlalchemy import Connection

from app.errors import Conflict, InvalidInput, NoEffect, NotFound
from app.geo.area import geodesic_area_m2
from app.geo.polygons import difference, ledger_footprint, polygonal_part
from app.ledger.states import Contamination, EventKind, HazardClass, LedgerKey
from app.services.ledger_update import replay_region
from app.settings import LedgerSettings
from app.storage import ledger_store, records


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
    recorded_by: str | None = None


@dataclass(frozen=True)
class NewEvent:
    kind: EventKind
    occurred_on: date
    footprint: MultiPolygon
    operator: str | None = None
    method: str | None = None
    items: dict[str, int] = field(default_factory=dict)
    report_ref: str | None = None
    recorded_by: str | None = None


@dataclass(frozen=True)
class HazardRecorded:
    id: int
    reference: str
    footprint_m2: float
    discovered_m2: float
    confirmed_m2: float


@dataclass(frozen=True)
class EventRecorded:
    id: int
    hazard_reference: str
    requested_m2: float
    effective_m2: float
    ineffective_m2: float
    effect_m2: dict[str, float]


@dataclass(frozen=True)
class EventVoided:
    event_id: int
    void_id: int
    voided_at: datetime


def record_hazard(conn: Connection, new: NewHazard, today: date | None = None) -> HazardRecorded:
    _check_not_future(new.recorded_on, "recorded_on", today)
    footprint = ledger_footprint(new.footprint)
    ledger_store.lock_ledger(conn)
    if records.reference_exists(conn, new.reference):
        raise Conflict(f"a hazard with reference {new.reference!r} exists", field="reference")
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
            "recorded_by": new.recorded_by,
        },
        footprint,
    )
    replay_region(conn, ledger_store.scopes_of(row.contamination), footprint, row.key)
    effect = records.effect_of_fact(conn, row.seq)
    return HazardRecorded(
        id=row.id,
        reference=row.reference,
        footprint_m2=geodesic_area_m2(footprint),
        discovered_m2=effect.get("discovered", 0.0),
        confirmed_m2=effect.get("confirmed", 0.0),
    )


def record_event(
    conn: Connection,
    reference: str,
    new: NewEvent,
    settings: LedgerSettings,
    today: date | None = None,
) -> EventRecorded:
    _check_not_future(new.occurred_on, "date", today)
    ledger_store.lock_ledger(conn)
    hazard = records.hazard_by_reference(conn, reference)
    if hazard is None:
        raise NotFound(f"no hazard with reference {reference!r}", field="reference")
    if new.occurred_on < hazard.recorded_on:
        raise InvalidInput(
            f"date {new.occurred_on.isoformat()} is before hazard {reference}'s date of "
            f"information {hazard.recorded_on.isoformat()}",
            field="date",
        )
    footprint = ledger_footprint(new.footprint)
    requested_m2 = geodesic_area_m2(footprint)
    _check_inside_hazard(footprint, requested_m2, hazard, settings)
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
            "recorded_by": new.recorded_by,
        },
        footprint,
    )
    scopes = ledger_store.scopes_of(hazard.contamination)
    replay_region(conn, scopes, footprint, LedgerKey(new.occurred_on, seq))
    effect = records.effect_of_fact(conn, seq)
    effective_m2 = sum(effect.values())
    if effective_m2 < settings.min_effective_m2 and not _changes_own_scope(
        conn, seq, scopes, settings.min_effective_m2
    ):
        raise NoEffect(
            f"this {new.kind.value} changes no land: nothing inside its polygon is in a state "
            f"a {new.kind.value} can change on {new.occurred_on.isoformat()}",
            field="geometry",
        )
    return EventRecorded(
        id=event_id,
        hazard_reference=reference,
        requested_m2=requested_m2,
        effective_m2=effective_m2,
        ineffective_m2=max(requested_m2 - effective_m2, 0.0),
        effect_m2=effect,
    )


def void_event(
    conn: Connection, event_id: int, reason: str, voided_by: str | None = None
) -> EventVoided:
    if not reason.strip():
        raise InvalidInput("give the reason why the event is voided", field="reason")
    ledger_store.lock_ledger(conn)
    event = records.event_by_id(conn, event_id)
    if event is None:
        raise NotFound(f"no event with id {event_id}", field="id")
    if event.voided:
        raise Conflict(f"event {event_id} is already voided", field="id")
    void_id, voided_at = records.insert_void(conn, event_id, reason.strip(), voided_by)
    replay_region(conn, ledger_store.scopes_of(event.contamination), event.footprint, event.key)
    return EventVoided(event_id, void_id, voided_at)


def _changes_own_scope(conn: Connection, seq: int, scopes: tuple[str, ...], min_m2: float) -> bool:
    # In the model of its own contamination type a fact can change land that the national
    # model holds in another state (e.g. SHA under a mine CHA that covers it).
    return any(sum(records.effect_of_fact(conn, seq, s).values()) >= min_m2 for s in scopes[1:])


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
