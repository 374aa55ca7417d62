"""The EPSG coordinate systems a CRS of unknown datum most likely is.

Software that loses a datum's name (a .prj with ``D_unknown``) still writes its ellipsoid, prime
meridian, units, projection method and parameters. The EPSG CRSs that agree on all of these are
the candidates; pyproj's own identification does not find them, as it needs the datum to match
too. They are ranked by whether PROJ can place the features precisely in them, whether their
area of use (a box of longitudes and latitudes) holds the features, and whether their code is
current; then by how many EPSG CRSs use their datum (a national datum has a CRS for every
zone). Ranking by the accuracy of their transformations was tried: it puts rarely used
systems with a recent, precise shift (DB_REF) before the national ones (DHDN).
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from pyproj import CRS
from pyproj.database import query_crs_info
from pyproj.enums import PJType
from pyproj.exceptions import CRSError
from pyproj.transformer import AreaOfInterest, TransformerGroup

from app.formats.transformations import WGS84

# Ellipsoid axes, prime meridian (radians), unit of the first axis, projection method and
# its parameters (SI units, by EPSG parameter code where there is one).
Signature = tuple[float, float, float, float, str, tuple[tuple[str, float], ...]]


@dataclass(frozen=True)
class Candidate:
    code: str  # "EPSG:6316"
    name: str
    deprecated: bool
    area: tuple[float, float, float, float] | None  # west, south, east, north in degrees
    # EPSG CRSs of the same kind and projection method on its datum: how widely it is used.
    on_datum: int = 1


def likely_crs(crs: CRS, near: tuple[float, float] | None, limit: int = 3) -> list[Candidate]:
    """Up to ``limit`` EPSG CRSs with the same ellipsoid, projection and parameters as
    ``crs``, the most likely first; ``near`` is where the features are (lon, lat), if known."""
    kind = _kind(crs)
    if kind is None:
        return []
    signature = _signature(crs)
    method = signature[4] if kind is PJType.PROJECTED_CRS else ""
    matches = [c for c, s in _epsg_signatures(kind, method) if _same(s, signature)]
    accuracy = {c.code: _best_accuracy(c.code, near) for c in matches}
    if any(a is not None for a in accuracy.values()):  # one PROJ places roughly is no help
        matches = [c for c in matches if accuracy[c.code] is not None]
    ranked = sorted(
        matches,
        key=lambda c: (
            accuracy[c.code] is None,
            not _holds(c.area, near),
            c.deprecated,
            -c.on_datum,
            int(c.code.removeprefix("EPSG:")),
        ),
    )
    chosen: dict[str, Candidate] = {}
    for candidate in ranked:  # a deprecated code of the same name adds nothing
        chosen.setdefault(candidate.name, candidate)
    return list(chosen.values())[:limit]


def _kind(crs: CRS) -> PJType | None:
    if crs.is_projected:
        return PJType.PROJECTED_CRS
    if crs.is_geographic and len(crs.axis_info) == 2:
        return PJType.GEOGRAPHIC_2D_CRS
    return None


def _signature(crs: CRS) -> Signature:
    ellipsoid, meridian = crs.ellipsoid, crs.prime_meridian
    parameters: tuple[tuple[str, float], ...] = ()
    method = ""
    operation = crs.coordinate_operation if crs.is_projected else None
    if operation is not None:
        method = operation.method_name
        parameters = tuple(
            sorted(
                # pyproj's stubs type a parameter's value as str: PROJ gives numbers here.
                (p.code or p.name, p.value * (p.unit_conversion_factor or 1.0))  # type: ignore[operator]
                for p in operation.params
            )
        )
    return (
        ellipsoid.semi_major_metre if ellipsoid else math.nan,
        ellipsoid.semi_minor_metre if ellipsoid else math.nan,
        # pyproj's stubs type the meridian's unit factor as str: PROJ gives a number.
        meridian.longitude * meridian.unit_conversion_factor if meridian else 0.0,  # type: ignore[operator]
        crs.axis_info[0].unit_conversion_factor if crs.axis_info else 1.0,
        method,
        parameters,
    )


def _same(a: Signature, b: Signature) -> bool:
    if a[4] != b[4] or [k for k, _ in a[5]] != [k for k, _ in b[5]]:
        return False
    numbers_a = [*a[:4], *(v for _, v in a[5])]
    numbers_b = [*b[:4], *(v for _, v in b[5])]
    return all(
        math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-6)
        for x, y in zip(numbers_a, numbers_b, strict=True)
    )


@lru_cache(maxsize=16)
def _epsg_signatures(kind: PJType, method: str) -> tuple[tuple[Candidate, Signature], ...]:
    """Every EPSG CRS of this kind (and projection method), deprecated ones too: old files
    were written with old codes. Read once per process (about 0.5 s for Transverse Mercator)."""
    found = []
    for info in query_crs_info(auth_name="EPSG", pj_types=kind, allow_deprecated=True):
        if method and info.projection_method_name != method:
            continue
        try:
            crs = CRS.from_epsg(int(info.code))
        except CRSError:
            continue
        area = info.area_of_use
        bounds = (area.west, area.south, area.east, area.north) if area else None
        candidate = Candidate(f"EPSG:{info.code}", info.name, info.deprecated, bounds)
        found.append((candidate, _signature(crs), crs.datum.name if crs.datum else ""))
    on_datum = Counter(datum for _, _, datum in found)
    return tuple(
        (replace(candidate, on_datum=on_datum[datum]), signature)
        for candidate, signature, datum in found
    )


def _holds(
    area: tuple[float, float, float, float] | None, near: tuple[float, float] | None
) -> bool:
    if area is None or near is None:
        return False
    west, south, east, north = area
    lon, lat = near
    across = west > east  # an area across the antimeridian
    in_longitude = (lon >= west or lon <= east) if across else west <= lon <= east
    return in_longitude and south <= lat <= north


def _best_accuracy(code: str, near: tuple[float, float] | None) -> float | None:
    """The accuracy in metres of the best transformation to WGS 84 PROJ has where the
    features are (anywhere, when that is not known) that is not a ballpark; infinite when
    PROJ does not know it, None when there is none."""
    area = None
    if near is not None:
        lon, lat = near
        area = AreaOfInterest(
            max(lon - 0.01, -180), max(lat - 0.01, -90), min(lon + 0.01, 180), min(lat + 0.01, 90)
        )
    with warnings.catch_warnings():  # "best transformation not available": asked below anyway
        warnings.simplefilter("ignore", UserWarning)
        group = TransformerGroup(
            CRS.from_user_input(code),
            WGS84,
            always_xy=True,
            allow_ballpark=False,
            area_of_interest=area,
        )
    accuracies = [t.accuracy if t.accuracy >= 0 else math.inf for t in group.transformers]
    return min(accuracies, default=None)
