"""Turning a feature of a field file into a hazard or an event, or saying what is wrong.

Field names are the file's own: a mapping says which file field holds which of our properties
(by default the property's own name, in any letter case). Values are read generously where
there is no doubt (``sha`` is SHA, a date field is a date) and refused where there is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

import shapely
from shapely.geometry import MultiPolygon, Point

from app.errors import InvalidGeometry, InvalidInput
from app.formats.read import UNREADABLE, SourceFeature
from app.formats.write import SHAPEFILE_NAMES
from app.geo import polygons
from app.i18n.catalogue import words_for
from app.ledger.facts import NewEvent, NewHazard, UnmappedHazard
from app.ledger.states import Contamination, EventKind, HazardClass
from app.settings import input_settings

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
# The properties whose values are words of ours, which a file may write in its own words.
CHOICES: dict[str, type[StrEnum]] = {
    "hazard_class": HazardClass,
    "contamination": Contamination,
    "kind": EventKind,
}
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
        raise FeatureProblem(
            code="mapping.not_json", params={"error": str(error)}, field="mapping"
        ) from None
    except RecursionError:
        raise FeatureProblem(code="mapping.too_deep", field="mapping") from None
    if not isinstance(parsed, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in parsed.items()
    ):
        raise FeatureProblem(code="mapping.not_names", field="mapping")
    return parsed


def parsed_values(values: str | None) -> dict[str, dict[str, str]]:
    """The values= of an upload or a command line, from JSON text: our property -> the
    file's value -> ours, e.g. {"kind": {"CLR": "clear"}}."""
    if not values:
        return {}
    try:
        parsed = json.loads(values)
    except (json.JSONDecodeError, RecursionError) as error:
        raise FeatureProblem(
            code="values.not_json", params={"error": str(error)}, field="values"
        ) from None
    if not isinstance(parsed, dict) or not all(
        isinstance(ours, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in ours.items())
        for ours in parsed.values()
    ):
        raise FeatureProblem(code="values.not_values", field="values")
    return parsed


def _checked_values(target: str, values: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """``values`` with ours written as we write them; what names no value of ours refused."""
    ours = HAZARD_PROPERTIES if target == "hazards" else EVENT_PROPERTIES
    checked: dict[str, dict[str, str]] = {}
    for prop, given in values.items():
        if prop not in CHOICES or prop not in ours:
            raise FeatureProblem(
                code="values.not_a_choice",
                params={"property": prop, "choices": [c for c in CHOICES if c in ours]},
                field="values",
            )
        allowed = {choice.value.lower(): choice.value for choice in CHOICES[prop]}
        for theirs, wanted in given.items():
            if wanted.strip().lower() not in allowed:
                raise FeatureProblem(
                    code="values.unknown_value",
                    params={
                        "property": prop,
                        "value": wanted,
                        "theirs": theirs,
                        "allowed": list(allowed.values()),
                    },
                    field="values",
                )
        checked[prop] = {t.strip(): allowed[w.strip().lower()] for t, w in given.items()}
    return checked


@dataclass(frozen=True)
class FieldMap:
    """Our property name -> the file's field name; and for the properties whose values are
    words of ours, the file's words -> ours."""

    fields: dict[str, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        target: str,
        file_fields: list[str],
        mapping: dict[str, str],
        values: dict[str, dict[str, str]] | None = None,
    ) -> FieldMap:
        ours = IMPORTED["hazards" if target == "hazards" else "events"]
        unknown = sorted(set(mapping) - set(ours))
        if unknown:
            raise FeatureProblem(
                code="mapping.unknown_properties",
                params={"names": unknown, "target": target, "properties": list(ours)},
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
                    code="mapping.field_missing",
                    params={"property": prop, "field": wanted, "fields": file_fields or ["—"]},
                    field="mapping",
                )
        missing = [p for p in REQUIRED[target] if p not in fields]
        if missing:
            raise FeatureProblem(
                code="mapping.required_missing",
                params={
                    "missing": missing,
                    "fields": file_fields or ["—"],
                    "property": missing[0],
                    "example": "your_field",
                },
                field="mapping",
                hint="hint.mapping",
            )
        return cls(fields, _checked_values(target, values or {}))

    @staticmethod
    def found_by_name(target: str, file_fields: list[str]) -> dict[str, str]:
        """The file's fields that hold our properties by their names alone (no mapping):
        what an import would take, to offer before it."""
        ours = HAZARD_PROPERTIES if target == "hazards" else EVENT_PROPERTIES
        found: dict[str, str] = {}
        for prop in ours:
            try:
                named = (_field_named(c, file_fields, prop) for c in _default_names(prop))
                field_name = next((f for f in named if f is not None), None)
            except FeatureProblem:  # fields that differ only in case: the caller chooses
                continue
            if field_name is not None:
                found[prop] = field_name
        return found

    def value(self, feature: SourceFeature, prop: str) -> Any:
        field = self.fields.get(prop)
        value = feature.properties.get(field) if field else None
        if isinstance(value, str):
            value = value.strip() or None
        mapped = self.values.get(prop)
        if mapped and value is not None:
            # The file's word as given, else in any letter case.
            text = str(value)
            found = mapped.get(text)
            if found is None:
                found = next((o for t, o in mapped.items() if t.lower() == text.lower()), None)
            value = found if found is not None else value
        return value


def _field_named(name: str, file_fields: list[str], prop: str) -> str | None:
    """The file's field ``name``, spelt the same or in other letter case; never a guess
    between fields that differ only in case."""
    if name in file_fields:
        return name
    same = [f for f in file_fields if f.lower() == name.lower()]
    if len(same) > 1:
        raise FeatureProblem(
            code="mapping.ambiguous_case",
            params={"fields": same, "property": prop, "example": same[0]},
            field="mapping",
            hint="hint.mapping",
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
        [feature.geometry for feature in batch],
        field="geometry",
        repair=repair,
        max_vertices=input_settings().max_polygon_vertices,
    )
    for i, feature in enumerate(batch):
        if feature.geometry_fix == UNREADABLE:
            checked[i] = InvalidGeometry("geometry", code=UNREADABLE)
        elif feature.geometry_fix is not None and not repair:
            checked[i] = InvalidGeometry(
                "geometry", code=feature.geometry_fix, hint=polygons.REPAIR_HINT
            )
    return checked


def _footprint(checked: CheckedFootprint) -> MultiPolygon:
    if isinstance(checked, InvalidGeometry):
        raise FeatureProblem(
            code=checked.code, params=checked.params, hint=checked.hint, field="geometry"
        )
    return checked


def _text(value: Any, field: str) -> str:
    if value is None:
        raise _empty(field)
    return _as_text(value)


def _optional_text(value: Any) -> str | None:
    return None if value is None else _as_text(value)


def _as_text(value: Any) -> str:
    """Text as written; a whole number kept in a decimal field (a shapefile's references
    are often numbers) without the ".0" that would make it another reference."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _empty(field: str) -> FeatureProblem:
    return FeatureProblem(code="feature.empty", params={"field": field}, field=field)


def _choice(value: Any, choices: type[E], field: str) -> E:
    """One of ours, written as we write it in any letter case, or as the interface names it
    in any of its languages (``Clearance``, ``dépollution``)."""
    if value is None:
        raise _empty(field)
    text = str(value).strip().lower()
    named = words_for(f"term.{field}")
    for choice in choices:
        if text == choice.value.lower() or named.get(text) == choice.value:
            return choice
    raise FeatureProblem(
        code="feature.not_one_of",
        params={
            "field": field,
            "value": str(value),
            "allowed": [c.value for c in choices],
            "property": field,
            "example": str(value),
            "ours": "|".join(c.value for c in choices),
        },
        field=field,
        hint="hint.values",
    )


# A day, optionally with the time of day (its day is the one written, whatever the offset).
_ISO_DATE = re.compile(
    r"^(\d{4})[-/](\d{2})[-/](\d{2})"
    r"([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s?(Z|[+-]\d{2}(:?\d{2})?)?)?$"
)


def _date(value: Any, field: str) -> date:
    if value is None:
        raise _empty(field)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _ISO_DATE.match(str(value).strip())
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:  # day is out of range for month, month must be in 1..12
            raise FeatureProblem(
                code="feature.not_a_calendar_day",
                params={"field": field, "value": str(value)},
                field=field,
            ) from None
    raise FeatureProblem(
        code="feature.not_a_date", params={"field": field, "value": str(value)}, field=field
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
                code="feature.items_unreadable", params={"value": text}, field="items"
            ) from None
        if number < 0:
            raise FeatureProblem(
                code="feature.items_negative", params={"item": str(name).strip()}, field="items"
            )
        items[str(name).strip()] = number
    return items
