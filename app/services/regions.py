"""Loading administrative regions from a GIS file, then re-cutting the land state along them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import shapely
from sqlalchemy import Connection

from app.errors import InvalidInput
from app.formats import read
from app.geo.area import geodesic_area_m2
from app.geo.polygons import checked_footprint, intersection, polygonal_part
from app.ledger.region_cells import Region
from app.services.land_rebuild import recut_all
from app.storage import audit
from app.storage import regions as store

REQUIRED_FIELDS = ("code", "name")
REGION_FIELDS = ("code", "name", "level", "parent_code")
MAX_OVERLAP_M2 = 1.0


@dataclass(frozen=True)
class Loaded:
    regions: int
    levels: list[int]
    land_rows: int


def read_regions(
    path: Path,
    layer: str | None = None,
    crs: str | None = None,
    mapping: dict[str, str] | None = None,
    file_name: str | None = None,
) -> list[Region]:
    """Regions of a file with fields ``code``, ``name``, and for nested levels ``level`` (1
    for the top) and ``parent_code`` (or the file's fields ``mapping`` names for them: ours
    -> theirs); refused as a whole, naming the feature, when one is wrong."""
    name_of_file = file_name or path.name
    source = read.open_layer(path, name_of_file, layer, crs)
    fields = _region_fields(source.fields, mapping or {}, name_of_file)
    regions: list[Region] = []
    for feature in read.features(source):
        props = {ours: feature.properties.get(theirs) for ours, theirs in fields.items()}
        code, name = props.get("code"), props.get("name")
        where = {"index": feature.index, "code": str(code)}
        if not code or not name:
            raise InvalidInput(code="regions.code_and_name", params=where, field="code")
        level = int(props.get("level") or 1)
        parent = props.get("parent_code") or None
        if (level == 1) != (parent is None):
            raise InvalidInput(code="regions.parent_by_level", params=where, field="parent_code")
        if feature.geometry is None or feature.geometry.is_empty:
            raise InvalidInput(code="regions.no_geometry", params=where, field="geometry")
        try:
            geometry = checked_footprint(
                feature.geometry, field="geometry", repair=True, max_extent_km=None
            )
        except InvalidInput as error:
            raise InvalidInput(
                code="regions.feature_problem",
                params={**where, "problem": error.as_message()},
                field="geometry",
            ) from None
        parent = str(parent) if parent is not None else None
        regions.append(Region(str(code), str(name), level, parent, geometry))
    _check_tree(regions, name_of_file)
    return regions


def _region_fields(
    file_fields: list[str], mapping: dict[str, str], file_name: str
) -> dict[str, str]:
    """Our region field -> the file's: as ``mapping`` says, else the field of the same name."""
    unknown = sorted(set(mapping) - set(REGION_FIELDS))
    if unknown:
        raise InvalidInput(
            field="mapping",
            code="regions.mapping_unknown",
            params={"fields": ", ".join(unknown), "known": ", ".join(REGION_FIELDS)},
        )
    absent = sorted(theirs for theirs in mapping.values() if theirs not in file_fields)
    if absent:
        raise InvalidInput(
            field="mapping",
            code="regions.mapping_absent",
            params={"file": file_name, "fields": ", ".join(absent)},
        )
    fields = {ours: mapping.get(ours, ours) for ours in REGION_FIELDS}
    fields = {ours: theirs for ours, theirs in fields.items() if theirs in file_fields}
    missing = [f for f in REQUIRED_FIELDS if f not in fields]
    if missing:
        raise InvalidInput(
            code="regions.fields_missing",
            params={"name": file_name, "missing": missing, "fields": file_fields},
            field="file",
        )
    return fields


def _check_tree(regions: list[Region], file_name: str) -> None:
    by_code: dict[str, Region] = {}
    for region in regions:
        if region.code in by_code:
            raise InvalidInput(
                code="regions.code_twice",
                params={"name": file_name, "code": region.code},
                field="code",
            )
        by_code[region.code] = region
    for region in regions:
        if region.parent_code is None:
            continue
        parent = by_code.get(region.parent_code)
        if parent is None or parent.level != region.level - 1:
            raise InvalidInput(
                code="regions.no_parent",
                params={
                    "code": region.code,
                    "parent": region.parent_code,
                    "level": region.level - 1,
                    "name": file_name,
                },
                field="parent_code",
            )
    finest = max(r.level for r in regions)
    for level in range(1, finest + 1):
        if not any(r.level == level for r in regions):
            raise InvalidInput(
                code="regions.level_missing",
                params={"name": file_name, "level": level},
                field="level",
            )
    # The finest level is what land is cut along: land in two regions would be counted in
    # the first only, so overlaps are refused (slivers under 1 m² from rounding are not).
    finest_regions = [r for r in regions if r.level == finest]
    geometries = [r.geometry for r in finest_regions]
    left, right = shapely.STRtree(geometries).query(geometries, predicate="overlaps")
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        shared = polygonal_part(intersection(geometries[a], geometries[b])) if a < b else None
        if shared is not None and geodesic_area_m2(shared) > MAX_OVERLAP_M2:
            near = shared.representative_point()
            raise InvalidInput(
                code="regions.overlap",
                params={
                    "first": finest_regions[a].code,
                    "second": finest_regions[b].code,
                    "m2": round(geodesic_area_m2(shared)),
                    "lon": near.x,
                    "lat": near.y,
                },
                field="geometry",
            )


def load_regions(conn: Connection, regions: list[Region], source: str, at: datetime) -> Loaded:
    """Put ``regions`` in place and re-cut all land along them, every version of it: the
    history of the land state, and figures as known at any past moment, are kept."""
    store.replace_regions(conn, regions, source)
    rows = recut_all(conn)
    loaded = Loaded(len(regions), sorted({r.level for r in regions}), rows)
    audit.append(conn, None, "load", "regions", source, asdict(loaded))
    return loaded
