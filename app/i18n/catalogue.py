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
# Where a message is read: its hints say what to do in the terms of that place.
API = "api"
COMMAND_LINE = "cli"
_FOLDER = Path(__file__).parent / "messages"


@cache
def languages() -> frozenset[str]:
    """The languages a catalogue exists for."""
    return frozenset(path.stem for path in _FOLDER.glob("*.json"))


# A template that depends on a number is an object of forms, "one" and "other", chosen by
# the message's ``count`` as the language counts (French says "1 entité" and "0 entité").
Template = str | dict[str, str]
_SINGULAR_BELOW_TWO = frozenset({"fr"})


@cache
def _catalogue(language: str) -> dict[str, Template]:
    path = _FOLDER / f"{language}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _form(template: Template, params: dict[str, Any], language: str) -> str:
    if isinstance(template, str):
        return template
    count = params.get("count", 0)
    one = count < 2 if language in _SINGULAR_BELOW_TWO else count == 1
    return template["one" if one and "one" in template else "other"]


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
        return _Formatter(language).vformat(_form(template, params, language), (), params)
    except (KeyError, IndexError, ValueError):
        return fallback


def told(message: dict[str, Any], language: str) -> str:
    """A message kept as data (``{"code", "params"}``, with its English ``message`` to fall
    back on) written in ``language``."""
    return translated(
        message["code"], message.get("params", {}), language, message.get("message", "")
    )


class _Formatter(string.Formatter):
    """str.format with numbers written as the language writes them, and formats of its own:
    ``{field:id}`` writes a number as it is (an id, a year: no digit grouping), and
    ``{field:@prefix}`` writes the catalogue's ``prefix.<value>`` (a term: a kind of event,
    a land state), the value itself where there is none. A list is written item by item,
    separated by commas (``{field:and}``: the last one with the language's "and"). A
    message as a value (``{"code", "params"}``, an error's ``as_message``) is written in
    the language too."""

    def __init__(self, language: str) -> None:
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, dict) and "code" in value:  # a message within the message
            return translated(
                value["code"], value.get("params", {}), self.language, value.get("message", "")
            )
        if isinstance(value, list | tuple):
            if format_spec == "and":  # "a, b and c", with the language's "and"
                items = [self.format_field(item, "") for item in value]
                if len(items) < 2:
                    return "".join(items)
                return f"{', '.join(items[:-1])} {term('term', 'and', self.language)} {items[-1]}"
            return ", ".join(self.format_field(item, format_spec) for item in value)
        if format_spec == "id":
            return str(value)
        if format_spec.startswith("@"):
            return term(format_spec[1:], str(value), self.language)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return super().format_field(value, format_spec)
        return number(value, self.language, format_spec or None)


@cache
def words_for(prefix: str) -> dict[str, str]:
    """The words every catalogue has for the terms ``prefix`` (lower case) -> the value they
    name: the interface's own words, in any of its languages, as a file may write them."""
    found: dict[str, str] = {}
    for language in sorted(languages()):
        for key, template in _catalogue(language).items():
            if key.startswith(prefix + ".") and isinstance(template, str):
                found.setdefault(template.lower(), key[len(prefix) + 1 :])
    return found


def term(prefix: str, value: str, language: str) -> str:
    """The word of ``language`` for ``value`` among the terms ``prefix`` (the catalogue's
    ``prefix.value``); ``value`` itself where the catalogue has none."""
    key = f"{prefix}.{value.replace(' ', '_')}"
    found = _catalogue(language).get(key) or _catalogue(DEFAULT_LANGUAGE).get(key)
    return found if isinstance(found, str) else value


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
