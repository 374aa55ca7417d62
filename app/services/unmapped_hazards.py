"""Recording hazards without a polygon: a legacy point or no location at all, with the area
the record declares. They are the authority's records (a national database migrated), kept
apart from the ledger: listed and reported as "not mapped (declared)", never counted in the
figures of mapped land. Recording the hazard later with its polygon, under the same
reference, maps it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from app.auth.policy import official_at_once
from app.auth.principal import Principal
from app.errors import Conflict, Forbidden, InvalidInput, LandReleaseError
from app.ledger.facts import UnmappedHazard
from app.services.fact_checks import check_fact_date
from app.services.land_rebuild import begin_write
from app.storage import audit, records, unmapped


@dataclass(frozen=True)
class UnmappedRecorded:
    id: int
    reference: str
    declared_m2: float
    status: str = "approved"
    mapped: bool = False


def record_unmapped(
    conn: Connection,
    hazards: list[UnmappedHazard],
    by: Principal | None = None,
    today: date | None = None,
) -> list[UnmappedRecorded | LandReleaseError]:
    """Record the hazards in this order; for each, its id, or why it was refused."""
    results: list[UnmappedRecorded | LandReleaseError | None] = [None] * len(hazards)
    at = begin_write(conn)
    references = [h.reference for h in hazards]
    taken = records.existing_references(conn, references) | unmapped.held_references(
        conn, references
    )
    accepted: list[int] = []
    for i, hazard in enumerate(hazards):
        try:
            _check(hazard, by, today)
            if hazard.reference in taken:
                raise Conflict(
                    field="reference",
                    code="hazard.reference_taken",
                    params={"reference": hazard.reference},
                )
            taken.add(hazard.reference)
            accepted.append(i)
        except LandReleaseError as error:
            results[i] = error
    ids = unmapped.insert(
        conn,
        [hazards[i] for i in accepted],
        by.user_name if by else None,
        by.organisation_id if by else None,
        at,
    )
    for i, record_id in zip(accepted, ids, strict=True):
        results[i] = UnmappedRecorded(record_id, hazards[i].reference, hazards[i].declared_m2)
    audit.append_many(
        conn,
        by,
        "create",
        "unmapped hazard",
        [(hazards[i].reference, vars(results[i])) for i in accepted],
    )
    return results  # type: ignore[return-value]


def record_one(
    conn: Connection, hazard: UnmappedHazard, by: Principal | None = None
) -> UnmappedRecorded:
    [result] = record_unmapped(conn, [hazard], by)
    if isinstance(result, LandReleaseError):
        raise result
    return result


def _check(hazard: UnmappedHazard, by: Principal | None, today: date | None) -> None:
    if not official_at_once(by):
        raise Forbidden(
            field="geometry",
            code="hazard.not_mapped_authority_only",
        )
    check_fact_date(hazard.recorded_on, "recorded_on", today)
    if not (math.isfinite(hazard.declared_m2) and hazard.declared_m2 > 0):
        raise InvalidInput(
            field="declared_m2",
            code="hazard.declared_not_area",
            params={"value": str(hazard.declared_m2)},
        )
    point = hazard.location
    if point is not None and not (-180 <= point.x <= 180 and -90 <= point.y <= 90):
        raise InvalidInput(
            field="geometry",
            code="hazard.location_not_lon_lat",
            params={"lon": point.x, "lat": point.y},
        )
