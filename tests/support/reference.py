"""An independent, slow reference for the land-state model.

Edges are geodesics: every polygon is first densified along its geodesic edges (every 5 m,
with pyproj), so that the planar overlay below agrees with the geodesic areas. It then cuts the
plane into faces along every polygon boundary (each face is wholly inside or
outside every polygon), follows the state of one point per face through the facts in ledger
order, and adds up face areas with pyproj's Geod. It shares no code with the application.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

GEOD = Geod(ellps="WGS84")
CONTAMINATED = {"SHA", "CHA"}

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
    lines = shapely.union_all([g.boundary for g in geometries])
    return list(shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))))


def area_m2(geometry: BaseGeometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geometry)[0])


class ReferenceModel:
    def __init__(self, facts: list[RefFact], contamination: str | None = None) -> None:
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

    def history(self, point) -> list[tuple[date, str | None, str | None, str]]:
        """(date, state before, state after, hazard) for every change at this point."""
        state, changes = None, []
        for fact in self.facts:
            if fact.geometry.contains(point):
                new = RULES[fact.kind](state)
                if new != state:
                    changes.append((fact.on, state, new, fact.hazard))
                    state = new
        return changes

    def state_at(self, point, on: date) -> tuple[str | None, str | None]:
        state, hazard = None, None
        for when, _, after, owner in self.history(point):
            if when <= on:
                state, hazard = after, owner
        return state, hazard

    def totals(self, on: date) -> dict[str, float]:
        result = {"SHA": 0.0, "CHA": 0.0}
        for _, point, m2 in self.faces:
            state, _ = self.state_at(point, on)
            if state in result:
                result[state] += m2
        return result

    def remaining_by_hazard(self, on: date) -> dict[str, float]:
        result: dict[str, float] = {}
        for _, point, m2 in self.faces:
            state, hazard = self.state_at(point, on)
            if state in CONTAMINATED:
                result[hazard] = result.get(hazard, 0.0) + m2
        return result

    def changed_by(self, hazard: str) -> dict[str, float]:
        """Land the facts of ``hazard`` discovered (new contamination) and confirmed."""
        result = {"discovered": 0.0, "confirmed": 0.0}
        for _, point, m2 in self.faces:
            for _, before, after, owner in self.history(point):
                if owner == hazard and after in CONTAMINATED:
                    result["confirmed" if before == "SHA" else "discovered"] += m2
        return result

    def changed_by_fact(self, order: int) -> float:
        """Land the fact recorded ``order``-th changed."""
        changed = 0.0
        for _, point, m2 in self.faces:
            state = None
            for fact in self.facts:
                if fact.geometry.contains(point):
                    new = RULES[fact.kind](state)
                    if fact.order == order and new != state:
                        changed += m2
                    state = new
        return changed

    def flows(self, start: date, end: date) -> dict[str, float]:
        result = dict.fromkeys(
            ("discovered", "confirmed", "cancelled", "reduced", "cleared", "corrected"), 0.0
        )
        for _, point, m2 in self.faces:
            for when, before, after, _ in self.history(point):
                if start < when <= end:
                    if after in CONTAMINATED and before not in CONTAMINATED:
                        result["discovered"] += m2
                    elif before == "SHA" and after == "CHA":
                        result["confirmed"] += m2
                    else:
                        result[after] += m2
        return result
