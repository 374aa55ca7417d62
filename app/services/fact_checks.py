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

from app.errors import InvalidGeometry, InvalidInput, LandReleaseError
from app.geo.area import geodesic_area_m2, geodesic_areas
from app.geo.polygons import difference, ledger_footprints, polygonal_part
from app.geo.tolerance import Tolerance
from app.ledger.facts import NewHazard
from app.services.land_rebuild import tolerance
from app.settings import LedgerSettings
from app.storage.records import HazardRow


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
            check_not_future(new.recorded_on, "recorded_on", today)
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
    which = f"part {number + 1} of {count} of the polygon" if count > 1 else ("the polygon")
    return InvalidGeometry(
        "geometry",
        f"{which} (near lon {where.x:.6f}, lat {where.y:.6f}) is a strip or speck with no "
        f"point farther than {epsilon.metres * 100:g} cm from its edge (the positional "
        "tolerance): it holds no land that can be kept apart; remove it, or draw it wider",
    )


def measured_footprints(
    geometries: list[MultiPolygon],
) -> list[tuple[MultiPolygon | LandReleaseError, float]]:
    """Each footprint as the ledger keeps it, with its geodesic area (or why it has none)."""
    dense = ledger_footprints(geometries)
    valid = [f for f in dense if not isinstance(f, LandReleaseError)]
    areas = iter(geodesic_areas(valid).tolist())
    return [(f, 0.0) if isinstance(f, LandReleaseError) else (f, next(areas)) for f in dense]


def check_not_future(on: date, field_name: str, today: date | None) -> None:
    today = today or date.today()
    if on > today:
        raise InvalidInput(
            f"{field_name} {on.isoformat()} is in the future (today is {today.isoformat()})",
            field=field_name,
        )


def check_inside_hazard(
    footprint: MultiPolygon,
    requested_m2: float,
    hazard: HazardRow,
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
