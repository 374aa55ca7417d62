"""An independent, slow reference for the land-state model.

Edges are geodesics: every polygon is first densified along its geodesic edges (every 5 m,
with pyproj), so that the planar overlay below agrees with the geodesic areas. It then cuts the
plane into faces along every polygon boundary (each face is wholly inside or
outside every polygon), follows the state of each face through the facts in ledger
order, and adds up face areas with pyproj's Geod. It shares no code with the application.

With a positional tolerance ε (``tolerance_m`` > 0) it applies the rule of the land-release
model: land a fact would leave behind as a strip nowhere wider than ε goes with the fact, and
no piece narrower than ε is kept apart. Every piece of land (faces with the same history so
far) and every part of one (faces joined along edges) is a union of faces, so each decision is
taken on faces: narrowness (``is_narrow``) and distances are measured in metres in an
azimuthal equidistant projection centred on the facts. With ε = 0 a fact changes exactly the
faces inside its polygon.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry.base import BaseGeometry

GEOD = Geod(ellps="WGS84")
CONTAMINATED = {"SHA", "CHA"}
SNAP_GRID_DEGREES = 1e-12

# What each kind of fact does to the state of a point (None: never recorded).
RULES = {
    "record SHA": lambda s: "SHA" if s not in CONTAMINATED else s,
    "record CHA": lambda s: "CHA",
    "confirm": lambda s: "CHA" if s == "SHA" else s,
    "cancel": lambda s: "cancelled" if s == "SHA" else s,
    "reduce": lambda s: "reduced" if s in CONTAMINATED else s,
    "clear": lambda s: "cleared" if s in CONTAMINATED else s,
    "correct": lambda s: "corrected" if s in CONTAMINATED else s,
}


@dataclass(frozen=True)
class RefFact:
    on: date
    order: int  # recording order: breaks ties between facts of one date
    kind: str  # a key of RULES
    geometry: BaseGeometry
    hazard: str
    contamination: str = "CMR"


@dataclass(frozen=True)
class Change:
    """One change of state of a face, made by the fact recorded ``order``-th."""

    on: date
    order: int
    before: str | None
    after: str
    hazard: str
    absorbed: bool  # the face lies outside the fact's polygon: the tolerance gave it to it


def along_geodesics(geometry: BaseGeometry, step_m: float = 5.0) -> BaseGeometry:
    def ring(coords):
        out = []
        for (x0, y0), (x1, y1) in itertools.pairwise(coords):
            out.append((x0, y0))
            n = int(GEOD.inv(x0, y0, x1, y1)[2] // step_m)
            if n > 0:
                out.extend(GEOD.npts(x0, y0, x1, y1, n))
        out.append(coords[-1])
        return out

    polygons = [
        shapely.Polygon(ring(list(p.exterior.coords)), [ring(list(r.coords)) for r in p.interiors])
        for p in shapely.get_parts(geometry)
    ]
    return shapely.MultiPolygon(polygons)


def faces(geometries: list[BaseGeometry]) -> list[BaseGeometry]:
    """The plane cut along every boundary: each face wholly inside or outside each polygon.

    Floating-point noding keeps every vertex where it is, but edges that nearly meet (a
    polygon read back with rounded coordinates) can defeat it and leave a face straddling an
    edge; the boundaries are then noded by snap rounding on a grid of 1e-12° (0.1 µm),
    which cuts every crossing by construction."""
    boundaries = [g.boundary for g in geometries]
    for grid_size in (None, SNAP_GRID_DEGREES):
        lines = shapely.union_all(boundaries, grid_size=grid_size)
        found = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))))
        if _each_polygon_is_made_of_faces(found, geometries):
            break
    return found


def _each_polygon_is_made_of_faces(found: list[BaseGeometry], geometries) -> bool:
    """Whether the faces whose point lies in each polygon add up to its area (a face that
    straddles an edge breaks this by the area on its wrong side)."""
    if not found:
        return True
    areas = shapely.area(np.array(found, dtype=object))
    points = shapely.point_on_surface(np.array(found, dtype=object))
    for geometry in geometries:
        inside = shapely.contains(geometry, points)
        if abs(areas[inside].sum() - geometry.area) > 1e-9 * geometry.area:
            return False
    return True


def area_m2(geometry: BaseGeometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geometry)[0])


@lru_cache(maxsize=64)
def _local_projection(lon: float, lat: float) -> Transformer:
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84 +units=m +no_defs")
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def in_metres(geometries, centre: tuple[float, float] | None = None):
    """Lon/lat geometries (one or an array) in metres, in an azimuthal equidistant projection
    centred on ``centre`` (default: the middle of their bounds). Within a few km of the centre
    it keeps distances to a few parts per million."""
    if centre is None:
        x0, y0, x1, y1 = shapely.total_bounds(geometries)
        # Rounded so that nearby geometries share one projection (and its cache entry).
        centre = (round((x0 + x1) / 2, 3), round((y0 + y1) / 2, 3))
    transformer = _local_projection(*centre)
    return shapely.transform(geometries, transformer.transform, interleaved=False)


def _min_width(geometry_m: BaseGeometry) -> float:
    """The smallest width of the geometry's convex hull over all directions."""
    rectangle = shapely.minimum_rotated_rectangle(geometry_m)
    coords = shapely.get_coordinates(rectangle)
    if len(coords) < 4:
        return 0.0  # a point or a segment
    return float(min(np.hypot(*(coords[1] - coords[0])), np.hypot(*(coords[2] - coords[1]))))


def is_narrow(geometry_m: BaseGeometry, tolerance_m: float) -> bool:
    """True when no point of the polygon (in metres) lies farther than ``tolerance_m`` from its
    edge: no disc of radius ``tolerance_m`` fits inside it (the strip left between two edges
    up to ε apart is narrow at its corners too, where it is wider than the edges are apart)."""
    if tolerance_m <= 0:
        return False
    if geometry_m.is_empty:
        return True
    diameter = 2 * tolerance_m
    # Cheap tests first, each exact one way: such a disc has an area of πε² and needs a width
    # of 2ε in every direction (long straight strips), and its centre would stay when the
    # polygon is eroded by ε (bent strips and frames). The buffer draws its round corners with
    # chords inside the arcs, so it erodes less than the true erosion: when even it leaves
    # nothing, no disc fits.
    if geometry_m.area < math.pi * tolerance_m**2 or _min_width(geometry_m) < diameter:
        return True
    if shapely.buffer(geometry_m, -tolerance_m, quad_segs=16).is_empty:
        return True
    # The circle found with a tolerance t has a radius r with r <= true radius <= r + t: a
    # coarse t (fast) settles most polygons, a finer one only those near the threshold.
    x0, y0, x1, y1 = geometry_m.bounds
    tolerance = max(x1 - x0, y1 - y0) / 1000
    while True:
        radius = shapely.maximum_inscribed_circle(geometry_m, tolerance).length
        if 2 * radius >= diameter:
            return False
        if 2 * (radius + tolerance) < diameter or tolerance < diameter / 1000:
            return True
        tolerance /= 10


def narrow_parts(geometry: BaseGeometry, tolerance_m: float) -> list[BaseGeometry]:
    """The polygons of a lon/lat geometry that are narrow (measured around each of them)."""
    parts = shapely.get_parts(geometry)
    return [part for part in parts if not part.is_empty and is_narrow(in_metres(part), tolerance_m)]


class ReferenceModel:
    def __init__(
        self,
        facts: list[RefFact],
        contamination: str | None = None,
        tolerance_m: float = 0.0,
    ) -> None:
        self.tolerance_m = tolerance_m
        self.facts = sorted(
            (
                RefFact(
                    f.on, f.order, f.kind, along_geodesics(f.geometry), f.hazard, f.contamination
                )
                for f in facts
                if contamination is None or f.contamination == contamination
            ),
            key=lambda f: (f.on, f.order),
        )
        self.faces = [
            (face, face.representative_point(), area_m2(face))
            for face in (faces([f.geometry for f in self.facts]) if self.facts else [])
        ]
        self._changes = _Replay(self).changes

    def changes(self) -> Iterable[tuple[float, list[Change]]]:
        """(m², changes in ledger order) of every face."""
        areas = (m2 for _, _, m2 in self.faces)
        return zip(areas, self._changes, strict=True)

    def totals(self, on: date) -> dict[str, float]:
        result = {"SHA": 0.0, "CHA": 0.0}
        for m2, changes in self.changes():
            state, _ = _state_at(changes, on)
            if state in result:
                result[state] += m2
        return result

    def remaining_by_hazard(
        self, on: date, states: Iterable[str] = ("SHA", "CHA")
    ) -> dict[str, float]:
        """Land in ``states`` (both contaminated states by default) per hazard."""
        wanted = set(states)
        result: dict[str, float] = {}
        for m2, changes in self.changes():
            state, hazard = _state_at(changes, on)
            if state in wanted:
                result[hazard] = result.get(hazard, 0.0) + m2
        return result

    def changed_by(self, hazard: str) -> dict[str, float]:
        """Land the facts of ``hazard`` discovered (new contamination) and confirmed."""
        result = {"discovered": 0.0, "confirmed": 0.0}
        for m2, changes in self.changes():
            for change in changes:
                if change.hazard == hazard and change.after in CONTAMINATED:
                    result["confirmed" if change.before == "SHA" else "discovered"] += m2
        return result

    def changed_by_fact(self, order: int) -> float:
        """Land the fact recorded ``order``-th changed (its effective area)."""
        return sum(m2 for m2, changes in self.changes() if any(c.order == order for c in changes))

    def absorbed_by_fact(self, order: int) -> float:
        """Land the fact recorded ``order``-th changed outside its own polygon."""
        return sum(
            m2
            for m2, changes in self.changes()
            if any(c.order == order and c.absorbed for c in changes)
        )

    def lineage(self, hazard: str) -> dict[tuple[int, bool, str | None, str | None, str], float]:
        """The land ``hazard`` gained (True) from another hazard or from no one (None), and
        lost (False) to another, by fact: (order, gained, other hazard, state before, state
        after) -> m²."""
        result: dict[tuple[int, bool, str | None, str | None, str], float] = {}
        for m2, changes in self.changes():
            owner: str | None = None
            for change in changes:
                if change.hazard != owner and hazard in (owner, change.hazard):
                    gained = change.hazard == hazard
                    key = (
                        change.order,
                        gained,
                        owner if gained else change.hazard,
                        change.before,
                        change.after,
                    )
                    result[key] = result.get(key, 0.0) + m2
                owner = change.hazard
        return result

    def pieces(self) -> list[tuple[str, BaseGeometry]]:
        """The land recorded, as pieces (faces with the same whole history, joined), each
        with its last state."""
        groups: dict[tuple, list[BaseGeometry]] = {}
        for (face, _, _), changes in zip(self.faces, self._changes, strict=True):
            if changes:
                history = tuple((c.order, c.after, c.hazard) for c in changes)
                groups.setdefault(history, []).append(face)
        return [(history[-1][1], shapely.union_all(g)) for history, g in groups.items()]

    def flows(self, start: date, end: date) -> dict[str, float]:
        result = dict.fromkeys(
            ("discovered", "confirmed", "cancelled", "reduced", "cleared", "corrected"), 0.0
        )
        for m2, changes in self.changes():
            for change in changes:
                if start < change.on <= end:
                    before, after = change.before, change.after
                    if after in CONTAMINATED and before not in CONTAMINATED:
                        result["discovered"] += m2
                    elif before == "SHA" and after == "CHA":
                        result["confirmed"] += m2
                    else:
                        result[after] += m2
        return result


def _state_at(changes: list[Change], on: date) -> tuple[str | None, str | None]:
    state, hazard = None, None
    for change in changes:
        if change.on <= on:
            state, hazard = change.after, change.hazard
    return state, hazard


def _polygons(geometry: BaseGeometry) -> list[BaseGeometry]:
    """Every polygon of a geometry, at any depth (make_valid may nest a MultiPolygon in a
    GeometryCollection)."""
    found = []
    for part in shapely.get_parts(geometry):
        if part.geom_type == "Polygon":
            found.append(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            found.extend(_polygons(part))
    return found


class _Replay:
    """The facts applied in ledger order to the faces of a model: ``changes`` per face."""

    def __init__(self, model: ReferenceModel) -> None:
        self.tolerance_m = model.tolerance_m
        count = len(model.faces)
        self.changes: list[list[Change]] = [[] for _ in range(count)]
        self.state: list[str | None] = [None] * count
        # A face's history so far: faces with the same one form a piece of land.
        self.history: list[tuple] = [()] * count
        if not count:
            return
        points = np.array([point for _, point, _ in model.faces])
        if self.tolerance_m > 0:
            self._prepare_geometry([face for face, _, _ in model.faces])
        for fact in model.facts:
            # The same test for every ε: with ε = 0 a fact changes exactly the faces whose
            # point lies in its polygon.
            inside = shapely.contains(fact.geometry, points)
            rule = RULES[fact.kind]
            if self.tolerance_m > 0:
                changed = self._changed_with_tolerance(rule, inside)
            else:
                changed = [
                    i for i in np.flatnonzero(inside) if rule(self.state[i]) != self.state[i]
                ]
            for i in sorted(changed):
                before, after = self.state[i], rule(self.state[i])
                self.changes[i].append(
                    Change(fact.on, fact.order, before, after, fact.hazard, not inside[i])
                )
                self.state[i] = after
                self.history[i] = (*self.history[i], (fact.order, after, fact.hazard))

    def _prepare_geometry(self, faces_lonlat: list[BaseGeometry]) -> None:
        array = np.empty(len(faces_lonlat), dtype=object)
        array[:] = faces_lonlat
        self.lonlat = array
        x0, y0, x1, y1 = shapely.total_bounds(array)
        self.centre = (round((x0 + x1) / 2, 3), round((y0 + y1) / 2, 3))
        self.metric = in_metres(array, self.centre)
        self.tree = shapely.STRtree(self.metric)
        # Faces are joined when they share an edge (not a point only): the parts of a union
        # of faces are then the polygons of that union.
        left, right = self.tree.query(self.metric, predicate="intersects")
        keep = left < right
        left, right = left[keep], right[keep]
        shares_edge = shapely.relate_pattern(array[left], array[right], "****1****")
        self.neighbours: list[set[int]] = [set() for _ in faces_lonlat]
        for a, b in zip(left[shares_edge].tolist(), right[shares_edge].tolist(), strict=True):
            self.neighbours[a].add(b)
            self.neighbours[b].add(a)
        self._narrow: dict[frozenset[int], bool] = {}

    def _changed_with_tolerance(self, rule, inside: np.ndarray) -> set[int]:
        changed: set[int] = set()
        in_fact = set(np.flatnonzero(inside).tolist())
        # 1. Pieces of recorded land the fact can change and overlaps.
        pieces: dict[tuple, set[int]] = {}
        for i, state in enumerate(self.state):
            if state is not None and rule(state) != state:
                pieces.setdefault(self.history[i], set()).add(i)
        for piece in pieces.values():
            within = piece & in_fact
            if not within:
                continue
            outside = piece - within
            # Absorption: narrow parts left outside, within ε of the fact's polygon.
            for part in self._parts(outside):
                if self._near(part, in_fact) and self._is_narrow(part):
                    within |= part
                    outside -= part
            if outside:
                # Left out: narrow parts inside, within ε of what stays outside.
                for part in self._parts(within):
                    if self._is_narrow(part) and self._near(part, outside):
                        within -= part
                        outside |= part
            changed |= within
        # 2. Land never recorded (hazard records): narrow parts next to recorded land stay
        # unrecorded.
        if rule(None) is not None:
            fresh = {i for i in in_fact if self.state[i] is None}
            recorded = {i for i, state in enumerate(self.state) if state is not None}
            for part in self._parts(fresh):
                if not (self._is_narrow(part) and self._near(part, recorded)):
                    changed |= part
        return changed

    def _parts(self, members: set[int]) -> list[set[int]]:
        """The connected parts of a union of faces."""
        parts, seen = [], set()
        for start in members:
            if start in seen:
                continue
            part, stack = {start}, [start]
            while stack:
                for j in self.neighbours[stack.pop()]:
                    if j in members and j not in part:
                        part.add(j)
                        stack.append(j)
            seen |= part
            parts.append(part)
        return parts

    def _near(self, part: set[int], others: set[int]) -> bool:
        """Whether a face of ``part`` lies within ε of one of ``others`` (touching counts)."""
        if not others:
            return False
        _, found = self.tree.query(
            self.metric[sorted(part)], predicate="dwithin", distance=self.tolerance_m
        )
        return not others.isdisjoint(found.tolist())

    def _is_narrow(self, part: set[int]) -> bool:
        key = frozenset(part)
        if key not in self._narrow:
            # Joined where the faces were cut (lon/lat), where they share their edges exactly;
            # a face thinner than a micrometre may cross itself once projected: made valid.
            union = in_metres(shapely.union_all(self.lonlat[sorted(part)]), self.centre)
            if not union.is_valid:
                union = shapely.make_valid(union)
            polygons = _polygons(union)
            self._narrow[key] = all(is_narrow(p, self.tolerance_m) for p in polygons)
        return self._narrow[key]
