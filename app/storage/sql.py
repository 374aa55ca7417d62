"""Composing SQL from trusted pieces: a clause is SQL text with the bind parameters it uses.

Queries are put together from fragments that this package writes (column expressions,
conditions) and from bind parameters; a value from a request never enters the SQL text, and
SQL text, once written, is never edited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Clause:
    """A piece of SQL (a condition, an expression) and the values of its bind parameters."""

    sql: str
    params: Mapping[str, Any] = field(default_factory=dict)


TRUE = Clause("TRUE")


def merged(*groups: Mapping[str, Any]) -> dict[str, Any]:
    """The bind parameters of several clauses in one mapping. A name bound to two different
    values is a mistake of composition, refused rather than silently resolved."""
    params: dict[str, Any] = {}
    for group in groups:
        for name, value in group.items():
            if name in params and params[name] != value:
                raise ValueError(f"the bind parameter {name!r} is given two values")
            params[name] = value
    return params


def all_of(clauses: Iterable[Clause]) -> Clause:
    """The clauses joined by AND, each in parentheses (TRUE when there is none)."""
    found = [c for c in clauses if c is not TRUE]
    if not found:
        return TRUE
    return Clause(" AND ".join(f"({c.sql})" for c in found), merged(*(c.params for c in found)))


def where(clauses: Iterable[Clause]) -> Clause:
    """A WHERE clause of the clauses joined by AND (nothing when there is none)."""
    joined = all_of(clauses)
    return Clause("" if joined is TRUE else f"WHERE {joined.sql}", joined.params)


def numbered_boxes(bounds: Any) -> Clause:
    """A WITH clause of the table ``b`` (i, box): the rows of ``bounds`` (an array of min lon,
    min lat, max lon, max lat) as boxes in lon/lat, numbered from 0, to join with."""
    return Clause(
        """
        WITH b AS (
            SELECT t.ord - 1 AS i, ST_MakeEnvelope(t.x0, t.y0, t.x1, t.y1, 4326) AS box
              FROM unnest(CAST(:x0 AS float8[]), CAST(:y0 AS float8[]),
                          CAST(:x1 AS float8[]), CAST(:y1 AS float8[]))
                   WITH ORDINALITY AS t(x0, y0, x1, y1, ord)
        )
        """,
        {
            "x0": bounds[:, 0].tolist(),
            "y0": bounds[:, 1].tolist(),
            "x1": bounds[:, 2].tolist(),
            "y1": bounds[:, 3].tolist(),
        },
    )
