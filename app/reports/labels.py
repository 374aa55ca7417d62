"""The words of the reports (tables, titles, charts) in the reader's language: templates from
the message catalogues of app/i18n, keyed by code like every message for people. Numbers
stay numbers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.i18n.catalogue import DEFAULT_LANGUAGE, told, translated

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


class Labels:
    """The labels of one language by their key under ``report.``: ``labels("column.year")``,
    with params where a label has them; a message (a ``{"code", "params"}`` such as a plan's
    capacity basis) with ``told``."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._label = labels(language)

    def __call__(self, key: str, **params: Any) -> str:
        return self._label(f"report.{key}", **params)

    def told(self, message: dict[str, Any]) -> str:
        return told(message, self.language)
