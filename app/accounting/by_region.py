"""Figures per administrative region: every region of a level, and the land outside them.

Land is cut along the finest boundaries when it is recorded, so these rows add up to the
national figures exactly (no centroid assignment, no double counting across a boundary).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection

from app.accounting import figures
from app.storage import regions

# The group of land that lies in no loaded region (abroad, or in a gap between regions).
OUTSIDE = "outside-regions"


def _labels(conn: Connection, level: int) -> dict[str | None, dict]:
    return {
        r.code: {"code": r.code, "name": r.name, "level": r.level, "parent_code": r.parent_code}
        for r in regions.names(conn, level)
    }


def _outside(level: int) -> dict:
    return {"code": OUTSIDE, "name": "outside every region", "level": level, "parent_code": None}


def totals(
    conn: Connection,
    as_of: date,
    level: int = 1,
    scope: str = "all",
    known_at: datetime | None = None,
) -> list[dict]:
    """Remaining SHA and CHA per region of ``level`` (every region, zeros included)."""
    labels = _labels(conn, level)
    found = figures.grouped_totals(conn, as_of, figures.by_region(level), scope, known_at)
    zero = figures.Totals(as_of, 0.0, 0.0)
    rows = [{**label, **found.get(code, zero).as_dict()} for code, label in labels.items()]
    if None in found:
        rows.append({**_outside(level), **found[None].as_dict()})
    return rows


def land_release(
    conn: Connection,
    start: date,
    end: date,
    level: int = 1,
    scope: str = "all",
    known_at: datetime | None = None,
) -> list[dict]:
    """The land-release balance per region of ``level`` over (start, end]."""
    labels = _labels(conn, level)
    found = figures.grouped_land_release(
        conn, start, end, figures.by_region(level), scope, known_at, keys=labels
    )
    rows = [{**label, **found[code].as_dict()} for code, label in labels.items()]
    if None in found:
        rows.append({**_outside(level), **found[None].as_dict()})
    return rows


def province_names(conn: Connection) -> dict[str, tuple[str, str]]:
    """Finest-level region code -> (code, name) of its top-level ancestor."""
    every = {r.code: r for r in regions.names(conn)}
    result: dict[str, tuple[str, str]] = {}
    for code, region in every.items():
        top = region
        while top.parent_code is not None:
            top = every[top.parent_code]
        result[code] = (top.code, top.name)
    return result


def shares(region_m2: dict[str, float] | None, provinces: dict[str, tuple[str, str]]) -> list:
    """A hazard's m² per finest region, added up per top-level region, largest first."""
    totals: dict[str, dict] = {}
    for code, m2 in (region_m2 or {}).items():
        top_code, name = provinces.get(code, (OUTSIDE, "outside every region"))
        entry = totals.setdefault(top_code, {"code": top_code, "name": name, "m2": 0.0})
        entry["m2"] += m2
    return sorted(totals.values(), key=lambda e: -e["m2"])
