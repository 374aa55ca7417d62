"""Messages for people in their language: the Accept-Language header chooses the catalogue,
numbers are written as the language writes them, and a code missing from a catalogue falls
back to the English text it was raised with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.errors import NotFound
from app.i18n import catalogue
from app.i18n.language import negotiated

MESSAGES = Path(catalogue.__file__).parent / "messages"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("", "en"),
        ("fr", "fr"),
        ("fr-CA,fr;q=0.9,en;q=0.8", "fr"),
        ("de-DE,de;q=0.9", "en"),
        ("de;q=1.0, fr;q=0.5", "fr"),
        ("en;q=0.4, fr;q=0.6", "fr"),
        ("fr;q=0, en", "en"),
        ("*", "en"),
        ("fr;q=garbage, en;q=0.1", "en"),
    ],
)
def test_the_language_is_the_best_match_of_accept_language(header, language) -> None:
    assert negotiated(header) == language


@pytest.mark.parametrize(
    ("value", "language", "spec", "written"),
    [
        (1234567.0, "en", None, "1,234,567"),
        (1234567.0, "fr", None, "1\u202f234\u202f567"),
        (1234.567, "en", None, "1,234.57"),
        (1234.567, "fr", None, "1\u202f234,57"),
        (-0.0001, "en", ".2f", "0.00"),
        (0.5, "fr", ".1f", "0,5"),
    ],
)
def test_numbers_are_written_as_the_language_writes_them(value, language, spec, written) -> None:
    assert catalogue.number(value, language, spec) == written


def test_every_catalogue_holds_the_same_codes_and_fields() -> None:
    """A translation names the same fields as the English template, so no message can fall
    back for want of a value; every language has every code."""
    english = json.loads((MESSAGES / "en.json").read_text())
    for path in MESSAGES.glob("*.json"):
        other = json.loads(path.read_text())
        assert set(other) == set(english), path.name
        for code, template in english.items():
            assert _fields(other[code]) == _fields(template), (path.name, code)


def _fields(template: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_a_code_missing_from_a_catalogue_falls_back_to_its_english_text() -> None:
    error = NotFound("no hazard with reference 'X'", code="no.such.code", params={"x": 1})
    assert error.text("fr") == "no hazard with reference 'X'"
    assert error.as_dict("fr")["code"] == "no.such.code"


def test_an_error_answers_in_the_callers_language(client) -> None:
    french = client.get("/api/v1/hazards/NOPE", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert french.status_code == 404
    assert french.headers["content-language"] == "fr"
    assert french.json()["code"] == "hazard.not_found"
    assert french.json()["detail"] == "aucune zone dangereuse n’a la référence « NOPE »"
    english = client.get("/api/v1/hazards/NOPE")
    assert english.headers["content-language"] == "en"
    assert english.json()["code"] == "hazard.not_found"
    assert english.json()["detail"] == "no hazard with reference 'NOPE'"
