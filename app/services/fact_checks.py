"""The checks a fact passes before it meets the ledger, and the measuring of its polygon as
the ledger keeps it: work that needs no database (a file's next batch is prepared while the
one before is recorded)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

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
    for i, footprint in zip(
        dated, ledger_footprints([news[i].footprint for i in dated]), strict=True
    ):
        if isinstance(footprint, LandReleaseError):
            problems[i] = footprint
        else:
            footprints[i] = footprint
    for i, narrow in _narrow_parts(footprints, tolerance()).items():
        problems[i] = narrow
        del footprints[i]
    areas = dict(zip(footprints, geodesic_areas(list(footprints.values())).tolist(), strict=True))
    return [
        PreparedHazard(new, problem=problems[i])
        if i in problems
        else PreparedHazard(new, footprints[i], areas[i])
        for i, new in enumerate(news)
    ]


def _narrow_parts(
    footprints: dict[int, MultiPolygon], epsilon: Tolerance
) -> dict[int, InvalidGeometry]:
    """A hazard's polygon may not hold a part nowhere wider than the positional tolerance:
    the ledger keeps no such piece of land apart. The parts of every footprint are tested
    in one call (each in its own frame, as alone); the problem of each footprint that has
    one names its first narrow part."""
    polygons = np.empty(len(footprints), dtype=object)
    polygons[:] = list(footprints.values())
    parts, owners = shapely.get_parts(polygons, return_index=True)
    narrow = np.flatnonzero(epsilon.narrow(parts))
    keys = list(footprints)
    problems: dict[int, InvalidGeometry] = {}
    for index in narrow.tolist():
        owner = int(owners[index])
        if keys[owner] in problems:
            continue
        first = int(np.flatnonzero(owners == owner)[0])
        count = shapely.get_num_geometries(polygons[owner])
        problems[keys[owner]] = _narrow_problem(parts[index], index - first, count, epsilon)
    return problems


def _narrow_problem(
    part: BaseGeometry, number: int, count: int, epsilon: Tolerance
) -> InvalidGeometry:
    where = part.representative_point()
    near = {"lon": where.x, "lat": where.y, "cm": epsilon.metres * 100}
    if count > 1:
        return InvalidGeometry(
            "geometry",
            code="geometry.narrow_part",
            params={**near, "part": number + 1, "parts": count},
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
