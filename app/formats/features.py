"""Turning a feature of a field file into a hazard or an event, or saying what is wrong.

Field names are the file's own: a mapping says which file field holds which of our properties
(by default the property's own name, in any letter case). Values are read generously where
there is no doubt (``sha`` is SHA, a date field is a date) and refused where there is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

import shapely
from shapely.geometry import MultiPolygon, Point

from app.errors import InvalidGeometry, InvalidInput
from app.formats.read import UNREADABLE, SourceFeature
from app.formats.write import SHAPEFILE_NAMES
from app.geo import polygons
from app.ledger.facts import NewEvent, NewHazard, UnmappedHazard
from app.ledger.states import Contamination, EventKind, HazardClass

E = TypeVar("E", bound=StrEnum)

# A feature's polygon once checked: the footprint, or what is wrong with it.
CheckedFootprint = MultiPolygon | InvalidGeometry

HAZARD_PROPERTIES = (
    "reference",
    "hazard_class",
    "contamination",
    "recorded_on",
    "munitions",
    "region",
    "notes",
)
EVENT_PROPERTIES = ("hazard", "kind", "date", "operator", "method", "items", "report_ref")
# Read from files but not written to them: the area a record without a polygon declares.
DECLARED = "declared_m2"
IMPORTED = {"hazards": (*HAZARD_PROPERTIES, DECLARED), "events": EVENT_PROPERTIES}
REQUIRED = {
    "hazards": ("reference", "hazard_class", "contamination", "recorded_on"),
    "events": ("hazard", "kind", "date"),
}


class FeatureProblem(InvalidInput):
    """What is wrong with one feature (or with the file's fields), for the import report."""


def parsed_mapping(mapping: str | None) -> dict[str, str]:
    """The mapping= of an upload or a command line, from JSON text."""
    if not mapping:
        return {}
    try:
        parsed = json.loads(mapping)
    except json.JSONDecodeError as error:
        raise FeatureProblem(f"mapping is not JSON: {error}", field="mapping") from None
    except RecursionError:
        raise FeatureProblem(
            "mapping is not JSON: it is nested too deeply", field="mapping"
        ) from None
    if not isinstance(parsed, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in parsed.items()
    ):
        raise FeatureProblem(
            'mapping must be a JSON object of names, e.g. {"reference": "haz_id"}',
            field="mapping",
        )
    return parsed


@dataclass(frozen=True)
class FieldMap:
    """Our property name -> the file's field name."""

    fields: dict[str, str]

    @classmethod
    def build(cls, target: str, file_fields: list[str], mapping: dict[str, str]) -> FieldMap:
        ours = IMPORTED["hazards" if target == "hazards" else "events"]
        unknown = sorted(set(mapping) - set(ours))
        if unknown:
            raise FeatureProblem(
                f"mapping names {', '.join(unknown)}, which are not properties of {target} "
                f"({', '.join(ours)})",
                field="mapping",
            )
        fields: dict[str, str] = {}
        for prop in ours:
            wanted = mapping.get(prop, prop)
            candidates = [wanted] if prop in mapping else _default_names(prop)
            found = next(
                (f for c in candidates if (f := _field_named(c, file_fields, prop)) is not None),
                None,
            )
            if found is not None:
                fields[prop] = found
            elif prop in mapping:
                raise FeatureProblem(
                    f"mapping sends {prop} to field {wanted!r}, which the file does not have "
                    f"(its fields: {', '.join(file_fields) or 'none'})",
                    field="mapping",
                )
        missing = [p for p in REQUIRED[target] if p not in fields]
        if missing:
            raise FeatureProblem(
                f"the file has no field for {', '.join(missing)} (its fields: "
                f"{', '.join(file_fields) or 'none'}): name them in mapping, e.g. "
                f'{{"{missing[0]}": "your_field"}}',
                field="mapping",
            )
        return cls(fields)

    def value(self, feature: SourceFeature, prop: str) -> Any:
        field = self.fields.get(prop)
        value = feature.properties.get(field) if field else None
        if isinstance(value, str):
            value = value.strip() or None
        return value


def _field_named(name: str, file_fields: list[str], prop: str) -> str | None:
    """The file's field ``name``, spelt the same or in other letter case; never a guess
    between fields that differ only in case."""
    if name in file_fields:
        return name
    same = [f for f in file_fields if f.lower() == name.lower()]
    if len(same) > 1:
        raise FeatureProblem(
            f"the fields {' and '.join(same)} could each be {prop}: name the one to use in "
            f'mapping, e.g. {{"{prop}": "{same[0]}"}}',
            field="mapping",
        )
    return same[0] if same else None


def _default_names(prop: str) -> list[str]:
    """Our name, its shapefile name, and the name GDAL cuts to 10 characters."""
    return [prop, SHAPEFILE_NAMES.get(prop, prop), prop[:10]]


def hazard_from(feature: SourceFeature, fields: FieldMap, footprint: CheckedFootprint) -> NewHazard:
    area = _footprint(footprint)  # first: a pin without attributes is not an area, above all
    return NewHazard(
        reference=_text(fields.value(feature, "reference"), "reference"),
        hazard_class=_choice(fields.value(feature, "hazard_class"), HazardClass, "hazard_class"),
        contamination=_choice(
            fields.value(feature, "contamination"), Contamination, "contamination"
        ),
        recorded_on=_date(fields.value(feature, "recorded_on"), "recorded_on"),
        footprint=area,
        munitions=_list(fields.value(feature, "munitions")),
        region=_optional_text(fields.value(feature, "region")),
        notes=_optional_text(fields.value(feature, "notes")),
    )


def without_polygon(feature: SourceFeature) -> bool:
    """Whether the feature is a record without a polygon: no geometry, or a point."""
    geometry = feature.geometry
    return feature.geometry_fix is None and (
        geometry is None or geometry.is_empty or geometry.geom_type in ("Point", "MultiPoint")
    )


def unmapped_from(feature: SourceFeature, fields: FieldMap) -> UnmappedHazard:
    """A hazard recorded without a polygon: its location (a point, or none) and the area
    the record declares."""
    declared = fields.value(feature, DECLARED)
    if declared is None:
        raise FeatureProblem(
            "the feature has no polygon: give the area its record declares (declared_m2) "
            "to keep it as a hazard not mapped",
            field="geometry",
            code="import.no_polygon_no_area",
        )
    return UnmappedHazard(
        reference=_text(fields.value(feature, "reference"), "reference"),
        hazard_class=_choice(fields.value(feature, "hazard_class"), HazardClass, "hazard_class"),
        contamination=_choice(
            fields.value(feature, "contamination"), Contamination, "contamination"
        ),
        recorded_on=_date(fields.value(feature, "recorded_on"), "recorded_on"),
        declared_m2=_area(declared, DECLARED),
        location=_location(feature.geometry),
        munitions=_list(fields.value(feature, "munitions")),
        region=_optional_text(fields.value(feature, "region")),
        notes=_optional_text(fields.value(feature, "notes")),
    )


def _location(geometry: Any) -> Point | None:
    if geometry is None or geometry.is_empty:
        return None
    points = shapely.get_parts(geometry)
    if len(points) > 1:
        raise FeatureProblem(
            f"the feature is {len(points)} points: a hazard without a polygon has one "
            "location at most",
            field="geometry",
            code="import.several_points",
            params={"count": len(points)},
        )
    point: Point = points[0]
    return point


def _area(value: Any, field: str) -> float:
    try:
        number = float(str(value).replace(",", ".").replace(" ", "").replace("\u202f", ""))
    except ValueError:
        number = float("nan")
    if not number > 0 or number == float("inf"):
        raise FeatureProblem(
            f"{field} {value!r} is not an area in square metres above zero",
            field=field,
            code="import.declared_not_area",
            params={"field": field, "value": str(value)},
        )
    return number


def event_from(
    feature: SourceFeature, fields: FieldMap, footprint: CheckedFootprint
) -> tuple[str, NewEvent]:
    area = _footprint(footprint)  # first: a pin without attributes is not an area, above all
    reference = _text(fields.value(feature, "hazard"), "hazard")
    return reference, NewEvent(
        kind=_choice(fields.value(feature, "kind"), EventKind, "kind"),
        occurred_on=_date(fields.value(feature, "date"), "date"),
        footprint=area,
        operator=_optional_text(fields.value(feature, "operator")),
        method=_optional_text(fields.value(feature, "method")),
        items=_items(fields.value(feature, "items")),
        report_ref=_optional_text(fields.value(feature, "report_ref")),
    )


def checked_footprints(batch: list[SourceFeature], repair: bool) -> list[CheckedFootprint]:
    """The footprint of each feature of a batch, or what is wrong with its geometry."""
    checked = polygons.checked_footprints(
        [feature.geometry for feature in batch], field="geometry", repair=repair
    )
    for i, feature in enumerate(batch):
        if feature.geometry_fix == UNREADABLE:
            checked[i] = InvalidGeometry("geometry", UNREADABLE)
        elif feature.geometry_fix is not None and not repair:
            message = f"{feature.geometry_fix} {polygons.REPAIR_HINT}"
            checked[i] = InvalidGeometry("geometry", message)
    return checked


def _footprint(checked: CheckedFootprint) -> MultiPolygon:
    if isinstance(checked, InvalidGeometry):
        raise FeatureProblem(checked.message, field="geometry")
    return checked


def _text(value: Any, field: str) -> str:
    if value is None:
        raise FeatureProblem(f"{field} is empty", field=field)
    return _as_text(value)


def _optional_text(value: Any) -> str | None:
    return None if value is None else _as_text(value)


def _as_text(value: Any) -> str:
    """Text as written; a whole number kept in a decimal field (a shapefile's references
    are often numbers) without the ".0" that would make it another reference."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _choice(value: Any, choices: type[E], field: str) -> E:
    if value is None:
        raise FeatureProblem(f"{field} is empty", field=field)
    for choice in choices:
        if str(value).strip().lower() == choice.value.lower():
            return choice
    allowed = ", ".join(c.value for c in choices)
    raise FeatureProblem(f"{field} {value!r} is not one of {allowed}", field=field)


# A day, optionally with the time of day (its day is the one written, whatever the offset).
_ISO_DATE = re.compile(
    r"^(\d{4})[-/](\d{2})[-/](\d{2})"
    r"([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s?(Z|[+-]\d{2}(:?\d{2})?)?)?$"
)


def _date(value: Any, field: str) -> date:
    if value is None:
        raise FeatureProblem(f"{field} is empty", field=field)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _ISO_DATE.match(str(value).strip())
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError as error:  # "day is out of range for month", ...
            raise FeatureProblem(
                f"{field} {value!r} is not a day of the calendar ({error})", field=field
            ) from None
    raise FeatureProblem(
        f"{field} {value!r} is not a date: write it as YYYY-MM-DD (e.g. 2024-03-31)",
        field=field,
    )


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in re.split(r"[;,|]", str(value)) if part.strip()]


def _items(value: Any) -> dict[str, int]:
    """Items destroyed: JSON ({"BLU-26": 14}) or "BLU-26: 14; M42: 2"."""
    if value is None:
        return {}
    text = str(value).strip()
    try:
        parsed = json.loads(text) if text.startswith("{") else None
    except json.JSONDecodeError:
        parsed = None
    pairs = (
        parsed.items()
        if isinstance(parsed, dict)
        else (part.split(":", 1) for part in re.split(r"[;,]", text) if part.strip())
    )
    items: dict[str, int] = {}
    for pair in pairs:
        try:
            name, count = pair
            number = int(str(count).strip())
        except ValueError:
            raise FeatureProblem(
                f"items {text!r} cannot be read: write them as BLU-26: 14; M42: 2",
                field="items",
            ) from None
        if number < 0:
            raise FeatureProblem(f"items: {name} has a negative count", field="items")
        items[str(name).strip()] = number
    return items
