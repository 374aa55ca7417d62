"""The positional tolerance in the land-state model: no piece narrower than ε is kept apart.

A fact changes the land inside its polygon. Where that would leave a strip or speck nowhere
wider than ε (the tolerance) next to the polygon, that land goes with the fact as if the
polygon covered it (*absorbed*); where the polygon reaches over a piece only by such a strip,
the fact leaves it as it was; and a new record keeps no such strip of land never recorded
apart from the land recorded next to it. Absorbed land moves between states like any other
point, so land is still counted once and the balance holds exactly.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from app.geo.area import geodesic_area_m2
from app.geo.polygons import GRID, difference, intersection, polygonal_part, union_all
from app.geo.tolerance import Tolerance
from app.ledger.pieces import Piece, divided

NO_TOLERANCE = Tolerance(0.0)


def settled_split(
    piece: Piece, footprint: BaseGeometry, tolerance: Tolerance
) -> tuple[Piece | None, Piece | None, float]:
    """The part of ``piece`` a fact with this footprint changes, the part it leaves, and the
    area (m²) of the changed part that lies outside the footprint (None where there is no
    land)."""
    outside = polygonal_part(difference(piece.geometry, footprint))
    if outside is None and _too_wide_to_vanish(piece.geometry):
        # The footprint covers the piece: the piece goes whole, and the part of it inside
        # the footprint (all of it) need not be cut out to be known to have land.
        return piece, None, 0.0
    inside = polygonal_part(intersection(piece.geometry, footprint))
    absorbing = False
    if tolerance and outside is not None:
        beyond = outside
        gained, outside = _absorbed(inside, outside, footprint, tolerance)
        absorbing = gained is not inside
        inside = gained
        if outside is None:
            # Everything left was narrow: the whole piece goes with the fact, exactly. The
            # land beyond the footprint is what the difference above left of the piece.
            return piece, None, min(geodesic_area_m2(beyond), piece.area_m2)
    if tolerance and inside is not None and outside is not None:
        outside, inside = _absorbed(outside, inside, outside, tolerance)
    if inside is None:
        return None, piece, 0.0
    if outside is None:
        return piece, None, 0.0
    changed, left = divided(piece, inside, outside)
    absorbed_m2 = _outside_m2(inside, footprint, changed.area_m2) if absorbing else 0.0
    return changed, left, absorbed_m2


def _too_wide_to_vanish(geometry: BaseGeometry) -> bool:
    """Whether cutting ``geometry`` on the overlay grid leaves it some area whichever part
    of it is taken: snap-rounding moves each point of an edge by less than the grid's
    diagonal, which takes at most its length times that diagonal (2 grid steps, to spare)
    away from the area; a piece with more area than that cannot lose it all."""
    return bool(shapely.area(geometry) > 2 * GRID * shapely.length(geometry))


def _absorbed(
    gaining: BaseGeometry | None,
    losing: BaseGeometry,
    reach_of: BaseGeometry,
    tolerance: Tolerance,
) -> tuple[BaseGeometry | None, BaseGeometry | None]:
    """``gaining`` with the narrow parts of ``losing`` that lie within ε of ``reach_of``, and
    what is left of ``losing`` (None when nothing is); ``gaining`` itself when nothing moves."""
    parts = shapely.get_parts(losing)
    moving = tolerance.narrow(parts)
    if not moving.any():
        return gaining, losing
    moving[moving] = tolerance.near(parts[moving], reach_of)
    if not moving.any():
        return gaining, losing
    staying = parts[~moving]
    moved = [*([] if gaining is None else [gaining]), *parts[moving]]
    return (
        union_all(moved),
        None if len(staying) == 0 else union_all(list(staying)),
    )


def _outside_m2(changed: BaseGeometry, footprint: BaseGeometry, changed_m2: float) -> float:
    """Geodesic area of the changed land beyond the footprint (0 when it all lies inside)."""
    beyond = polygonal_part(difference(changed, footprint))
    return 0.0 if beyond is None else min(geodesic_area_m2(beyond), changed_m2)


def settled_fresh(
    fresh: BaseGeometry, recorded: BaseGeometry | None, tolerance: Tolerance
) -> BaseGeometry | None:
    """Land never recorded that a new record takes in, without the parts that are narrow
    and lie within ε of land already recorded (None when nothing is left)."""
    if not tolerance or recorded is None:
        return fresh
    parts = shapely.get_parts(fresh)
    dropped = tolerance.narrow(parts)
    if dropped.any():
        dropped[dropped] = tolerance.near(parts[dropped], recorded)
    if not dropped.any():
        return fresh
    kept = parts[~dropped]
    return None if len(kept) == 0 else union_all(list(kept))


def narrow_parts(geometry: BaseGeometry, tolerance: Tolerance) -> np.ndarray:
    """The parts of ``geometry`` that are narrow (an empty array without a tolerance)."""
    parts = shapely.get_parts(geometry)
    narrow: np.ndarray = parts[tolerance.narrow(parts)]
    return narrow
