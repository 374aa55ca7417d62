"""The facts of the ledger as values: hazard records and land-release events as they are
submitted, and every fact as the replay sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from shapely.geometry import MultiPolygon, Point
from shapely.geometry.base import BaseGeometry

from app.ledger.states import Contamination, EventKind, HazardClass, LedgerKey


@dataclass(frozen=True)
class NewHazard:
    """A hazard record as submitted (by the API, a field file or a bulk load)."""

    reference: str
    hazard_class: HazardClass
    contamination: Contamination
    recorded_on: date
    footprint: MultiPolygon
    munitions: list[str] = field(default_factory=list)
    region: str | None = None  # the region the field team named, as written
    notes: str | None = None


@dataclass(frozen=True)
class UnmappedHazard:
    """A hazard record without a polygon (a legacy point, or no location at all) with the
    area its source declares. It is kept apart: it never enters the land state, so no figure
    counted once includes it; figures show its declared area beside theirs."""

    reference: str
    hazard_class: HazardClass
    contamination: Contamination
    recorded_on: date
    declared_m2: float
    location: Point | None = None
    munitions: list[str] = field(default_factory=list)
    region: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class NewEvent:
    """A land-release event as submitted, against the hazard its caller names."""

    kind: EventKind
    occurred_on: date
    footprint: MultiPolygon
    operator: str | None = None
    method: str | None = None
    items: dict[str, int] = field(default_factory=dict)
    report_ref: str | None = None


@dataclass(frozen=True, slots=True)
class LedgerFact:
    """A fact as the replay sees it: a hazard record or a land-release event."""

    key: LedgerKey
    hazard_id: int
    kind: EventKind | HazardClass
    geometry: BaseGeometry
    contamination: str  # of its hazard: the scope it takes part in besides the national one


def fact_kind(kind: str) -> EventKind | HazardClass:
    """The kind of a fact as stored: a hazard class for a record, else an event kind."""
    return HazardClass(kind) if kind in HazardClass.__members__ else EventKind(kind)
