"""Exports of our phone forms from KoboToolbox or ODK Central (CSV or GeoJSON), for teams
that collect on another server: each row (feature) read as the instance it was, into a
GeoJSON of our properties that the upload then imports as any file.

CSV: a geoshape is its ``lat lon alt acc; …`` string in one column; headers may carry the
form's groups (``group/area`` in Kobo, ``group-area`` in Central). GeoJSON: the geometry is
the geoshape (lon, lat), the answers are the properties. Repeats (a clearance's items) are
other files in both and are not read.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal
from xml.etree.ElementTree import Element

from shapely.geometry import mapping, shape

from app.errors import InvalidInput
from app.formats.phone_instances import area_of, fact_of

# The servers whose exports are read, by the name an upload gives (format=).
EXPORT_FORMATS = ("kobo", "odk-central")
ExportFormat = Literal["kobo", "odk-central"]
_INSTANCE_ID = ("instanceID", "meta/instanceID", "_uuid", "KEY")


def converted(upload: Path, file_name: str, target: str, folder: Path) -> Path:
    """The export ``upload`` as a GeoJSON of our properties, written in ``folder``."""
    features = []
    for index, (answers, geometry) in enumerate(_rows(upload, file_name)):
        form_id = _form_of(answers)

        def answer(name: str, answers: dict[str, str] = answers) -> str | None:
            return answers.get(name) or None

        row_target, properties = fact_of(form_id, answer, Element("data"))
        if row_target != target:
            raise InvalidInput(
                code="export.other_target",
                params={"index": index, "target": target, "found": row_target},
                field="target",
            )
        area = geometry if geometry is not None else area_of(answers.get("area") or "")
        instance = next((answers[k] for k in _INSTANCE_ID if answers.get(k)), None)
        if instance:
            properties["instance_id"] = instance
        features.append(
            {
                "type": "Feature",
                "geometry": mapping(area),
                "properties": {k: v for k, v in properties.items() if v is not None},
            }
        )
    written = folder / f"{Path(file_name).stem}.geojson"
    written.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return written


def _rows(upload: Path, file_name: str) -> Iterator[tuple[dict[str, str], Any]]:
    if file_name.lower().endswith(".csv"):
        with upload.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                yield _answers(row), None
        return
    try:
        document = json.loads(upload.read_text(encoding="utf-8"))
        features = document["features"]
    except (ValueError, KeyError, TypeError):
        raise InvalidInput(
            code="export.unreadable", params={"name": file_name}, field="file"
        ) from None
    for feature in features:
        geometry = feature.get("geometry")
        yield (
            _answers(feature.get("properties") or {}),
            shape(geometry) if geometry else None,
        )


def _answers(row: dict[str, Any]) -> dict[str, str]:
    """Answers by the form's own field names (groups taken off the headers)."""
    answers: dict[str, str] = {}
    for header, value in row.items():
        if header is None or value is None:
            continue
        text = str(value).strip()
        answers[header] = text
        answers.setdefault(header.rsplit("/", 1)[-1], text)
        answers.setdefault(header.rsplit("-", 1)[-1], text)
    return answers


def _form_of(answers: dict[str, str]) -> str:
    """Which of our forms a row answers (an export holds one form)."""
    if "finding" in answers:
        return "non_technical_survey"
    if "kind" in answers:
        return "technical_survey"
    return "clearance"
