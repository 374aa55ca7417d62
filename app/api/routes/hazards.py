"""Hazardous areas: record them, list them as of a date, record their land-release events."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response
from shapely.geometry import Point
from sqlalchemy import Connection

from app.api.deps import (
    ApiSettingsDep,
    AsOfDep,
    ConnectionDep,
    KnownAtDep,
    LedgerSettingsDep,
    ScopeDep,
)
from app.api.geojson import event_feature, footprint_from_geojson, hazard_feature
from app.api.models.events import EventCollection, RecordedEvent
from app.api.models.files import file_answer
from app.api.models.hazards import (
    HazardAsOf,
    HazardCollection,
    HazardLineage,
    NotMappedCollection,
    RecordedHazard,
    RecordedNotMapped,
)
from app.api.photos import photo_answer
from app.api.schemas import EventFeature, HazardFeature, NotMappedHazardBody
from app.api.security import allow
from app.api.views import BBoxText, boxes, view_for
from app.auth.policy import Action
from app.auth.principal import Principal
from app.errors import InvalidInput, NotFound
from app.ledger.facts import NewEvent, NewHazard, UnmappedHazard
from app.services import recording, unmapped_hazards
from app.services.overshoot import OVERSHOOT_HELP, Overshoot
from app.storage import event_queries, hazard_queries, lineage, phone_submissions, unmapped
from app.storage.conditions import View

router = APIRouter(prefix="/api/v1/hazards", tags=["hazards"])

Reader = Annotated[Principal, Depends(allow(Action.READ_HAZARDS))]
Submitter = Annotated[Principal, Depends(allow(Action.SUBMIT))]
Repair = Annotated[bool, Query(description="make an invalid polygon valid instead of refusing it")]


@router.post(
    "",
    status_code=201,
    response_model=RecordedHazard,
    summary="Record a suspected or confirmed hazardous area",
)
def create_hazard(
    body: HazardFeature,
    conn: ConnectionDep,
    principal: Submitter,
    response: Response,
    repair: Repair = False,
) -> dict:
    props = body.properties
    footprint = footprint_from_geojson(body.geometry, repair=repair)
    result = recording.record_hazard(
        conn,
        NewHazard(
            reference=props.reference,
            hazard_class=props.hazard_class,
            contamination=props.contamination,
            recorded_on=props.recorded_on,
            footprint=footprint,
            munitions=props.munitions,
            region=props.region,
            notes=props.notes,
        ),
        by=principal,
    )
    # Any script, written in the header as its URL (RFC 3986: percent-encoded UTF-8).
    response.headers["Location"] = f"/api/v1/hazards/{quote(result.reference, safe='')}"
    hazard = hazard_queries.get_hazard(
        conn, result.reference, view_for(principal, props.recorded_on)
    )
    assert hazard is not None
    hazard.update(discovered_m2=result.discovered_m2, confirmed_m2=result.confirmed_m2)
    return hazard_feature(hazard)


@router.post(
    "/not-mapped",
    status_code=201,
    response_model=RecordedNotMapped,
    summary="Record a hazard without a polygon: a point or no location, and a declared area",
)
def create_not_mapped(body: NotMappedHazardBody, conn: ConnectionDep, principal: Submitter) -> dict:
    if (body.lon is None) != (body.lat is None):
        raise InvalidInput(field="lon", code="hazard.location_half")
    location = Point(body.lon, body.lat) if body.lon is not None and body.lat is not None else None
    fields = body.model_dump(exclude={"lon", "lat"})
    recorded = unmapped_hazards.record_one(
        conn, UnmappedHazard(**fields, location=location), by=principal
    )
    return {"id": recorded.id, "reference": recorded.reference, "declared_m2": recorded.declared_m2}


@router.get(
    "/not-mapped",
    response_model=NotMappedCollection,
    summary="Hazards recorded without a polygon (not mapped, declared) as of a date",
)
def list_not_mapped(
    conn: ConnectionDep,
    principal: Reader,
    settings: ApiSettingsDep,
    as_of: AsOfDep,
    scope: ScopeDep,
    known_at: KnownAtDep,
    limit: Annotated[int | None, Query(ge=1)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict:
    limit = min(limit or settings.default_page_size, settings.max_page_size)
    view = view_for(principal, as_of, scope, known_at)
    hazards, matched = unmapped.listing(conn, view, limit, offset)
    total = unmapped.declared(conn, as_of, scope, known_at)
    return {
        "as_of": as_of,
        "numberMatched": matched,
        "numberReturned": len(hazards),
        "declared_m2": total.declared_m2,
        "hazards": hazards,
    }


@router.get(
    "",
    response_model=HazardCollection,
    summary="Hazards with the land each still holds as of a date (GeoJSON)",
)
def list_hazards(
    request: Request,
    conn: ConnectionDep,
    principal: Reader,
    settings: ApiSettingsDep,
    as_of: AsOfDep,
    scope: ScopeDep,
    known_at: KnownAtDep,
    limit: Annotated[int | None, Query(ge=1)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    bbox: BBoxText = None,
) -> dict:
    limit = limit or settings.default_page_size
    if limit > settings.max_page_size:
        raise InvalidInput(
            code="paging.limit_above_maximum",
            params={"limit": limit, "maximum": settings.max_page_size},
            field="limit",
        )
    view = view_for(principal, as_of, scope, known_at)
    page = hazard_queries.list_hazards(conn, view, boxes(bbox), limit, offset)
    links = [{"rel": "self", "href": str(request.url)}]
    if offset + len(page.hazards) < page.number_matched:
        links.append(
            {"rel": "next", "href": str(request.url.include_query_params(offset=offset + limit))}
        )
    return {
        "type": "FeatureCollection",
        "as_of": as_of,
        "numberMatched": page.number_matched,
        "numberReturned": len(page.hazards),
        "features": [hazard_feature(h) for h in page.hazards],
        "links": links,
    }


@router.get(
    "/{reference}",
    response_model=HazardAsOf,
    summary="One hazard with the land it still holds as of a date",
)
def get_hazard(
    reference: str,
    conn: ConnectionDep,
    principal: Reader,
    as_of: AsOfDep,
    scope: ScopeDep,
    known_at: KnownAtDep,
) -> dict:
    hazard = _hazard_or_not_found(conn, reference, view_for(principal, as_of, scope, known_at))
    hazard["as_of"] = as_of
    hazard["photos"] = phone_submissions.photos_of_imports(conn, [hazard["import_id"]]).get(
        hazard["import_id"], []
    )
    return hazard_feature(hazard)


@router.get(
    "/{reference}/photos/{name}",
    response_class=Response,
    responses=file_answer("the photo as the phone sent it", "image/jpeg", "image/png"),
    summary="A photo a phone sent with the hazard's record, for whoever may see the hazard",
)
def get_hazard_photo(
    reference: str, name: str, conn: ConnectionDep, principal: Reader, known_at: KnownAtDep
) -> Response:
    hazard = _hazard_or_not_found(conn, reference, view_for(principal, date.max, known_at=known_at))
    return photo_answer(conn, hazard["import_id"], name)


@router.post(
    "/{reference}/events",
    status_code=201,
    response_model=RecordedEvent,
    summary="Record a land-release event (confirm, cancel, reduce, clear, correct)",
)
def create_event(
    reference: str,
    body: EventFeature,
    conn: ConnectionDep,
    principal: Submitter,
    settings: LedgerSettingsDep,
    response: Response,
    repair: Repair = False,
    overshoot: Annotated[Overshoot, Query(description=OVERSHOOT_HELP)] = Overshoot.REFUSE,
) -> dict:
    props = body.properties
    footprint = footprint_from_geojson(body.geometry, repair=repair)
    result = recording.record_event(
        conn,
        reference,
        NewEvent(
            kind=props.kind,
            occurred_on=props.date,
            footprint=footprint,
            operator=props.operator,
            method=props.method,
            items=props.items,
            report_ref=props.report_ref,
        ),
        settings,
        by=principal,
        overshoot=overshoot,
    )
    response.headers["Location"] = f"/api/v1/events/{result.id}"
    event = event_queries.event_detail(conn, result.id, view_for(principal, props.date))
    assert event is not None
    # What it changed (or, awaiting review, what it would change), by flow.
    event.update(
        effective_m2=result.effective_m2,
        ineffective_m2=result.ineffective_m2,
        effect_m2=result.effect_m2,
        absorbed_m2=result.absorbed_m2,
        overshoot=result.overshoot,
        submitted_m2=result.submitted_m2,
        outside_m2=result.outside_m2,
        clipped_m2=result.clipped_m2,
    )
    return event_feature(event)


@router.get(
    "/{reference}/events",
    response_model=EventCollection,
    summary="The hazard's events in ledger order (its timeline)",
)
def list_events(
    reference: str, conn: ConnectionDep, principal: Reader, known_at: KnownAtDep
) -> dict:
    view = view_for(principal, date.max, known_at=known_at)
    hazard = _hazard_or_not_found(conn, reference, view)
    # Facts of other hazards that took land from this one are in its timeline too: their
    # events among its own, the records of other hazards beside them.
    changed_here: dict[int, float] = {}
    records: dict[int, dict] = {}
    for entry in lineage.hazard_lineage(conn, hazard["id"], view.known_at):
        if entry.gained:
            continue
        if entry.fact == "event":
            changed_here[entry.fact_id] = changed_here.get(entry.fact_id, 0.0) + entry.area_m2
            continue
        record = records.setdefault(
            entry.seq,
            {
                "hazard_reference": entry.fact_hazard,
                "hazard_class": entry.kind,
                "date": entry.on,
                "changed_here_m2": 0.0,
            },
        )
        record["changed_here_m2"] += entry.area_m2
    events = event_queries.hazard_events(conn, hazard["id"], view, changed_here)
    return {
        "type": "FeatureCollection",
        "features": [event_feature(e) for e in events],
        "records_here": list(records.values()),
    }


@router.get(
    "/{reference}/lineage",
    response_model=HazardLineage,
    summary="The land the hazard gained and lost, fact by fact: from whom, to which state",
)
def get_lineage(
    reference: str, conn: ConnectionDep, principal: Reader, known_at: KnownAtDep
) -> dict:
    view = view_for(principal, date.max, known_at=known_at)
    hazard = _hazard_or_not_found(conn, reference, view)
    entries = lineage.hazard_lineage(conn, hazard["id"], view.known_at)
    return {"reference": reference, "entries": [asdict(e) for e in entries]}


def _hazard_or_not_found(conn: Connection, reference: str, view: View) -> dict:
    hazard = hazard_queries.get_hazard(conn, reference, view)
    if hazard is None:
        raise NotFound(code="hazard.not_found", params={"reference": reference}, field="reference")
    return hazard
