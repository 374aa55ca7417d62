"""What every printed or downloaded report says first: its title, the country, the date its
figures stand at, what they cover and when the file was made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.reports.labels import Labels


@dataclass(frozen=True)
class Heading:
    title: str
    country: str
    as_of: date  # the date the figures stand at
    scope: str | None  # a contamination type, or None for all of them
    generated_at: datetime
    currency: str | None = None  # of the costs, from the programme's settings

    def lines(self, labels: Labels) -> list[tuple[str, Any]]:
        """Label and value of each line under the title (values stay dates)."""
        return [
            (labels("heading.country"), self.country),
            (labels("heading.as_of"), self.as_of),
            (labels("heading.scope"), scope_words(self.scope, labels)),
            (labels("heading.generated_at"), self.generated_at),
        ]


def scope_words(scope: str | None, labels: Labels) -> str:
    if scope is None or scope == "all":
        return labels("scope.all")
    return labels("scope.one", contamination=scope)
