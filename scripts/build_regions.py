"""Build geodata/regions/lao-regions.geojson: the demo country's regions on two levels.

Level 1 are the provinces of Lao PDR from Natural Earth 1:10m admin-1 (public domain; see
geodata/regions/README.md). No district boundaries could be obtained offline, so level 2 are
*survey sectors*: each province cut into Voronoi cells around seeded points, named
"<province> sector N". They are not administrative districts; they exist so that the demo
shows figures on two nested levels. A national authority loads its own official boundaries
with ``python -m app load-regions``.

    .venv/bin/python scripts/build_regions.py
"""

from __future__ import annotations

import argparse
import json
import math
import random
from pathlib import Path

import shapely
from shapely.geometry import MultiPoint, mapping, shape

from app.geo.area import geodesic_area_m2
from app.geo.polygons import as_multipolygon, intersection, polygonal_part

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "geodata/regions/source/ne_10m_admin_1_lao.geojson"
TARGET = ROOT / "geodata/regions/lao-regions.geojson"
SECTOR_KM2 = 6000.0  # about one sector per 6 000 km² of province


def province_code(props: dict) -> str:
    # Natural Earth gives Vientiane Prefecture the province's ISO code (LA-VI); ISO 3166-2
    # has LA-VT for the prefecture.
    if props["iso_3166_2"] == "LA-VI" and props["postal"] == "VT":
        return "LA-VT"
    return props["iso_3166_2"]


def sectors(code: str, province, rng: random.Random) -> list:
    count = max(2, round(geodesic_area_m2(province) / 1e6 / SECTOR_KM2))
    minx, miny, maxx, maxy = province.bounds
    seeds: list = []
    while len(seeds) < count:
        point = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if province.contains(point):
            seeds.append(point)
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=province.envelope.buffer(1))
    pieces = [polygonal_part(intersection(cell, province)) for cell in cells.geoms]
    # Sectors numbered from north-west to south-east, so names are stable and readable.
    pieces = sorted((p for p in pieces if p is not None), key=lambda p: _reading_order(p))
    return [(f"{code}-S{i + 1}", piece) for i, piece in enumerate(pieces)]


def _reading_order(geometry) -> tuple[int, float]:
    point = geometry.representative_point()
    return (-math.floor(point.y * 2), point.x)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20081203)  # CCM opened for signature
    args = parser.parse_args()
    rng = random.Random(args.seed)
    source = json.loads(SOURCE.read_text())
    features = []
    provinces = sorted(source["features"], key=lambda f: province_code(f["properties"]))
    for feature in provinces:
        props = feature["properties"]
        code = province_code(props)
        province = shape(feature["geometry"])
        name = props["name_en"]
        features.append(_feature(code, name, 1, None, province, "Natural Earth 10m admin-1"))
        for sector_code, piece in sectors(code, province, rng):
            number = sector_code.rsplit("S", 1)[1]
            features.append(
                _feature(
                    sector_code,
                    f"{name} sector {number}",
                    2,
                    code,
                    piece,
                    "synthetic survey sector (Voronoi cell of a Natural Earth province)",
                )
            )
    TARGET.write_text(
        json.dumps(
            {"type": "FeatureCollection", "name": "lao-regions", "features": features},
            separators=(",", ":"),
        )
        + "\n"
    )
    print(f"{TARGET.relative_to(ROOT)}: {len(provinces)} provinces, {len(features)} regions")


def _feature(code, name, level, parent, geometry, source) -> dict:
    rounded = as_multipolygon(geometry)  # no rounding: neighbours would overlap
    return {
        "type": "Feature",
        "properties": {
            "code": code,
            "name": name,
            "level": level,
            "parent_code": parent,
            "source": source,
        },
        "geometry": mapping(rounded),
    }


if __name__ == "__main__":
    main()
