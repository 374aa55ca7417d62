"""The checks a fact passes before it meets the ledger, and the measuring of its polygon as
the ledger keeps it: work that needs no database (a file's next batch is prepared while the
one before is recorded)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import shapely
from shapely.geometry import MultiPolygon

from app.errors import InvalidGeometry, InvalidInput, LandReleaseError
from app.geo.area import geodesic_areas
from app.geo.polygons import ledger_footprints
from app.geo.tolerance import Tolerance
from app.ledger.facts import NewHazard
from app.services.land_rebuild import tolerance


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
    which = (
        f"part {narrow[0] + 1} of {len(parts)} of the polygon"
        if len(parts) > 1
        else ("the polygon")
    )
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
