"""The authority's data-quality list: what each check finds, as entries that each name the
hazard at fault (and the other hazard, the event or the upload where there is one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection

from app.quality.rules import Check, PairMeasures, Thresholds, large_overshoot, pair_check
from app.quality.rules import stale_before as stale_cutoff
from app.settings import import_settings, ledger_settings, quality_settings
from app.storage import data_quality as found
from app.storage import unmapped
from app.storage.conditions import View

# Every entry has these keys (None where they do not apply), so that every check reads as
# one kind of row: in the API, the page and the downloads.
ENTRY_KEYS = (
    "reference",
    "other_reference",
    "area_m2",
    "share",
    "on",
    "event_id",
    "import_id",
    "file_name",
    "feature_index",
    "detail",
)
ALL_ROWS = 1_000_000  # the listing of hazards not mapped is paged; the list takes them all


@dataclass
class Findings:
    """The entries of each check, in the order of ``Check``."""

    today: date
    thresholds: Thresholds
    entries: dict[Check, list[dict[str, Any]]] = field(default_factory=dict)


def thresholds() -> Thresholds:
    quality = quality_settings()
    return Thresholds(
        tolerance_m=ledger_settings().tolerance_m,
        overlap_min_m2=quality.overlap_min_m2,
        contained_share=import_settings().overlap_share,
        overshoot_share=quality.overshoot_share,
        overshoot_m2=quality.overshoot_m2,
        stale_years=quality.stale_years,
    )


def findings(conn: Connection, today: date, checks: list[Check] | None = None) -> Findings:
    """What the checks (all of them unless said) find today."""
    result = Findings(today, thresholds())
    wanted = list(Check) if checks is None else checks
    if {Check.DUPLICATE, Check.CONTAINED, Check.OVERLAP} & set(wanted):
        pairs = _pairs(conn, result.thresholds)
    for check in wanted:
        if check in (Check.DUPLICATE, Check.CONTAINED, Check.OVERLAP):
            rows = pairs.get(check, [])
        else:
            rows = _READERS[check](conn, result)
        result.entries[check] = [_entry(check, row) for row in rows]
    return result


def _entry(check: Check, values: dict[str, Any]) -> dict[str, Any]:
    return {"check": check.value, **{key: values.get(key) for key in ENTRY_KEYS}}


def _pairs(conn: Connection, limits: Thresholds) -> dict[Check, list[dict[str, Any]]]:
    pairs: dict[Check, list[dict[str, Any]]] = {}
    for pair in found.meeting_pairs(conn, limits.tolerance_m):
        check = pair_check(
            PairMeasures(
                pair.overlap_m2,
                pair.earlier_m2,
                pair.later_m2,
                pair.earlier_perimeter_m,
                pair.later_perimeter_m,
                pair.differ_m2,
            ),
            limits,
        )
        if check is None:
            continue
        # A hazard inside another is named first; otherwise the one recorded later.
        inside_earlier = check is Check.CONTAINED and pair.earlier_m2 < pair.later_m2
        reference, other = (
            (pair.earlier, pair.later) if inside_earlier else (pair.later, pair.earlier)
        )
        smaller_m2 = min(pair.earlier_m2, pair.later_m2)
        pairs.setdefault(check, []).append(
            {
                "reference": reference,
                "other_reference": other,
                "area_m2": pair.overlap_m2,
                "share": pair.overlap_m2 / smaller_m2 if smaller_m2 > 0 else None,
            }
        )
    return pairs


def _not_mapped(conn: Connection, findings: Findings) -> list[dict[str, Any]]:
    rows, _ = unmapped.listing(conn, View(findings.today), ALL_ROWS, 0)
    return [
        {
            "reference": row["reference"],
            "area_m2": row["declared_m2"],
            "on": row["recorded_on"],
            "detail": "point" if row["lon"] is not None else "no location",
        }
        for row in rows
    ]


def _geometry_fixes(conn: Connection, findings: Findings) -> list[dict[str, Any]]:
    return [
        {
            "reference": row["reference"],
            "on": row["recorded_at"].date(),
            "import_id": row["import_id"],
            "file_name": row["file_name"],
            "feature_index": row["feature_index"],
            "detail": row["fix"] if row["code"] is None else f"{row['fix']}: {row['code']}",
        }
        for row in found.geometry_fixes(conn)
    ]


def _overshoots(conn: Connection, findings: Findings) -> list[dict[str, Any]]:
    limits = findings.thresholds
    return [
        {
            "reference": row["reference"],
            "area_m2": row["outside_m2"],
            "share": row["outside_m2"] / row["submitted_m2"],
            "on": row["occurred_on"],
            "event_id": row["event_id"],
            "detail": f"{row['kind']}, {row['policy']}",
        }
        for row in found.overshoots(conn, limits.overshoot_m2)
        if large_overshoot(row["submitted_m2"], row["outside_m2"], limits)
    ]


def _stale(conn: Connection, findings: Findings) -> list[dict[str, Any]]:
    before = stale_cutoff(findings.today, findings.thresholds.stale_years)
    return [
        {"reference": row["reference"], "area_m2": row["remaining_m2"], "on": row["latest_on"]}
        for row in found.stale(conn, findings.today, before)
    ]


def _outside_regions(conn: Connection, findings: Findings) -> list[dict[str, Any]]:
    return [
        {
            "reference": row["reference"],
            "area_m2": row["outside_m2"],
            "share": row["outside_m2"] / row["remaining_m2"],
        }
        for row in found.outside_regions(conn, findings.today)
    ]


_READERS = {
    Check.NOT_MAPPED: _not_mapped,
    Check.GEOMETRY_FIXES: _geometry_fixes,
    Check.OVERSHOOT: _overshoots,
    Check.STALE: _stale,
    Check.OUTSIDE_REGIONS: _outside_regions,
}
