"""The words of the reports as tables and charts, in the reader's language: every label is an
entry ``report.<key>`` of the catalogues of app/i18n (one place for all of them), numbers
stay numbers."""

from __future__ import annotations

from typing import Any

from app.i18n.catalogue import told, translated


class Labels:
    """The labels of one language: ``labels("column.year")``, with params where a label has
    them; a message (a ``{"code", "params"}`` such as a plan's capacity basis) with ``told``."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, key: str, **params: Any) -> str:
        return translated(f"report.{key}", params, self.language, key)

    def told(self, message: dict[str, Any]) -> str:
        return told(message, self.language)
