"""Figures per administrative region: every region of a level, and the land outside them.

Land is cut along the finest boundaries when it is recorded, so these rows add up to the
national figures exactly (no centroid assignment, no double counting across a boundary).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from app.accounting import figures
from app.ledger.scopes import NATIONAL
from app.storage import regions
from app.storage.figures import by_region

# The group of land that lies in no loaded region (abroad, or in a gap between regions).
OUTSIDE = "outside-regions"
OUTSIDE_NAME = "outside every region"


def _labels(conn: Connection, level: int) -> dict[str | None, dict[str, Any]]:
    return {
        r.code: {"code": r.code, "name": r.name, "level": r.level, "parent_code": r.parent_code}
        for r in regions.names(conn, level)
    }


def _outside(level: int) -> dict[str, Any]:
    return {"code": OUTSIDE, "name": OUTSIDE_NAME, "level": level, "parent_code": None}


def totals(
    conn: Connection,
    as_of: date,
    level: int = 1,
    scope: str = NATIONAL,
    known_at: datetime | None = None,
) -> list[dict[str, Any]]:
    """Remaining SHA and CHA per region of ``level`` (every region, zeros included)."""
    labels = _labels(conn, level)
    found = figures.grouped_totals(conn, as_of, by_region(level), scope, known_at)
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
    scope: str = NATIONAL,
    known_at: datetime | None = None,
) -> list[dict[str, Any]]:
    """The land-release balance per region of ``level`` over (start, end]."""
    labels = _labels(conn, level)
    found = figures.grouped_land_release(
        conn, start, end, by_region(level), scope, known_at, keys=labels
    )
    rows = [{**label, **found[code].as_dict()} for code, label in labels.items()]
    if None in found:
        rows.append({**_outside(level), **found[None].as_dict()})
    return rows


def shares(
    region_m2: dict[str, float] | None, top_regions: dict[str, tuple[str, str]]
) -> list[dict[str, Any]]:
    """A hazard's m² per finest region, added up per top-level region (``top_regions``:
    code -> the top-level region's code and name), largest first."""
    found: dict[str, dict[str, Any]] = {}
    for code, m2 in (region_m2 or {}).items():
        top_code, name = top_regions.get(code, (OUTSIDE, OUTSIDE_NAME))
        entry = found.setdefault(top_code, {"code": top_code, "name": name, "m2": 0.0})
        entry["m2"] += m2
    return sorted(found.values(), key=lambda e: -e["m2"])
