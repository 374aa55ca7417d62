"""Message catalogues: one JSON file per language (``messages/<language>.json``), mapping a
stable code to a template with named fields, ``{reference}`` or ``{area_m2}``.

A new language is a new catalogue file. A code missing from a catalogue falls back to the
English text the code was raised with, so a message is never lost for want of a translation.
Numbers are written as the language writes them (1,234.5 in English, 1 234,5 in French).
"""

from __future__ import annotations

import json
import string
from functools import cache
from pathlib import Path
from typing import Any

DEFAULT_LANGUAGE = "en"
_FOLDER = Path(__file__).parent / "messages"


@cache
def languages() -> frozenset[str]:
    """The languages a catalogue exists for."""
    return frozenset(path.stem for path in _FOLDER.glob("*.json"))


@cache
def _catalogue(language: str) -> dict[str, str]:
    path = _FOLDER / f"{language}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def has_message(code: str, language: str = DEFAULT_LANGUAGE) -> bool:
    return code in _catalogue(language)


def translated(code: str, params: dict[str, Any], language: str, fallback: str) -> str:
    """The message of ``code`` in ``language`` with ``params`` filled in; ``fallback`` (the
    English text it was raised with) when the catalogue has no such code or the template
    names a field that ``params`` lacks."""
    template = _catalogue(language).get(code)
    if template is None:
        return fallback
    try:
        return _Formatter(language).vformat(template, (), params)
    except (KeyError, IndexError, ValueError):
        return fallback


class _Formatter(string.Formatter):
    """str.format with numbers written as the language writes them, and two formats of its
    own: ``{field:id}`` writes a number as it is (an id, a year: no digit grouping), and
    ``{field:@prefix}`` writes the catalogue's ``prefix.<value>`` (a term: a kind of event,
    a land state), the value itself where there is none. A list is written item by item,
    separated by commas."""

    def __init__(self, language: str) -> None:
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, list | tuple):
            return ", ".join(self.format_field(item, format_spec) for item in value)
        if format_spec == "id":
            return str(value)
        if format_spec.startswith("@"):
            return term(format_spec[1:], str(value), self.language)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return super().format_field(value, format_spec)
        return number(value, self.language, format_spec or None)


def term(prefix: str, value: str, language: str) -> str:
    """The word of ``language`` for ``value`` among the terms ``prefix`` (the catalogue's
    ``prefix.value``); ``value`` itself where the catalogue has none."""
    key = f"{prefix}.{value.replace(' ', '_')}"
    return _catalogue(language).get(key) or _catalogue(DEFAULT_LANGUAGE).get(key) or value


def number(value: float, language: str, format_spec: str | None = None) -> str:
    """``value`` with the digit grouping and decimal mark of ``language``; ``format_spec``
    (for example ``.1f``) chooses the decimals, else whole numbers stay whole and others get
    at most two decimals."""
    if format_spec is None:
        format_spec = ",.0f" if float(value).is_integer() else ",.2f"
    elif "," not in format_spec:
        format_spec = "," + format_spec
    written = format(value, format_spec)
    if written.startswith("-") and float(written.lstrip("-").replace(",", "")) == 0:
        written = written[1:]  # no "-0"
    if language == "fr":
        # French groups digits with a narrow no-break space and marks decimals with a comma.
        return written.replace(",", "\u202f").replace(".", ",")
    return written
