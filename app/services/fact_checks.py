"""The checks a fact passes before it meets the ledger, and the measuring of its polygon as
the ledger keeps it: work that needs no database (a file's next batch is prepared while the
one before is recorded)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import shapely
from shapely.geometry import MultiPolygon

from app.dates import check_plausible
from app.errors import InvalidGeometry, InvalidInput, LandReleaseError
from app.geo.area import geodesic_areas
from app.geo.polygons import ledger_footprints
from app.geo.tolerance import Tolerance
from app.ledger.facts import NewHazard
from app.services.land_rebuild import tolerance
from app.text import codepoint, control_character


@dataclass(frozen=True)
class PreparedHazard:
    """A hazard checked and measured before it meets the database: its footprint as the
    ledger keeps it and the footprint's geodesic area, or why it is refused."""

    new: NewHazard
    footprint: MultiPolygon | None = None
    area_m2: float = 0.0
    problem: LandReleaseError | None = None


def prepare_hazards(news: list[NewHazard], today: date | None = None) -> list[PreparedHazard]:
    """The work of recording hazards that needs no database: the checks of their dates, and
    their footprints densified, put on the grid and measured, all at once."""
    problems: dict[int, LandReleaseError] = {}
    dated: list[int] = []
    for i, new in enumerate(news):
        try:
            check_reference(new.reference)
            check_fact_date(new.recorded_on, "recorded_on", today)
            dated.append(i)
        except LandReleaseError as error:
            problems[i] = error
    footprints: dict[int, MultiPolygon] = {}
    epsilon = tolerance()
    for i, footprint in zip(
        dated, ledger_footprints([news[i].footprint for i in dated]), strict=True
    ):
        if isinstance(footprint, LandReleaseError):
            problems[i] = footprint
        elif (narrow := _narrow_part(footprint, epsilon)) is not None:
            problems[i] = narrow
        else:
            footprints[i] = footprint
    areas = dict(zip(footprints, geodesic_areas(list(footprints.values())).tolist(), strict=True))
    return [
        PreparedHazard(new, problem=problems[i])
        if i in problems
        else PreparedHazard(new, footprints[i], areas[i])
        for i, new in enumerate(news)
    ]


def _narrow_part(footprint: MultiPolygon, epsilon: Tolerance) -> InvalidGeometry | None:
    """A hazard's polygon may not hold a part nowhere wider than the positional tolerance:
    the ledger keeps no such piece of land apart."""
    parts = shapely.get_parts(footprint)
    narrow = np.flatnonzero(epsilon.narrow(parts))
    if not len(narrow):
        return None
    where = parts[narrow[0]].representative_point()
    near = {"lon": where.x, "lat": where.y, "cm": epsilon.metres * 100}
    if len(parts) > 1:
        return InvalidGeometry(
            "geometry",
            code="geometry.narrow_part",
            params={**near, "part": int(narrow[0]) + 1, "parts": len(parts)},
        )
    return InvalidGeometry("geometry", code="geometry.narrow", params=near)


def measured_footprints(
    geometries: list[MultiPolygon],
) -> list[tuple[MultiPolygon | LandReleaseError, float]]:
    """Each footprint as the ledger keeps it, with its geodesic area (or why it has none)."""
    dense = ledger_footprints(geometries)
    valid = [f for f in dense if not isinstance(f, LandReleaseError)]
    areas = iter(geodesic_areas(valid).tolist())
    return [(f, 0.0) if isinstance(f, LandReleaseError) else (f, next(areas)) for f in dense]


# A reference names a hazard in URLs, headers, file names and reports.
MAX_REFERENCE_LENGTH = 100


def check_reference(reference: str) -> None:
    """A reference is one line of text, in any script, without control characters."""
    refused = control_character(reference)
    if refused is not None:
        raise InvalidInput(
            field="reference",
            code="reference.control_character",
            params={"codepoint": codepoint(refused)},
        )
    if len(reference) > MAX_REFERENCE_LENGTH:
        raise InvalidInput(
            field="reference",
            code="reference.too_long",
            params={"max": MAX_REFERENCE_LENGTH},
        )


def check_fact_date(on: date, field_name: str, today: date | None) -> None:
    """A fact's date of information: a plausible date, and not in the future."""
    check_plausible(on, field_name)
    today = today or date.today()
    if on > today:
        raise InvalidInput(
            code="fact.in_the_future",
            params={"field": field_name, "date": on.isoformat(), "today": today.isoformat()},
            field=field_name,
        )
