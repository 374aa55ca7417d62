"""The phone forms: XLSForm sources in geodata/forms, built into XForms with pyxform.

A form is built the first time it is asked for (and again when its source changes), without
ODK Validate, which needs Java: the tests validate every form with it. The bytes built are
the bytes served, so their MD5 is the hash phones compare.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from defusedxml import ElementTree
from pyxform.xls2xform import convert

FORMS = Path(__file__).resolve().parents[2] / "geodata" / "forms"
# Sources pyxform reads; Markdown tables diff well in git.
SOURCE_SUFFIXES = (".md", ".xlsx")


@dataclass(frozen=True)
class XForm:
    form_id: str
    version: str
    title: str
    xml: bytes
    media: tuple[str, ...]  # files the form reads from the server (jr://file-csv/...)

    @property
    def md5(self) -> str:
        return hashlib.md5(self.xml).hexdigest()


def sources(folder: Path = FORMS) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in SOURCE_SUFFIXES)


def build(source: Path, validate: bool = False) -> XForm:
    """The XForm of an XLSForm ``source``; with ``validate``, checked by ODK Validate (Java)."""
    built = convert(str(source), validate=validate, pretty_print=False)
    return described(built.xform.encode("utf-8"))


def described(xml: bytes) -> XForm:
    """An XForm with what the form list says of it, read from the XForm itself."""
    root = ElementTree.fromstring(xml)
    title = next((e.text or "" for e in root.iter() if _local(e.tag) == "title"), "")
    model = next(e for e in root.iter() if _local(e.tag) == "model")
    instances = [e for e in model if _local(e.tag) == "instance"]
    primary = next(iter(instances[0]))
    media = tuple(
        e.get("src", "").removeprefix("jr://file-csv/")
        for e in instances[1:]
        if e.get("src", "").startswith("jr://file-csv/")
    )
    return XForm(
        form_id=primary.get("id", ""),
        version=primary.get("version", ""),
        title=title,
        xml=xml,
        media=media,
    )


def forms(folder: Path = FORMS) -> dict[str, XForm]:
    """The forms served, by form id."""
    built = (_built(path, path.stat().st_mtime_ns) for path in sources(folder))
    return {form.form_id: form for form in built}


@cache
def _built(source: Path, modified_ns: int) -> XForm:
    # Keyed by the source's modification time: an edited form is built anew.
    return build(source)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
