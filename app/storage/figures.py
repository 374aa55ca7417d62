"""The aggregate queries figures are computed from: contaminated land per group on a date,
and the transitions of a period, summed from the land state (pieces never overlap at one
ledger time, so every sum counts land once). The arithmetic is app.accounting's.

Also the SQL form of the rules of remaining land (app.ledger.remaining), for queries that
build their documents in PostGIS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, text

from app.ledger.states import HazardClass, LandState
from app.storage import regions
from app.storage.conditions import known, remaining_land
from app.storage.sql import Clause, merged


def contaminated_sums(alias: str = "s") -> str:
    """SQL select items ``sha_m2, cha_m2``: the area of the suspected and of the confirmed
    land among the land-state rows ``alias`` of a group."""
    return ", ".join(
        f"coalesce(sum({alias}.area_m2) FILTER (WHERE {alias}.state = '{state.value}'), 0)"
        f" AS {state.value.lower()}_m2"
        for state in (LandState.SHA, LandState.CHA)
    )


def remaining_sql(sha_m2: str, cha_m2: str) -> str:
    """SQL form of app.ledger.remaining.remaining_m2 over two SQL expressions."""
    return f"{sha_m2} + {cha_m2}"


def land_class_sql(cha_m2: str) -> str:
    """SQL form of app.ledger.remaining.land_class over an SQL expression of the CHA m²."""
    return (
        f"CASE WHEN {cha_m2} > 0 THEN '{HazardClass.CHA.value}' ELSE '{HazardClass.SHA.value}' END"
    )


@dataclass(frozen=True)
class Grouping:
    """How land-state rows (alias ``s``) are split into groups that add up to the whole:
    a join and the SQL key of a row's group."""

    join: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)


UNGROUPED = Grouping("", "NULL")  # one group: the whole
BY_HAZARD_CLASS = Grouping("JOIN hazards h ON h.id = s.hazard_id", "h.hazard_class")


def by_region(level: int) -> Grouping:
    """Rows grouped by the region of ``level`` their land lies in (NULL: outside every
    region)."""
    tree = regions.ancestors_at(level)
    return Grouping(
        f"LEFT JOIN ({tree.sql}) g ON g.code = s.region_code", "g.ancestor", dict(tree.params)
    )


def contaminated_m2(
    conn: Connection,
    as_of: date,
    grouping: Grouping,
    scope: str,
    known_at: datetime | None,
) -> list[tuple[Any, float, float]]:
    """(group key, SHA m², CHA m²) of the contaminated land of ``scope`` on ``as_of``, as
    known at ``known_at``, for each group that holds any."""
    land = remaining_land(as_of, scope, known_at)
    rows = conn.execute(
        text(
            f"""
            SELECT {grouping.key} AS key, {contaminated_sums()}
              FROM land_state s {grouping.join}
             WHERE {land.sql}
             GROUP BY 1
            """
        ),
        merged(land.params, grouping.params),
    )
    return [(key, float(sha), float(cha)) for key, sha, cha in rows]


def transitions(
    conn: Connection,
    start: date,
    end: date,
    grouping: Grouping,
    scope: str,
    known_at: datetime | None,
) -> list[tuple[Any, str | None, str, float]]:
    """(group key, state before, state after, m²) of the land the facts dated in
    (start, end] moved, in ``scope``, as known at ``known_at``."""
    begun = Clause(
        "s.scope = :scope AND s.since_on > :start AND s.since_on <= :end",
        {"scope": scope, "start": start, "end": end},
    )
    now = known("s", known_at)
    rows = conn.execute(
        text(
            f"""
            SELECT {grouping.key} AS key, s.previous_state, s.state, sum(s.area_m2) AS m2
              FROM land_state s {grouping.join}
             WHERE {begun.sql} AND {now.sql}
             GROUP BY 1, 2, 3
            """
        ),
        merged(begun.params, now.params, grouping.params),
    )
    return [(key, before, after, float(m2)) for key, before, after, m2 in rows]
