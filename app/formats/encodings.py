"""The encoding of a layer's text where GDAL cannot tell: shapefile tables whose .cpg GDAL
does not recognise, or that say UTF-8 and are not."""

from __future__ import annotations

import codecs
from pathlib import Path

from app.formats.sidecars import sidecar

# How desktop GIS write the encoding of a shapefile's table in its .cpg, where Python's
# names differ (ArcGIS writes "8859_1", "ANSI 1252", or a bare code page number).
_CPG_SPELLINGS = {"8859_1": "iso8859-1", "88591": "iso8859-1", "ansi 1252": "cp1252"}


def fallback_encoding(path: Path) -> str:
    """The encoding of text that is not UTF-8: the one a shapefile's .cpg names, else
    Windows-1252 (what desktop GIS on Windows write; it reads Latin-1 text too)."""
    declared = _declared_encoding(path)
    return declared if declared not in (None, "utf-8") else "cp1252"


def _declared_encoding(path: Path) -> str | None:
    """The encoding a shapefile's .cpg names, as Python spells it (None: no .cpg, or one
    naming an encoding Python does not know)."""
    cpg = sidecar(path, ".cpg")
    if cpg is None:
        return None
    name = cpg.read_text(encoding="ascii", errors="ignore").strip().lower()
    name = _CPG_SPELLINGS.get(name, f"cp{name}" if name.isdigit() else name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decoded(value: bytes, fallback: str) -> str:
    """Text as UTF-8, or in ``fallback`` when it is not UTF-8."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode(fallback, errors="replace")
