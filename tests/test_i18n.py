"""Messages for people in their language: the Accept-Language header chooses the catalogue,
numbers are written as the language writes them, and a code missing from a catalogue falls
back to the English text it was raised with."""

from __future__ import annotations

import json
import re
import string
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


def _forms(template: str | dict[str, str]) -> list[str]:
    """A template's text, or the texts of its forms (one, other) when it counts."""
    return list(template.values()) if isinstance(template, dict) else [template]


def _fields(template: str | dict[str, str]) -> set[str]:
    return {
        name
        for form in _forms(template)
        for _, name, _, _ in string.Formatter().parse(form)
        if name
    }


def test_a_code_missing_from_a_catalogue_falls_back_to_its_english_text() -> None:
    error = NotFound("no hazard with reference 'X'", code="no.such.code", params={"x": 1})
    assert error.text("fr") == "no hazard with reference 'X'"
    assert error.as_dict("fr")["code"] == "no.such.code"


@pytest.mark.parametrize(
    ("count", "language", "written"),
    [
        (1, "en", "1 of 3 features is refused: nothing was imported"),
        (2, "en", "2 of 3 features are refused: nothing was imported"),
        (1, "fr", "1 entité sur 3 est refusée : rien n’a été importé"),
        (2, "fr", "2 entités sur 3 sont refusées : rien n’a été importé"),
    ],
)
def test_a_message_that_counts_takes_the_form_of_its_count(count, language, written) -> None:
    params = {"count": count, "read": 3}
    assert catalogue.translated("import.nothing_recorded", params, language, "") == written


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


# Every message the server sends has its code in every catalogue

APP = Path(__file__).resolve().parent.parent / "app"
# A code as the source writes it: words joined by dots, e.g. "upload.too_large", "hint.crs".
_CODE = re.compile(r"""["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+(?:@[a-z]+)?)["']""")
# Codes made up at run time from a family's prefix and a value (a term, a pydantic type, a
# role...): the family's entries are checked by their own tests or used through templates.
FAMILIES = (
    "action.", "cql2.found.", "cql2.group.", "cql2.operand.", "cql2.type.",
    "cql2.what.", "geometry.reason.", "report.col.", "report.quality.", "report.title.",
    "role.", "status.",
    "term.", "validation.",
)  # fmt: skip


_RAISED = re.compile(
    r"(?:\b(?:code|hint)=|CQL2Error\(|InvalidBBox\(|PydanticCustomError\(\s*"
    r"|\bbad\([^,()]+,\s*|OgcError\(\s*\d+,\s*\"[A-Za-z]+\",\s*)\"([^\"{}]+)\""
)
_FILE_NAME = re.compile(r"\.(json|geojson|py|csv|xlsx|html|svg|png|gpkg|zip)$")


# The labels of the reports are entries report.<key>, named by their key (app/reports/labels.py).
_LABEL = re.compile(r"labels\(\s*\"([a-z0-9_.]+)\"")


def _codes_in_source() -> set[str]:
    found: set[str] = set()
    for path in APP.rglob("*.py"):
        text = path.read_text()
        found |= {c for c in _CODE.findall(text) if not _FILE_NAME.search(c)}
        found |= {f"report.{key}" for key in _LABEL.findall(text)}
    return found


def test_every_code_the_source_names_is_in_the_catalogues() -> None:
    """Any string of the source that has the form of a code of one of the catalogue's
    namespaces is a code of the catalogue: a message raised with a code that has no
    template, in any language, fails here."""
    english = json.loads((MESSAGES / "en.json").read_text())
    namespaces = {code.split(".")[0] for code in english}
    named = {c for c in _codes_in_source() if c.split(".")[0] in namespaces}
    # Codes given where a message is raised, whatever their namespace.
    for path in APP.rglob("*.py"):
        named |= set(_RAISED.findall(path.read_text()))
    prefixes = {code.rsplit(".", 1)[0] for code in english}
    missing = sorted(c for c in named if c not in english and c not in prefixes)
    assert missing == []


def test_every_entry_of_the_catalogues_is_used() -> None:
    """No template is left over from a message that is gone: each is named in the source,
    or belongs to a family of codes made at run time, or is a hint's variant."""
    english = json.loads((MESSAGES / "en.json").read_text())
    named = _codes_in_source()
    templates = " ".join(form for template in english.values() for form in _forms(template))
    unused = sorted(
        code
        for code in english
        if code not in named
        and not code.startswith(FAMILIES)
        and code.split("@")[0] not in named
        and f"@{code.rsplit('.', 1)[0]}" not in templates
    )
    assert unused == []


def test_every_term_a_template_names_has_entries() -> None:
    english = json.loads((MESSAGES / "en.json").read_text())
    for template in english.values():
        for _, _, spec, _ in (
            p for form in _forms(template) for p in string.Formatter().parse(form)
        ):
            if spec and spec.startswith("@"):
                assert any(code.startswith(spec[1:] + ".") for code in english), spec


def test_errors_write_their_code_params_and_hint_in_each_language() -> None:
    from app.errors import InvalidGeometry

    error = InvalidGeometry(
        "geometry",
        code="geometry.invalid_at",
        params={"reason": "self_intersection", "lon": 102.6139, "lat": 17.9667},
        hint="hint.repair",
    )
    assert (
        error.message
        == "invalid polygon: the outline crosses itself at lon 102.613900, lat 17.966700"
    )
    assert error.text("en") == error.message + ": send repair=true to repair it"
    assert error.text("en", "cli") == error.message + ": add --repair to repair it"
    french = error.as_dict("fr")
    assert french["message"] == (
        "polygone invalide : le contour se croise lui-même en lon 102,613900, lat 17,966700"
    )
    assert french["detail"].endswith("envoyez repair=true pour le réparer")
    assert french["hint"] == "hint.repair" and french["code"] == "geometry.invalid_at"


def test_a_message_within_a_message_and_lists_are_written_in_the_language() -> None:
    assert catalogue.translated(
        "bulk.feature_problem",
        {"what": "event", "index": 1200, "reference": "H-1",
         "problem": {"code": "geometry.empty", "params": {}}},
        "fr",
        "",
    ) == "événement, entité 1200 (H-1) : la géométrie est vide"  # fmt: skip
    assert (
        catalogue.translated(
            "mapping.ambiguous_case", {"fields": ["a", "b", "c"], "property": "kind"}, "fr", ""
        )
        == "les champs a, b et c pourraient chacun être kind"
    )


# A sentence written in the source where a message is raised, instead of a code.
_RAISED_SENTENCE = re.compile(
    r"\b(?:NotFound|Conflict|InvalidInput|NoEffect|TooLarge|Unauthenticated|Forbidden"
    r"|FeatureProblem|LandReleaseError|OgcError|CQL2Error)\(\s*f?[\"'][^\"']* "
)


def test_no_message_is_raised_as_a_sentence_of_its_own() -> None:
    """Messages are raised by code (the English is in the catalogue), so none is left in one
    language only."""
    found = [
        f"{path.relative_to(APP)}: {match.group(0)}"
        for path in APP.rglob("*.py")
        for match in _RAISED_SENTENCE.finditer(path.read_text())
    ]
    assert found == []


PAGE_CATALOGUES = APP / "web" / "static" / "i18n"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_page_has_its_own_words_for_every_hint_of_the_service(language) -> None:
    """The page says what to do in its own terms (lists, boxes, buttons): each hint the
    service can send has an entry in each of the page's catalogues, and none of them speaks
    the API's or the command line's terms."""
    service = json.loads((MESSAGES / "en.json").read_text())
    page = json.loads((PAGE_CATALOGUES / f"{language}.json").read_text())
    hints = {code.split("@")[0] for code in service if code.startswith("hint.")}
    assert hints and sorted(hints - page.keys()) == []
    for hint in hints:
        assert not re.search(r"\w=|--\w|\bin (?:mapping|values)\b", page[hint]), page[hint]
