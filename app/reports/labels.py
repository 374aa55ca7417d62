"""The words of the reports' tables and titles, in the reader's language: templates from the
message catalogues (app/i18n/messages), keyed by code like every message for people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.i18n.catalogue import DEFAULT_LANGUAGE, translated

Label = Callable[..., str]


def labels(language: str) -> Label:
    """``label(code, **params)``: the text of ``code`` in ``language``, in English where that
    language's catalogue lacks it."""

    def label(code: str, **params: Any) -> str:
        english = translated(code, params, DEFAULT_LANGUAGE, code)
        return translated(code, params, language, english)

    return label


def scope_words(scope: str | None, label: Label) -> str:
    """What the figures are of: a contamination type, or all of them."""
    return label("report.all_contamination") if scope in (None, "all") else str(scope)
