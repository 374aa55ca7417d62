"""Recording hazards and land-release events, and voiding events.

Each use case runs inside the caller's transaction: any error raised here rolls back every row
written so far, so a refused request changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, cast

from shapely.geometry import MultiPolygon
from sqlalchemy import Connection

from app.auth.policy import may_see, official_at_once, unapproved_visible_to
from app.auth.principal import Principal
from app.errors import (
    Conflict,
    InvalidInput,
    LandReleaseError,
    NoEffect,
    NotFound,
)
from app.ledger.facts import LedgerFact, NewEvent, NewHazard
from app.ledger.scopes import scopes_of
from app.ledger.states import (
    FactEffect,
    HazardClass,
    LedgerKey,
    fact_areas,
)
from app.services import preview
from app.services.fact_checks import (
    PreparedHazard,
    check_fact_date,
    measured_footprints,
    prepare_hazards,
)
from app.services.land_rebuild import begin_write
from app.services.ledger_update import (
    Change,
    NewHazardLand,
    add_hazard_land,
    replay_changes,
    replay_polygon,
)
from app.services.overshoot import Outside, Overshoot, Shaped, outsides, shaped
from app.settings import LedgerSettings
from app.storage import audit, overshoots, records, unmapped
from app.storage.effects import effects_of_facts


@dataclass(frozen=True)
class HazardRecorded:
    id: int
    reference: str
    status: str
    footprint_m2: float
    discovered_m2: float
    confirmed_m2: float
    absorbed_m2: float  # of the land it changed, what lies beyond its polygon (tolerance)

    @property
    def effective_m2(self) -> float:
        """The land it changed: land never recorded, and suspected land it confirmed."""
        return self.discovered_m2 + self.confirmed_m2


@dataclass(frozen=True)
class EventRecorded:
    id: int
    hazard_reference: str
    status: str  # approved, or pending: then the areas say what it would change if approved
    requested_m2: float
    effective_m2: float
    ineffective_m2: float
    effect_m2: dict[str, float]
    absorbed_m2: float  # of the effective area, what lies beyond its polygon (tolerance)
    # The polygon as submitted: its area, the part outside the hazard, and what the
    # overshoot policy cut off (requested_m2 is the area of the footprint kept).
    submitted_m2: float = 0.0
    outside_m2: float = 0.0
    clipped_m2: float = 0.0
    overshoot: str = Overshoot.REFUSE.value


@dataclass(frozen=True)
class EventVoided:
    event_id: int
    void_id: int
    voided_at: datetime


def _review(
    by: Principal | None, at: datetime, official: bool = True, import_id: int | None = None
) -> records.Review:
    """Facts written by the authority (or by the system) are official at once; those of an
    operator, or on a hazard still awaiting review, wait for the authority's review."""
    approved = official and official_at_once(by)
    return records.Review(
        status="approved" if approved else "pending",
        organisation_id=by.organisation_id if by else None,
        recorded_by=by.user_name if by else None,
        at=at,
        import_id=import_id,
    )


def record_hazard(
    conn: Connection, new: NewHazard, by: Principal | None = None, today: date | None = None
) -> HazardRecorded:
    return _one(record_hazards(conn, [new], by, today))


def record_event(
    conn: Connection,
    reference: str,
    new: NewEvent,
    settings: LedgerSettings,
    by: Principal | None = None,
    today: date | None = None,
    overshoot: Overshoot = Overshoot.REFUSE,
) -> EventRecorded:
    return _one(record_events(conn, [(reference, new)], settings, by, today, overshoot=overshoot))


def _one(results: list[Any]) -> Any:
    if isinstance(results[0], LandReleaseError):
        raise results[0]
    return results[0]


def record_hazards(
    conn: Connection,
    news: list[NewHazard],
    by: Principal | None = None,
    today: date | None = None,
) -> list[HazardRecorded | LandReleaseError]:
    """Record hazards in this order; for each, what it added, or why it was refused.

    The accepted ones go in together: one insert, one replay of the land they reach.
    """
    return record_prepared_hazards(conn, prepare_hazards(news, today), by)


def record_prepared_hazards(
    conn: Connection,
    prepared: list[PreparedHazard],
    by: Principal | None = None,
    import_id: int | None = None,
) -> list[HazardRecorded | LandReleaseError]:
    """``record_hazards`` of hazards prepared already (``prepare_hazards``), of the upload
    ``import_id`` if they came with one."""
    results: list[HazardRecorded | LandReleaseError | None] = [p.problem for p in prepared]
    news = [p.new for p in prepared]
    footprints = {i: p.footprint for i, p in enumerate(prepared) if p.footprint is not None}
    at = begin_write(conn)
    taken = records.existing_references(conn, [news[i].reference for i in footprints])
    accepted: list[int] = []
    for i in footprints:
        if news[i].reference in taken:
            results[i] = _reference_taken(news[i].reference, by)
        else:
            taken.add(news[i].reference)
            accepted.append(i)
    areas = [prepared[i].area_m2 for i in accepted]
    review = _review(by, at, import_id=import_id)
    rows = records.insert_hazards(
        conn,
        [
            ({**_hazard_values(news[i]), "footprint_m2": area}, footprints[i])
            for i, area in zip(accepted, areas, strict=True)
        ],
        review,
    )
    if review.status == "approved":
        effects = add_hazard_land(
            conn,
            [
                NewHazardLand(
                    LedgerFact(
                        r.key, r.id, HazardClass(r.hazard_class), r.footprint, r.contamination
                    ),
                    area,
                )
                for r, area in zip(rows, areas, strict=True)
            ],
            at,
        )
    else:
        effects = {
            r.seq: preview.effect_if_approved(conn, [r.seq], r.footprint, r.key) for r in rows
        }
    for i, row, area in zip(accepted, rows, areas, strict=True):
        effect = effects[row.seq]
        results[i] = HazardRecorded(
            id=row.id,
            reference=row.reference,
            status=review.status,
            footprint_m2=area,
            discovered_m2=effect.flows.get("discovered", 0.0),
            confirmed_m2=effect.flows.get("confirmed", 0.0),
            absorbed_m2=fact_areas(area, effect.effective_m2, effect.absorbed_m2)[0],
        )
    audit.append_many(
        conn,
        by,
        "create",
        "hazard",
        [(r.reference, vars(results[i])) for i, r in zip(accepted, rows, strict=True)],
    )
    return results  # type: ignore[return-value]


def _reference_taken(reference: str, by: Principal | None) -> Conflict:
    """A reference is unique, so a caller learns that it is taken, and nothing more: a
    caller who may not see every submission is told the same whoever holds it (another
    organisation's submission awaiting review, or an approved hazard)."""
    if unapproved_visible_to(by) is None:
        return Conflict(
            code="hazard.reference_taken", params={"reference": reference}, field="reference"
        )
    return Conflict(
        code="reference.unavailable", params={"reference": reference}, field="reference"
    )


def _hazard_values(new: NewHazard) -> dict[str, Any]:
    return {
        "reference": new.reference,
        "hazard_class": new.hazard_class.value,
        "contamination": new.contamination.value,
        "munitions": list(new.munitions),
        "recorded_on": new.recorded_on,
        "region": new.region,
        "notes": new.notes,
    }


@dataclass
class _Pending:
    """An event that passed the checks, on its way into the ledger."""

    index: int
    new: NewEvent
    hazard: records.HazardRow
    shape: Shaped
    review: records.Review
    id: int = 0
    seq: int = 0

    @property
    def footprint(self) -> MultiPolygon:
        return self.shape.footprint

    @property
    def requested_m2(self) -> float:
        """The area of the footprint the ledger keeps."""
        return self.shape.footprint_m2

    @property
    def key(self) -> LedgerKey:
        return LedgerKey(self.new.occurred_on, self.seq)


def record_events(
    conn: Connection,
    items: list[tuple[str, NewEvent]],
    settings: LedgerSettings,
    by: Principal | None = None,
    today: date | None = None,
    import_id: int | None = None,
    overshoot: Overshoot = Overshoot.REFUSE,
) -> list[EventRecorded | LandReleaseError]:
    """Record events (each with its hazard's reference) in this order, of the upload
    ``import_id`` if they came with one; for each, the land it changed, or why it was
    refused. The accepted ones go in together. ``overshoot`` says what becomes of the part of
    a polygon outside its hazard (app.services.overshoot)."""
    results: list[EventRecorded | LandReleaseError | None] = [None] * len(items)
    at = begin_write(conn)
    references = sorted({ref for ref, _ in items})
    hazards = records.hazards_by_reference(conn, references)
    not_mapped = unmapped.held_references(conn, [r for r in references if r not in hazards])
    footprints = measured_footprints([new.footprint for _, new in items])
    outside = outsides(
        [_pair(footprints[i][0], hazards.get(ref)) for i, (ref, _) in enumerate(items)]
    )
    checked: list[_Pending] = []
    for i, (reference, new) in enumerate(items):
        try:
            if reference in not_mapped:
                raise _not_mapped(reference)
            event = _checked_event(
                i,
                reference,
                new,
                footprints[i],
                hazards,
                settings,
                by,
                today,
                at,
                import_id,
                overshoot,
                outside[i],
            )
            checked.append(event)
        except LandReleaseError as error:
            results[i] = error
    while True:
        savepoint = conn.begin_nested()
        refused = _insert_and_replay(conn, checked, settings, at, results)
        if not refused:
            savepoint.commit()
            break
        # A fact that changes nothing changes nothing for the others either: try once more
        # without it, and the rest keeps the effects it had.
        savepoint.rollback()
        checked = [p for p in checked if p.index not in refused]
    audit.append_many(
        conn,
        by,
        "create",
        "event",
        [(p.id, asdict(cast(EventRecorded, results[p.index]))) for p in checked],
    )
    return results  # type: ignore[return-value]


def _checked_event(
    index: int,
    reference: str,
    new: NewEvent,
    measured: tuple[MultiPolygon | LandReleaseError, float],
    hazards: dict[str, records.HazardRow],
    settings: LedgerSettings,
    by: Principal | None,
    today: date | None,
    at: datetime,
    import_id: int | None,
    overshoot: Overshoot,
    outside: Outside | None,
) -> _Pending:
    check_fact_date(new.occurred_on, "date", today)
    hazard = hazards.get(reference)
    if hazard is None or not may_see(by, hazard.status, hazard.organisation_id):
        raise NotFound(code="hazard.not_found", params={"reference": reference}, field="reference")
    if hazard.status == "pending" and official_at_once(by):
        raise Conflict(
            code="hazard.awaits_review", params={"reference": reference}, field="reference"
        )
    if new.occurred_on < hazard.recorded_on:
        raise InvalidInput(
            code="event.before_hazard",
            params={
                "date": new.occurred_on.isoformat(),
                "reference": reference,
                "hazard_date": hazard.recorded_on.isoformat(),
            },
            field="date",
        )
    footprint, requested_m2 = measured
    if isinstance(footprint, LandReleaseError):
        raise footprint
    shape = shaped(overshoot, footprint, requested_m2, hazard, settings, outside)
    review = _review(by, at, official=hazard.status == "approved", import_id=import_id)
    return _Pending(index, new, hazard, shape, review)


def _pair(
    footprint: MultiPolygon | LandReleaseError, hazard: records.HazardRow | None
) -> tuple[MultiPolygon, records.HazardRow] | None:
    """A footprint and its hazard, to measure the part outside it, when both are known."""
    if isinstance(footprint, LandReleaseError) or hazard is None:
        return None
    return footprint, hazard


def _not_mapped(reference: str) -> Conflict:
    return Conflict(
        code="hazard.not_mapped_events", params={"reference": reference}, field="reference"
    )


def _insert_and_replay(
    conn: Connection,
    pending: list[_Pending],
    settings: LedgerSettings,
    at: datetime,
    results: list[Any],
) -> set[int]:
    """Insert and replay the events; fill in their results; the indexes of those that change
    no land in any scope they take part in (nothing is kept of them when there are any)."""
    inserted = records.insert_events(
        conn,
        [
            (
                p.hazard.id,
                _event_values(p.new, p.requested_m2),
                p.footprint,
                p.review,
            )
            for p in pending
        ],
    )
    for p, (event_id, seq) in zip(pending, inserted, strict=True):
        p.id, p.seq = event_id, seq
    overshoots.insert(
        conn,
        [
            overshoots.OvershootRow(
                p.id,
                p.shape.policy.value,
                p.shape.submitted_m2,
                p.shape.outside_m2,
                p.shape.submitted,
            )
            for p in pending
            if p.shape.outside_m2 > 0
        ],
    )
    official = [p for p in pending if p.review.status == "approved"]
    replay_changes(
        conn,
        [Change(p.footprint, p.key, scopes_of(p.hazard.contamination)) for p in official],
        at,
    )
    effects = _event_effects(conn, pending)
    refused: set[int] = set()
    for p in pending:
        by_scope = effects[p.seq]
        if all(e.effective_m2 < settings.min_effective_m2 for e in by_scope):
            refused.add(p.index)
            results[p.index] = NoEffect(
                code="event.no_effect",
                params={"kind": p.new.kind.value, "date": p.new.occurred_on.isoformat()},
                field="geometry",
            )
            continue
        national = by_scope[0]
        absorbed_m2, ineffective_m2 = fact_areas(
            p.requested_m2, national.effective_m2, national.absorbed_m2
        )
        results[p.index] = EventRecorded(
            id=p.id,
            hazard_reference=p.hazard.reference,
            status=p.review.status,
            requested_m2=p.requested_m2,
            effective_m2=national.effective_m2,
            ineffective_m2=ineffective_m2,
            effect_m2=national.flows,
            absorbed_m2=absorbed_m2,
            submitted_m2=p.shape.submitted_m2,
            outside_m2=p.shape.outside_m2,
            clipped_m2=p.shape.clipped_m2,
            overshoot=p.shape.policy.value,
        )
    return refused


def _event_effects(conn: Connection, pending: list[_Pending]) -> dict[int, list[FactEffect]]:
    """For each event, its effect in the national scope and in its contamination's scope
    (for a pending one: what it would change if approved)."""
    effects: dict[int, list[FactEffect]] = {}
    official = [p.seq for p in pending if p.review.status == "approved"]
    national = effects_of_facts(conn, official)
    by_type: dict[str, dict[int, FactEffect]] = {}
    for contamination in {p.hazard.contamination for p in pending}:
        by_type[contamination] = effects_of_facts(conn, official, contamination)
    for p in pending:
        if p.review.status == "approved":
            effects[p.seq] = [national[p.seq], by_type[p.hazard.contamination][p.seq]]
        else:
            seqs = [p.seq, p.hazard.seq] if p.hazard.status == "pending" else [p.seq]
            effects[p.seq] = [
                preview.effect_if_approved(conn, seqs, p.footprint, p.key, scope)
                for scope in scopes_of(p.hazard.contamination)
            ]
    return effects


def _event_values(new: NewEvent, requested_m2: float) -> dict[str, Any]:
    return {
        "requested_m2": requested_m2,
        "kind": new.kind.value,
        "occurred_on": new.occurred_on,
        "operator": new.operator,
        "method": new.method,
        "items": new.items,
        "report_ref": new.report_ref,
    }


def void_event(
    conn: Connection, event_id: int, reason: str, by: Principal | None = None
) -> EventVoided:
    if not reason.strip():
        raise InvalidInput(code="event.void_reason_missing", field="reason")
    at = begin_write(conn)
    event = records.event_by_id(conn, event_id)
    if event is None:
        raise NotFound(code="event.not_found", params={"id": event_id}, field="id")
    if event.voided:
        raise Conflict(code="event.already_voided", params={"id": event_id}, field="id")
    if event.status != "approved":
        raise Conflict(
            code="event.void_unofficial",
            params={"id": event_id, "status": event.status},
            field="id",
        )
    voided_by = by.user_name if by else None
    void_id, voided_at = records.insert_void(conn, event_id, reason.strip(), voided_by, at)
    replay_polygon(
        conn,
        scopes_of(event.contamination),
        event.footprint,
        event.key,
        at,
        changed=(event.key.seq,),
    )
    audit.append(conn, by, "void", "event", event_id, {"reason": reason.strip()})
    return EventVoided(event_id, void_id, voided_at)
