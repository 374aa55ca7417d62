"""A form instance as ODK Collect and KoboCollect send it, read into one feature of ours.

The instance is the XML of one filled-in form (root ``id`` = the form, ``meta/instanceID``
= this instance). Each of our forms says which fact it records: a new suspected hazardous
area or a cancellation (non-technical survey), a confirmation or reduction (technical
survey), a clearance with the items destroyed. The feature then goes through the upload's
own checks and recording, so a phone's fact is checked and reviewed as a file's is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException, ElementTree
from shapely.geometry import Polygon

from app.errors import InvalidInput

Target = Literal["hazards", "events"]
# Our forms' words for the contamination -> ours.
CONTAMINATION = {
    "cmr": "CMR",
    "ap_mine": "AP mine",
    "at_mine": "AT mine",
    "other_erw": "other ERW",
}
# The fields of our forms that hold photos (the instance names each by its file name).
PHOTO_FIELDS = frozenset({"photo", "item_photo"})
# The choice that lets a field worker type what the list lacks.
TYPED = "other"


@dataclass(frozen=True)
class PhoneInstance:
    form_id: str
    form_version: str | None
    instance_id: str
    instance_name: str | None
    deprecated_id: str | None  # an edited form: the instance it replaces
    target: Target
    properties: dict[str, Any]  # our property names
    area: Polygon  # lon/lat
    files: frozenset[str]  # the photos the instance names


def read_instance(xml: bytes) -> PhoneInstance:
    try:
        root = ElementTree.fromstring(xml)
    except (ElementTree.ParseError, DefusedXmlException):
        raise InvalidInput(code="phone.not_xml", field="xml_submission_file") from None
    top = {_local(child.tag): child for child in root}
    meta = {_local(child.tag): (child.text or "").strip() for child in top.get("meta", ())}
    instance_id = meta.get("instanceID", "")
    if not instance_id:
        raise InvalidInput(code="phone.no_instance_id", field="meta/instanceID")
    form_id = root.get("id", "")
    answer = _answers(top)
    target, properties = fact_of(form_id, answer, root)
    properties["instance_id"] = instance_id  # one file per instance, even of equal answers
    return PhoneInstance(
        form_id=form_id,
        form_version=root.get("version"),
        instance_id=instance_id,
        instance_name=meta.get("instanceName") or None,
        deprecated_id=meta.get("deprecatedID") or None,
        target=target,
        properties=properties,
        area=area_of(answer("area") or ""),
        files=frozenset(
            (e.text or "").strip()
            for e in root.iter()
            if _local(e.tag) in PHOTO_FIELDS and (e.text or "").strip()
        ),
    )


def fact_of(form_id: str, answer: Any, root: Element) -> tuple[Target, dict[str, Any]]:
    """What a form's answers (``answer(name)``; repeats under ``root``) record: the target and
    our properties."""
    reader = _FORMS.get(form_id)
    if reader is None:
        raise InvalidInput(
            code="phone.unknown_form", params={"form": form_id or "—"}, field="form_id"
        )
    return reader(answer, root)


def area_of(shape: str) -> Polygon:
    """A geoshape (``lat lon alt acc; …``), or a walked geotrace closed into a polygon."""
    points: list[tuple[float, float]] = []
    for written in shape.split(";"):
        if not written.strip():
            continue
        try:
            lat, lon, *_ = (float(n) for n in written.split())
        except ValueError:
            raise InvalidInput(
                code="phone.bad_point", params={"point": written.strip()}, field="area"
            ) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InvalidInput(
                code="phone.bad_point", params={"point": written.strip()}, field="area"
            )
        points.append((lon, lat))
    if len(set(points)) < 3:
        raise InvalidInput(code="phone.no_area", params={"count": len(set(points))}, field="area")
    return Polygon(points)  # Shapely closes an open ring


def _answers(top: dict[str, Element]) -> Any:
    def answer(name: str) -> str | None:
        element = top.get(name)
        value = (element.text or "").strip() if element is not None else ""
        return value or None

    return answer


def _hazard(answer: Any) -> str | None:
    chosen = answer("hazard")
    return answer("hazard_typed") if chosen == TYPED else chosen


def _event(answer: Any, kind: str | None) -> dict[str, Any]:
    return {
        "hazard": _hazard(answer),
        "kind": kind,
        "date": answer("date"),
        "operator": answer("operator"),
        "method": answer("method"),
        "report_ref": answer("report_ref"),
    }


def _non_technical_survey(answer: Any, _: Element) -> tuple[Target, dict[str, Any]]:
    if answer("finding") == "cancel":
        return "events", _event(answer, "cancel")
    if answer("finding") != "new_hazard":
        raise InvalidInput(
            code="phone.bad_answer",
            params={"field": "finding", "value": answer("finding") or "—"},
            field="finding",
        )
    contamination = answer("contamination")
    return "hazards", {
        "reference": answer("reference"),
        "hazard_class": "SHA",
        "contamination": CONTAMINATION.get(contamination or "", contamination),
        "recorded_on": answer("date"),
        "munitions": answer("munitions"),
        "region": answer("region"),
        "notes": answer("notes"),
    }


def _technical_survey(answer: Any, _: Element) -> tuple[Target, dict[str, Any]]:
    kind = answer("kind")
    if kind not in ("confirm", "reduce"):
        raise InvalidInput(
            code="phone.bad_answer",
            params={"field": "kind", "value": kind or "—"},
            field="kind",
        )
    return "events", _event(answer, kind)


def _clearance(answer: Any, root: Element) -> tuple[Target, dict[str, Any]]:
    destroyed: dict[str, int] = {}
    for item in (e for e in root if _local(e.tag) == "items"):
        values = {_local(e.tag): (e.text or "").strip() for e in item}
        munition = values.get("munition_typed") if values.get("munition") == TYPED else None
        munition = munition or values.get("munition") or ""
        try:
            count = int(values.get("destroyed") or 0)
        except ValueError:
            raise InvalidInput(
                code="phone.bad_answer",
                params={"field": "destroyed", "value": values.get("destroyed", "")},
                field="destroyed",
            ) from None
        if munition:
            destroyed[munition] = destroyed.get(munition, 0) + count
    return "events", {
        **_event(answer, "clear"),
        "items": "; ".join(f"{name}: {count}" for name, count in destroyed.items()) or None,
    }


_FORMS: dict[str, Any] = {
    "non_technical_survey": _non_technical_survey,
    "technical_survey": _technical_survey,
    "clearance": _clearance,
}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
