"""The authority's data-quality list: what each check finds, as entries that each name the
hazard at fault (and the other hazard, the event or the upload where there is one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection

from app.i18n.catalogue import DEFAULT_LANGUAGE, told
from app.quality.rules import Check, PairMeasures, Thresholds, large_overshoot, pair_check
from app.quality.rules import stale_before as stale_cutoff
from app.settings import import_settings, ledger_settings, quality_settings
from app.storage import data_quality as found
from app.storage import unmapped
from app.storage.conditions import View

# Every entry has these keys (None where they do not apply), so that every check reads as
# one kind of row: in the API, the page and the downloads. ``detail`` is the text of
# ``detail_code`` with ``detail_params`` (a message of app/i18n) in the reader's language.
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
    "detail_code",
    "detail_params",
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


def findings(
    conn: Connection,
    today: date,
    checks: list[Check] | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> Findings:
    """What the checks (all of them unless said) find today, their details in ``language``."""
    result = Findings(today, thresholds())
    wanted = list(Check) if checks is None else checks
    if {Check.DUPLICATE, Check.CONTAINED, Check.OVERLAP} & set(wanted):
        pairs = _pairs(conn, result.thresholds)
    for check in wanted:
        if check in (Check.DUPLICATE, Check.CONTAINED, Check.OVERLAP):
            rows = pairs.get(check, [])
        else:
            rows = _READERS[check](conn, result)
        result.entries[check] = [_entry(check, row, language) for row in rows]
    return result


def _entry(check: Check, values: dict[str, Any], language: str) -> dict[str, Any]:
    entry = {"check": check.value, **{key: values.get(key) for key in ENTRY_KEYS}}
    if entry["detail_code"] is not None:
        entry["detail_params"] = entry["detail_params"] or {}
        message = {"code": entry["detail_code"], "params": entry["detail_params"]}
        entry["detail"] = told(message, language)
    return entry


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
                "detail_code": "report.quality.detail.shared",
                "detail_params": {"contamination": pair.shared},
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
            "detail_code": (
                "report.quality.detail.point"
                if row["lon"] is not None
                else "report.quality.detail.no_location"
            ),
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
            **_fix_detail(row),
        }
        for row in found.geometry_fixes(conn)
    ]


def _fix_detail(row: dict[str, Any]) -> dict[str, Any]:
    """A repair, or a refusal with its problem: the report's own message, in the reader's
    language where the catalogue has its code (its English text otherwise)."""
    if row["fix"] == "repaired":
        return {"detail_code": "report.quality.detail.repaired"}
    problem = {
        "code": row["code"],
        "params": row["params"] or {},
        "message": row["message"] or row["code"] or "",
    }
    return {"detail_code": "report.quality.detail.refused", "detail_params": {"problem": problem}}


def _overshoots(conn: Connection, findings: Findings) -> list[dict[str, Any]]:
    limits = findings.thresholds
    return [
        {
            "reference": row["reference"],
            "area_m2": row["outside_m2"],
            "share": row["outside_m2"] / row["submitted_m2"],
            "on": row["occurred_on"],
            "event_id": row["event_id"],
            **_overshoot_detail(row),
        }
        for row in found.overshoots(conn, limits.overshoot_m2)
        if large_overshoot(row["submitted_m2"], row["outside_m2"], limits)
    ]


def _overshoot_detail(row: dict[str, Any]) -> dict[str, Any]:
    """The event's kind and the overshoot policy it was recorded with; an event recorded
    before policies were kept, or loaded in bulk, has its whole polygon as its footprint."""
    if row["policy"] is None:
        return {
            "detail_code": "report.quality.detail.overshoot_whole",
            "detail_params": {"kind": row["kind"]},
        }
    return {
        "detail_code": "report.quality.detail.overshoot",
        "detail_params": {"kind": row["kind"], "policy": row["policy"]},
    }


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
