"""Form instances as ODK Collect writes them, built from the forms themselves: the form's own
primary instance, answered, with repeats as siblings, ``meta/instanceID`` set and the
serialisation of JavaRosa (geoshapes as ``lat lon alt acc`` joined by "; ", the first point
again last)."""

from __future__ import annotations

import copy
import uuid
from xml.etree import ElementTree

from shapely.geometry.base import BaseGeometry

from app.formats.xforms import XForm

JR = "{http://openrosa.org/javarosa}"


def geoshape(polygon: BaseGeometry, altitude: float = 34.5, accuracy: float = 4.0) -> str:
    """A polygon as Collect writes a geoshape (latitude first; the ring closed)."""
    return "; ".join(
        f"{lat!r} {lon!r} {altitude} {accuracy}" for lon, lat in polygon.exterior.coords
    )


def instance(
    form: XForm,
    answers: dict[str, str],
    repeats: dict[str, list[dict[str, str]]] | None = None,
    instance_id: str | None = None,
    deprecated_id: str | None = None,
) -> bytes:
    """The XML Collect submits for ``form`` answered with ``answers``; an edited form names
    the instance it replaces in ``meta/deprecatedID``, as Collect writes it."""
    root = ElementTree.fromstring(form.xml)
    model = next(e for e in root.iter() if e.tag.endswith("}model"))
    primary = copy.deepcopy(next(iter(next(e for e in model if e.tag.endswith("}instance")))))
    for element in primary.iter():
        element.tag = element.tag.rsplit("}", 1)[-1]  # Collect writes them unprefixed
    for name, rows in (repeats or {}).items():
        template = next(e for e in primary if e.tag == name)
        at = list(primary).index(template)
        for e in [e for e in primary if e.tag == name]:
            primary.remove(e)
        for offset, row in enumerate(rows):
            item = copy.deepcopy(template)
            item.attrib.pop(f"{JR}template", None)
            for child in item:
                child.text = row.get(child.tag, "")
            primary.insert(at + offset, item)
    for element in primary:
        if element.tag in answers:
            element.text = answers[element.tag]
    meta = next(e for e in primary if e.tag == "meta")
    meta.find("instanceID").text = instance_id or f"uuid:{uuid.uuid4()}"  # type: ignore[union-attr]
    if deprecated_id is not None:
        ElementTree.SubElement(meta, "deprecatedID").text = deprecated_id
    name = meta.find("instanceName")
    if name is not None:
        name.text = answers.get("_name", "")
    return b"<?xml version='1.0' encoding='UTF-8' ?>" + ElementTree.tostring(primary)
