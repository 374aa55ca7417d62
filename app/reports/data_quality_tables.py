"""The data-quality list as tables (one per check) for its CSV and XLSX downloads, with
column headers in the reader's language."""

from __future__ import annotations

from typing import Any

from app.quality.rules import Check
from app.reports.labels import Labels
from app.reports.tables import Table

_PAIR = (("reference", ""), ("other_reference", ""), ("area_m2", "area"), ("share", "share"))
# The columns of each check's table: the entry's key and how its values are written.
COLUMNS: dict[Check, tuple[tuple[str, str], ...]] = {
    Check.DUPLICATE: _PAIR,
    Check.CONTAINED: _PAIR,
    Check.OVERLAP: _PAIR,
    Check.NOT_MAPPED: (("reference", ""), ("area_m2", "area"), ("on", ""), ("detail", "")),
    Check.GEOMETRY_FIXES: (
        ("import_id", ""),
        ("file_name", ""),
        ("on", ""),
        ("feature_index", ""),
        ("reference", ""),
        ("detail", ""),
    ),
    Check.OVERSHOOT: (
        ("reference", ""),
        ("event_id", ""),
        ("on", ""),
        ("area_m2", "area"),
        ("share", "share"),
        ("detail", ""),
    ),
    Check.STALE: (("reference", ""), ("on", ""), ("area_m2", "area")),
    Check.OUTSIDE_REGIONS: (("reference", ""), ("area_m2", "area"), ("share", "share")),
}


def quality_tables(entries: dict[Check, list[dict[str, Any]]], labels: Labels) -> list[Table]:
    """A table per check, in the order of ``Check``."""
    tables = []
    for check in Check:
        columns = COLUMNS[check]
        tables.append(
            Table(
                check.value.replace("_", "-"),
                labels(f"quality.{check.value}"),
                [labels(f"quality.column.{check.value}.{key}") for key, _ in columns],
                [[entry[key] for key, _ in columns] for entry in entries.get(check, [])],
                tuple(kind for _, kind in columns),
            )
        )
    return tables
