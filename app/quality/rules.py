"""The rules of the data-quality checks: what makes two recorded polygons a duplicate, one
inside the other or an overlap, an event's overshoot large, a hazard stale.

The SQL of app/storage/data_quality.py finds the candidates (with the GiST index) and
measures them; these rules decide, so that they are written once and tested without a
database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Check(StrEnum):
    """One check of the data-quality page, in the order the page shows them."""

    DUPLICATE = "duplicate"
    CONTAINED = "contained"
    OVERLAP = "overlap"
    NOT_MAPPED = "not_mapped"
    GEOMETRY_FIXES = "geometry_fixes"
    OVERSHOOT = "overshoot"
    STALE = "stale"
    OUTSIDE_REGIONS = "outside_regions"


@dataclass(frozen=True)
class Thresholds:
    """The settings of the checks (QUALITY_* and the import's overlap share)."""

    tolerance_m: float  # the ledger's positional tolerance ε
    overlap_min_m2: float
    contained_share: float
    overshoot_share: float
    overshoot_m2: float
    stale_years: int


@dataclass(frozen=True)
class PairMeasures:
    """Two recorded polygons that meet, measured (geodesic m² and m)."""

    overlap_m2: float
    a_m2: float
    b_m2: float
    a_perimeter_m: float
    b_perimeter_m: float
    differ_m2: float  # the symmetric difference: land in one and not the other


def pair_check(pair: PairMeasures, thresholds: Thresholds) -> Check | None:
    """What two polygons that meet are: the same land within the tolerance (a band ε wide
    along both outlines may differ), one mostly inside the other, an overlap larger than the
    tolerated sliver, or nothing to report. The first that holds is the answer."""
    band_m2 = thresholds.tolerance_m * (pair.a_perimeter_m + pair.b_perimeter_m)
    if pair.differ_m2 <= band_m2:
        return Check.DUPLICATE
    if pair.overlap_m2 <= thresholds.overlap_min_m2:
        return None
    if pair.overlap_m2 >= thresholds.contained_share * min(pair.a_m2, pair.b_m2):
        return Check.CONTAINED
    return Check.OVERLAP


def large_overshoot(submitted_m2: float, outside_m2: float, thresholds: Thresholds) -> bool:
    """An event's polygon reached beyond its hazard by both the share and the area set."""
    return (
        submitted_m2 > 0
        and outside_m2 >= thresholds.overshoot_m2
        and outside_m2 / submitted_m2 >= thresholds.overshoot_share
    )


def stale_before(today: date, years: int) -> date:
    """The date before which a hazard's latest fact makes it stale: ``years`` before today
    (29 February goes to 28 February in a year that has none)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)
