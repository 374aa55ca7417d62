"""Hazards recorded without a polygon (``unmapped_hazards``): kept apart from the ledger,
listed and totalled as "not mapped (declared)" as of a date, as known at a moment, until a
hazard recorded with a polygon under the same reference maps them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, text

from app.ledger.facts import UnmappedHazard
from app.ledger.scopes import NATIONAL
from app.storage.conditions import View, official
from app.storage.sql import TRUE, Clause, all_of


def held_references(conn: Connection, references: list[str]) -> set[str]:
    """Those of ``references`` that name a hazard recorded without a polygon."""
    if not references:
        return set()
    rows = conn.execute(
        text("SELECT reference FROM unmapped_hazards WHERE reference = ANY(:r)"),
        {"r": references},
    )
    return set(rows.scalars())


def insert(
    conn: Connection,
    hazards: list[UnmappedHazard],
    recorded_by: str | None,
    organisation_id: int | None,
    at: datetime,
) -> list[int]:
    """Append the records in this order; their ids."""
    if not hazards:
        return []
    rows = conn.execute(
        text(
            """
            INSERT INTO unmapped_hazards (reference, hazard_class, contamination, munitions,
                                          recorded_on, region, notes, location, declared_m2,
                                          recorded_at, recorded_by, organisation_id)
            SELECT r->>'reference', r->>'hazard_class', r->>'contamination',
                   ARRAY(SELECT jsonb_array_elements_text(r->'munitions')),
                   CAST(r->>'recorded_on' AS date), r->>'region', r->>'notes',
                   ST_SetSRID(ST_MakePoint(CAST(r->>'lon' AS float8),
                                           CAST(r->>'lat' AS float8)), 4326),
                   CAST(r->>'declared_m2' AS float8), :at, :by, :organisation_id
              FROM jsonb_array_elements(CAST(:rows AS jsonb)) WITH ORDINALITY AS t(r, ord)
             ORDER BY t.ord
            RETURNING id
            """
        ),
        {
            "rows": json.dumps([_values(h) for h in hazards]),
            "at": at,
            "by": recorded_by,
            "organisation_id": organisation_id,
        },
    )
    return list(rows.scalars())


def _values(hazard: UnmappedHazard) -> dict[str, Any]:
    return {
        "reference": hazard.reference,
        "hazard_class": hazard.hazard_class.value,
        "contamination": hazard.contamination.value,
        "munitions": list(hazard.munitions),
        "recorded_on": hazard.recorded_on.isoformat(),
        "region": hazard.region,
        "notes": hazard.notes,
        "lon": hazard.location.x if hazard.location is not None else None,
        "lat": hazard.location.y if hazard.location is not None else None,
        "declared_m2": hazard.declared_m2,
    }


def _not_mapped(as_of: date, scope: str, known_at: datetime | None) -> Clause:
    """Records (``u``) that stand as of ``as_of`` in ``scope``, as known at ``known_at``:
    recorded by then, and not mapped by then by a hazard with a polygon and the same
    reference."""
    mapped_known = (
        Clause("coalesce(h.reviewed_at, h.recorded_at) <= :known_at", {"known_at": known_at})
        if known_at is not None
        else TRUE
    )
    mapped = all_of(
        [
            Clause("h.reference = u.reference"),
            Clause(official("h")),
            Clause("h.recorded_on <= :as_of"),
            mapped_known,
        ]
    )
    return all_of(
        [
            Clause("u.recorded_on <= :as_of", {"as_of": as_of}),
            TRUE if scope == NATIONAL else Clause("u.contamination = :scope", {"scope": scope}),
            Clause("u.recorded_at <= :known_at", {"known_at": known_at})
            if known_at is not None
            else TRUE,
            Clause(f"NOT EXISTS (SELECT 1 FROM hazards h WHERE {mapped.sql})", mapped.params),
        ]
    )


@dataclass(frozen=True)
class Declared:
    """Hazards not mapped: how many, and the area their sources declare (never counted in
    the figures of mapped land)."""

    hazards: int
    declared_m2: float

    def as_dict(self) -> dict[str, Any]:
        return {"hazards": self.hazards, "declared_m2": self.declared_m2}


def declared(
    conn: Connection, as_of: date, scope: str = NATIONAL, known_at: datetime | None = None
) -> Declared:
    """The hazards not mapped as of ``as_of``, and their declared area."""
    where = _not_mapped(as_of, scope, known_at)
    count, m2 = conn.execute(
        text(
            "SELECT count(*), coalesce(sum(u.declared_m2), 0) FROM unmapped_hazards u "
            f"WHERE {where.sql}"
        ),
        dict(where.params),
    ).one()
    return Declared(count, m2)


_COLUMNS = """
    u.id, u.reference, u.hazard_class, u.contamination, u.munitions, u.recorded_on, u.region,
    u.notes, u.declared_m2, u.recorded_at, u.recorded_by, u.organisation_id,
    ST_X(u.location) AS lon, ST_Y(u.location) AS lat
"""


def listing(
    conn: Connection, view: View, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of the hazards not mapped of ``view``, by reference, and how many there are."""
    where = _not_mapped(view.as_of, view.scope, view.known_at)
    rows = conn.execute(
        text(
            f"SELECT {_COLUMNS} FROM unmapped_hazards u WHERE {where.sql} "
            "ORDER BY u.reference LIMIT :limit OFFSET :offset"
        ),
        {**where.params, "limit": limit, "offset": offset},
    )
    matched = conn.execute(
        text(f"SELECT count(*) FROM unmapped_hazards u WHERE {where.sql}"), dict(where.params)
    ).scalar_one()
    return [row._asdict() for row in rows], matched


def by_reference(conn: Connection, reference: str) -> dict[str, Any] | None:
    """The record of ``reference``, mapped since or not (``mapped_by``: the reference of
    the hazard with a polygon that maps it, if any)."""
    row = conn.execute(
        text(
            f"""
            SELECT {_COLUMNS},
                   EXISTS (SELECT 1 FROM hazards h
                            WHERE h.reference = u.reference AND {official("h")}) AS mapped
              FROM unmapped_hazards u WHERE u.reference = :reference
            """
        ),
        {"reference": reference},
    ).first()
    return row._asdict() if row else None
