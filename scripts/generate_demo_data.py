"""Generate the demo data set: hazardous areas and land-release events in Lao PDR, 2008-2025.

Lao PDR is the State most contaminated by cluster munition remnants; its CCM obligations
entered into force on 1 August 2010. The places are real (provincial capitals and the districts
along the former Ho Chi Minh trail), the hazards and events are synthetic but follow the
pattern of a real programme: survey finds SHA, technical survey confirms parts as CHA and
reduces others, non-technical survey cancels, clearance teams clear CHA and find submunitions.
A few hazards are minefields (anti-personnel or anti-tank mines, one mine type each), for the
demo's settings under the Anti-Personnel Mine Ban Convention (illustrative: Lao PDR is not a
State Party to it).

    python scripts/generate_demo_data.py [--hazards 3000] [--seed 20100801] [--out geodata/demo]

The same seed always gives the same files.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from pyproj import Transformer
from shapely import affinity, box, prepare, unary_union
from shapely.geometry import MultiPolygon, Point, Polygon, mapping
from shapely.geometry import shape as shapely_shape
from shapely.geometry.base import BaseGeometry

# Centres of contamination (lon, lat) with their share of the hazards.
PROVINCES: list[tuple[str, float, float, float]] = [
    ("Xiangkhouang", 103.20, 19.45, 0.24),
    ("Savannakhet", 105.90, 16.60, 0.16),
    ("Houaphanh", 104.05, 20.40, 0.10),
    ("Salavan", 106.40, 15.75, 0.10),
    ("Sekong", 106.70, 15.35, 0.08),
    ("Attapeu", 106.85, 14.80, 0.07),
    ("Khammouane", 105.00, 17.45, 0.07),
    ("Champasak", 105.85, 15.10, 0.05),
    ("Bolikhamxay", 104.55, 18.45, 0.05),
    ("Luang Prabang", 102.40, 19.90, 0.04),
    ("Vientiane", 102.45, 18.90, 0.04),
]
CMR_TYPES = ["BLU-26", "BLU-24", "BLU-61", "BLU-63", "M42", "BLU-3"]
ERW_TYPES = ["Mk-82 bomb", "60mm mortar", "RPG-7", "105mm projectile"]
# A minefield's mine type is taken in turn, drawing nothing from the random stream: the rest of
# the data set stays what the seed made it before minefields had types.
MINE_TYPES = {"AP mine": ["PMN", "POMZ-2", "Type 72A", "M14"], "AT mine": ["TM-46", "TM-57"]}
OPERATORS = ["UXO Lao", "NPA", "HALO Trust", "MAG", "Humanitarian Team 1", "FSD"]
UTM48N = "EPSG:32648"
TO_LONLAT = Transformer.from_crs(UTM48N, "EPSG:4326", always_xy=True)
TO_UTM = Transformer.from_crs("EPSG:4326", UTM48N, always_xy=True)
LAST_DAY = date(2025, 12, 31)


@dataclass
class DemoHazard:
    reference: str
    hazard_class: str
    contamination: str
    recorded_on: date
    region: str
    munitions: list[str]
    utm: BaseGeometry
    events: list[dict] = field(default_factory=list)


@cache
def _provinces() -> tuple[tuple[str, BaseGeometry], ...]:
    """Level-1 regions of geodata/regions: the province a field team would write down."""
    path = Path(__file__).resolve().parent.parent / "geodata/regions/lao-regions.geojson"
    features = json.loads(path.read_text())["features"]
    return tuple(
        (f["properties"]["name"], shapely_shape(f["geometry"]))
        for f in features
        if f["properties"]["level"] == 1
    )


@cache
def _country() -> BaseGeometry:
    country = unary_union([geometry for _, geometry in _provinces()]).buffer(-0.002)
    prepare(country)
    return country


@cache
def _utm(geometry: BaseGeometry) -> BaseGeometry:
    from shapely import transform

    return transform(geometry, lambda xy: _project(xy, TO_UTM))


def _province_of(point: Point) -> str:
    for name, geometry in _provinces():
        if geometry.contains(point):
            return name
    return "unknown"


def _lonlat(geometry: BaseGeometry) -> BaseGeometry:
    from shapely import transform

    return transform(geometry, lambda xy: _project(xy, TO_LONLAT))


def _project(xy, transformer: Transformer):
    import numpy as np

    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def _blob(rng: random.Random, cx: float, cy: float, area_m2: float) -> Polygon:
    """An irregular, valid polygon of about ``area_m2`` around (cx, cy), in metres."""
    n = rng.randint(6, 12)
    radius = math.sqrt(area_m2 / math.pi)
    angles = sorted(rng.uniform(0, 2 * math.pi) for _ in range(n))
    points = [
        (
            cx + radius * rng.uniform(0.7, 1.25) * math.cos(a),
            cy + radius * rng.uniform(0.7, 1.25) * math.sin(a),
        )
        for a in angles
    ]
    polygon = Polygon(points)
    return polygon if polygon.is_valid else polygon.convex_hull


def _part(rng: random.Random, polygon: BaseGeometry, share: float) -> BaseGeometry:
    """About ``share`` of ``polygon``: what one survey or clearance task covers."""
    angle = rng.uniform(0, 180)
    rotated = affinity.rotate(polygon, angle, origin="centroid")
    rminx, rminy, rmaxx, rmaxy = rotated.bounds
    cut = rminx + (rmaxx - rminx) * share
    strip = box(rminx - 1, rminy - 1, cut, rmaxy + 1)
    part = affinity.rotate(strip, -angle, origin=polygon.centroid).intersection(polygon)
    return part if not part.is_empty else polygon


def _day(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


def generate(
    count: int, seed: int, clearance_tasks: tuple[int, ...] = (0, 1, 1, 2, 3)
) -> Iterator[DemoHazard]:
    rng = random.Random(seed)
    weights = [p[3] for p in PROVINCES]
    centres = {name: TO_UTM.transform(lon, lat) for name, lon, lat, _ in PROVINCES}
    previous: list[DemoHazard] = []
    country = _country()
    for i in range(count):
        centre = rng.choices([p[0] for p in PROVINCES], weights)[0]
        while True:  # a survey lies inside the country: draw again until it does
            cx, cy = centres[centre]
            if previous and rng.random() < 0.06:
                # Surveys of neighbouring villages overlap now and then.
                neighbour = rng.choice(previous[-50:])
                c = neighbour.utm.centroid
                cx, cy = c.x + rng.uniform(-150, 150), c.y + rng.uniform(-150, 150)
            else:
                cx += rng.gauss(0, 25_000)
                cy += rng.gauss(0, 25_000)
            lon, lat = TO_LONLAT.transform(cx, cy)
            if country.contains(Point(lon, lat)):
                break
        area = min(max(rng.lognormvariate(math.log(40_000), 0.9), 2_000), 600_000)
        contamination = rng.choices(
            ["CMR", "other ERW", "AP mine", "AT mine"], [0.85, 0.08, 0.05, 0.02]
        )[0]
        munitions = (
            rng.sample(CMR_TYPES, rng.randint(1, 2))
            if contamination == "CMR"
            else rng.sample(ERW_TYPES, 1)
            if contamination == "other ERW"
            else [MINE_TYPES[contamination][i % len(MINE_TYPES[contamination])]]
        )
        utm = _blob(rng, cx, cy, area)
        shape = _lonlat(utm)
        if not country.contains(shape):
            inside = utm.intersection(_utm(country))  # a survey stops at the border
            utm = max(getattr(inside, "geoms", [inside]), key=lambda part: part.area)
        region = _province_of(shape.representative_point())
        hazard = DemoHazard(
            reference=f"LA-{region[:2].upper()}-{i + 1:05d}",
            hazard_class="CHA" if rng.random() < 0.3 else "SHA",
            contamination=contamination,
            recorded_on=_day(rng, date(2008, 1, 1), date(2023, 12, 31)),
            region=region,
            munitions=munitions,
            utm=utm,
        )
        _add_events(rng, hazard, clearance_tasks)
        previous.append(hazard)
        yield hazard


def _add_events(rng: random.Random, hazard: DemoHazard, clearance_tasks: tuple[int, ...]) -> None:
    on = hazard.recorded_on
    land = hazard.utm
    sha = hazard.hazard_class == "SHA"
    items = hazard.munitions or ["unknown"]

    def event(kind: str, geometry: BaseGeometry, when: date, **extra) -> None:
        hazard.events.append(
            {
                "kind": kind,
                "date": when,
                "utm": geometry,
                "operator": rng.choice(OPERATORS),
                **extra,
            }
        )

    if sha and rng.random() < 0.35:  # non-technical survey cancels part of the SHA
        on = _day(rng, on, min(on + timedelta(days=900), LAST_DAY))
        cancelled = _part(rng, land, rng.uniform(0.2, 0.6))
        event("cancel", cancelled, on, method="non-technical survey")
        land = land.difference(cancelled)
    if sha and not land.is_empty and rng.random() < 0.45:  # technical survey
        on = _day(rng, on, min(on + timedelta(days=700), LAST_DAY))
        confirmed = _part(rng, land, rng.uniform(0.3, 0.7))
        event("confirm", confirmed, on, method="technical survey")
        rest = land.difference(confirmed)
        if not rest.is_empty and rng.random() < 0.7:
            event(
                "reduce",
                rest,
                _day(rng, on, min(on + timedelta(days=60), LAST_DAY)),
                method="technical survey",
            )
        land, sha = confirmed, False
    if not sha and not land.is_empty:  # clearance in one or more tasks
        for _ in range(rng.choice(clearance_tasks)):
            if land.is_empty or land.area < 500:
                break
            on = _day(rng, on + timedelta(days=30), min(on + timedelta(days=800), LAST_DAY))
            if on >= LAST_DAY:
                break
            cleared = _part(rng, land, rng.uniform(0.4, 1.0))
            found = {t: rng.randint(0, 40) for t in rng.sample(items, 1)}
            event(
                "clear",
                cleared,
                on,
                method="clearance",
                items=found,
                report_ref=f"CR-{on.year}-{rng.randint(1, 9999):04d}",
            )
            land = land.difference(cleared)
    if rng.random() < 0.01:  # a polygon recorded in the wrong place is corrected
        event("correct", hazard.utm, _day(rng, on, LAST_DAY), method="correction")


def features(hazards: list[DemoHazard]) -> tuple[dict, dict]:
    hazard_features, event_features = [], []
    for h in hazards:
        hazard_features.append(
            {
                "type": "Feature",
                "geometry": mapping(_lonlat(h.utm)),
                "properties": {
                    "reference": h.reference,
                    "hazard_class": h.hazard_class,
                    "contamination": h.contamination,
                    "recorded_on": h.recorded_on.isoformat(),
                    "munitions": h.munitions,
                    "region": h.region,
                },
            }
        )
        for e in h.events:
            polygons = [g for g in getattr(e["utm"], "geoms", [e["utm"]]) if g.area > 100]
            if not polygons or not all(g.geom_type == "Polygon" for g in polygons):
                continue  # a task too small to record
            geometry = _lonlat(MultiPolygon(polygons) if len(polygons) > 1 else polygons[0])
            properties = {k: v for k, v in e.items() if k not in ("utm", "date")}
            event_features.append(
                {
                    "type": "Feature",
                    "geometry": mapping(geometry),
                    "properties": {
                        "hazard": h.reference,
                        "date": e["date"].isoformat(),
                        **properties,
                    },
                }
            )
    return (
        {"type": "FeatureCollection", "features": hazard_features},
        {"type": "FeatureCollection", "features": event_features},
    )


def _rounded(collection: dict) -> str:
    # 8 decimals of a degree is about 1 mm: enough, and half the file size of full precision.
    text = json.dumps(collection, separators=(",", ":"))
    return json.dumps(
        json.loads(text, parse_float=lambda s: round(float(s), 8)), separators=(",", ":")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hazards", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=20100801)
    parser.add_argument("--out", type=Path, default=Path("geodata/demo"))
    args = parser.parse_args()
    hazards, events = features(list(generate(args.hazards, args.seed)))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "hazards.geojson").write_text(_rounded(hazards))
    (args.out / "events.geojson").write_text(_rounded(events))
    print(f"{len(hazards['features'])} hazards, {len(events['features'])} events in {args.out}")


if __name__ == "__main__":
    main()
