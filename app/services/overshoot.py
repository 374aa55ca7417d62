"""What becomes of the part of an event's polygon that lies outside its hazard: the
uploader's choice.

- ``refuse``: the polygon is taken as drawn when little of it lies outside (GPS overshoot,
  within the configured limits), refused otherwise;
- ``clip``: the polygon is cut to its hazard's footprint before it enters the ledger; the
  polygon as submitted is kept beside the event (app.storage.overshoots);
- ``keep``: the whole polygon is the fact's footprint. It changes only land the fact may
  change, as the land-state model says: land of a neighbouring hazard it covers, too.

Whatever the policy, the part outside the hazard is measured and kept with the event, for
the authority's data-quality checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

from app.errors import InvalidInput, NoEffect
from app.geo.area import geodesic_area_m2, geodesic_areas
from app.geo.polygons import GRID, as_multipolygon, difference, intersection, polygonal_part
from app.settings import LedgerSettings
from app.storage.records import HazardRow


class Overshoot(StrEnum):
    REFUSE = "refuse"
    CLIP = "clip"
    KEEP = "keep"


OVERSHOOT_HELP = (
    "the part of the polygon outside its hazard: refuse (beyond the configured limits), "
    "clip (cut to the hazard) or keep (the whole polygon counts)"
)


@dataclass(frozen=True)
class Shaped:
    """An event's polygon once the policy is applied: the footprint the ledger keeps and its
    area, and what was submitted."""

    policy: Overshoot
    footprint: MultiPolygon
    footprint_m2: float
    submitted_m2: float
    outside_m2: float  # of the polygon as submitted, the part outside its hazard
    submitted: MultiPolygon | None = None  # the polygon as submitted, when it was clipped

    @property
    def clipped_m2(self) -> float:
        """What clipping cut off (zero unless the polygon was clipped)."""
        return self.submitted_m2 - self.footprint_m2 if self.submitted is not None else 0.0


@dataclass(frozen=True)
class Outside:
    """The part of a polygon outside its hazard (None: nothing with an area) and its area."""

    part: BaseGeometry | None
    m2: float


def outside_of(footprint: MultiPolygon, hazard: HazardRow) -> Outside:
    outside = polygonal_part(difference(footprint, hazard.footprint))
    return Outside(outside, geodesic_area_m2(outside) if outside is not None else 0.0)


def outsides(pairs: Sequence[tuple[MultiPolygon, HazardRow] | None]) -> list[Outside | None]:
    """``outside_of`` each pair (None where there is none), the overlays and the areas
    worked out in a few vectorised calls. Where GEOS fails on some pair, each is left to
    ``shaped`` (None), which fails on it as it always did, if it is ever shaped."""
    given = [(i, pair) for i, pair in enumerate(pairs) if pair is not None]
    found: list[Outside | None] = [None] * len(pairs)
    if not given:
        return found
    footprints = np.empty(len(given), dtype=object)
    footprints[:] = [footprint for _, (footprint, _) in given]
    hazards = np.empty(len(given), dtype=object)
    hazards[:] = [hazard.footprint for _, (_, hazard) in given]
    try:
        overlays = shapely.difference(footprints, hazards, grid_size=GRID)
    except shapely.errors.GEOSException:
        return found
    parts = [polygonal_part(overlay) for overlay in overlays]
    areas = geodesic_areas(parts).tolist()
    for (i, _), part, m2 in zip(given, parts, areas, strict=True):
        found[i] = Outside(part, m2 if part is not None else 0.0)
    return found


def shaped(
    policy: Overshoot,
    footprint: MultiPolygon,
    submitted_m2: float,
    hazard: HazardRow,
    settings: LedgerSettings,
    outside_found: Outside | None = None,
) -> Shaped:
    """``footprint`` (measured: ``submitted_m2``) under ``policy`` against its hazard; the
    part of it outside the hazard is worked out unless ``outside_found`` gives it."""
    found = outside_found if outside_found is not None else outside_of(footprint, hazard)
    outside, outside_m2 = found.part, found.m2
    as_drawn = Shaped(policy, footprint, submitted_m2, submitted_m2, outside_m2)
    if outside is None:
        return as_drawn
    if policy is Overshoot.KEEP:
        return as_drawn
    if policy is Overshoot.REFUSE:
        _refuse_beyond_limits(outside_m2, submitted_m2, hazard, settings)
        return as_drawn
    inside = polygonal_part(intersection(footprint, hazard.footprint))
    if inside is None:
        raise NoEffect(
            field="geometry",
            code="overshoot.clip_empty",
            params={"reference": hazard.reference},
        )
    clipped = as_multipolygon(inside)
    return Shaped(
        policy, clipped, geodesic_area_m2(clipped), submitted_m2, outside_m2, submitted=footprint
    )


def _refuse_beyond_limits(
    outside_m2: float, submitted_m2: float, hazard: HazardRow, settings: LedgerSettings
) -> None:
    share = outside_m2 / submitted_m2 if submitted_m2 else 0.0
    if share > settings.outside_hazard_max_fraction and outside_m2 > settings.outside_hazard_max_m2:
        raise InvalidInput(
            field="geometry",
            code="overshoot.refused",
            params={
                "share_percent": round(share * 100),
                "outside_m2": round(outside_m2),
                "reference": hazard.reference,
                "max_percent": round(settings.outside_hazard_max_fraction * 100),
                "max_m2": round(settings.outside_hazard_max_m2),
            },
        )
