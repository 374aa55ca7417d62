"""The positional tolerance: how wide land must be to be kept apart, measured in metres.

Field polygons come from GPS and from files that round coordinates, so two facts about the
same ground rarely share an edge exactly. A piece of land no point of which lies farther than
the tolerance ε from its edge is a *narrow* piece: an artefact of where edges were drawn (a
strip between two edges up to ε apart, corners included), not land anyone surveyed apart. The
ledger (app.ledger.settling) never keeps such a piece on its own; this module only measures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

# WGS84 ellipsoid: metres per degree of latitude and longitude at a latitude.
_A = 6_378_137.0
_E2 = 6.694_379_990_14e-3


# Fewer metres than a degree of latitude has anywhere (110 574 at the equator), and than a
# degree of longitude has at a latitude φ once multiplied by cos φ (111 319 of the equator).
_FEWEST_METRES_PER_DEGREE = 110_000.0


def metres_per_degree(lat: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """(along a meridian, along a parallel) at each latitude, on the WGS84 ellipsoid."""
    phi = np.radians(np.clip(lat, -89.9, 89.9))
    w = np.sqrt(1 - _E2 * np.sin(phi) ** 2)
    meridian = _A * (1 - _E2) / w**3
    normal = _A / w
    return np.radians(1.0) * meridian, np.radians(1.0) * normal * np.cos(phi)


@dataclass(frozen=True)
class Tolerance:
    """The ledger's positional tolerance ε, in metres (0: no tolerance, edges are exact)."""

    metres: float

    def __bool__(self) -> bool:
        return self.metres > 0

    def narrow(self, polygons: np.ndarray) -> np.ndarray:
        """Which of ``polygons`` (lon/lat Polygons, each one connected part) are narrow: no
        point of them lies farther than ε from their edge (no disc of radius ε fits in them).

        A strip left between two edges drawn up to ε apart is narrow at its corners too,
        where it is wider than the edges are apart. Measured in a local metric frame around
        each polygon, where a few metres of land across distort by far less than ε itself.
        """
        polygons = np.asarray(polygons, dtype=object)
        result = np.zeros(len(polygons), dtype=bool)
        if not self or len(polygons) == 0:
            return result
        # A narrow part holds about ε of area per metre of outline at most: a part with four
        # times as much is certainly not narrow, and only the others are inset. Most parts
        # are far from that bound: measured in degrees with the fewest metres a degree has
        # at their latitude (a factor of two to spare), they are left out untransformed.
        bounds = shapely.bounds(polygons)
        middle = np.radians(np.clip((bounds[:, 1] + bounds[:, 3]) / 2, -89.9, 89.9))
        fewest_metres = _FEWEST_METRES_PER_DEGREE * np.cos(middle)
        outline = shapely.length(polygons)
        maybe = np.flatnonzero(shapely.area(polygons) * fewest_metres <= 8 * self.metres * outline)
        if not len(maybe):
            return result
        local = _in_local_metres(polygons[maybe])
        candidates = shapely.area(local) <= 4 * self.metres * shapely.length(local)
        if candidates.any():
            inset = shapely.buffer(local[candidates], -self.metres, quad_segs=2)
            result[maybe[candidates]] = shapely.is_empty(inset)
        return result

    def near(self, polygons: np.ndarray, other: BaseGeometry) -> np.ndarray:
        """Which of ``polygons`` come within ε of ``other`` (touching included)."""
        polygons = np.asarray(polygons, dtype=object)
        if len(polygons) == 0:
            return np.zeros(0, dtype=bool)
        return shapely.dwithin(polygons, other, self.degrees(other))

    def degrees(self, geometry: BaseGeometry) -> float:
        """ε as a distance in degrees that is at least ε in metres in every direction around
        ``geometry`` (the shorter degree, of longitude, at its latitude farthest from the
        equator)."""
        _, min_y, _, max_y = geometry.bounds
        _, along_parallel = metres_per_degree(max(abs(min_y), abs(max_y)))
        return self.metres / float(along_parallel)


def _in_local_metres(polygons: np.ndarray) -> np.ndarray:
    """Each polygon in metres east and north of its own bounding box's centre."""
    bounds = shapely.bounds(polygons)
    centre_x = (bounds[:, 0] + bounds[:, 2]) / 2
    centre_y = (bounds[:, 1] + bounds[:, 3]) / 2
    along_meridian, along_parallel = metres_per_degree(centre_y)
    _, owner = shapely.get_coordinates(polygons, return_index=True)

    def to_local(coords: np.ndarray) -> np.ndarray:
        return np.column_stack(
            (
                (coords[:, 0] - centre_x[owner]) * along_parallel[owner],
                (coords[:, 1] - centre_y[owner]) * along_meridian[owner],
            )
        )

    return shapely.transform(polygons, to_local)
