"""Totals and the land-release balance, read from the replayed land state.

Every figure is a sum of piece areas: pieces never overlap at one ledger time, so land is
counted once; flows are the pieces a transition created, by the date of their fact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlalchemy import Connection, text

from app.ledger.pieces import Piece
from app.ledger.states import FLOWS, flow_totals
from app.storage.ledger_store import knowledge


@dataclass(frozen=True)
class Totals:
    as_of: date
    sha_m2: float
    cha_m2: float

    @property
    def remaining_m2(self) -> float:
        return self.sha_m2 + self.cha_m2

    def as_dict(self) -> dict:
        return {**asdict(self), "remaining_m2": self.remaining_m2}


@dataclass(frozen=True)
class LandRelease:
    start: Totals
    end: Totals
    flows_m2: dict[str, float]

    @property
    def balance_error_m2(self) -> float:
        """remaining(end) − (remaining(start) + discovered − released − corrected): zero."""
        f = self.flows_m2
        expected = (
            self.start.remaining_m2
            + f["discovered"]
            - f["cancelled"]
            - f["reduced"]
            - f["cleared"]
            - f["corrected"]
        )
        return self.end.remaining_m2 - expected

    def as_dict(self) -> dict:
        return {
            "from": self.start.as_of,
            "to": self.end.as_of,
            "remaining_start_m2": self.start.remaining_m2,
            "sha_start_m2": self.start.sha_m2,
            "cha_start_m2": self.start.cha_m2,
            **{f"{flow}_m2": self.flows_m2[flow] for flow in FLOWS},
            "released_m2": sum(self.flows_m2[f] for f in ("cancelled", "reduced", "cleared")),
            "remaining_end_m2": self.end.remaining_m2,
            "sha_end_m2": self.end.sha_m2,
            "cha_end_m2": self.end.cha_m2,
            "balance_error_m2": self.balance_error_m2,
        }


@dataclass(frozen=True)
class Grouping:
    """How land-state rows (alias ``s``) are split into groups that add up to the whole:
    a join and the SQL key of a row's group."""

    join: str
    key: str
    params: dict = field(default_factory=dict)


NATIONAL = Grouping("", "NULL")
BY_HAZARD_CLASS = Grouping("JOIN hazards h ON h.id = s.hazard_id", "h.hazard_class")


def by_region(level: int) -> Grouping:
    """Rows grouped by the region of ``level`` their land lies in (NULL: outside every
    region). Rows carry the finest region; its ancestors are found by walking up."""
    return Grouping(
        """
        LEFT JOIN (
            WITH RECURSIVE up(code, ancestor, level) AS (
                SELECT code, code, CAST(level AS integer) FROM regions
                UNION ALL
                SELECT up.code, r.parent_code, r.level - 1
                  FROM up JOIN regions r ON r.code = up.ancestor
                 WHERE r.parent_code IS NOT NULL
            )
            SELECT code, ancestor FROM up WHERE level = :group_level
        ) g ON g.code = s.region_code
        """,
        "g.ancestor",
        {"group_level": level},
    )


def totals(
    conn: Connection, as_of: date, scope: str = "all", known_at: datetime | None = None
) -> Totals:
    """Contaminated land after every fact dated ``as_of`` or earlier, as the database holds
    it now or as it held it at ``known_at``."""
    return grouped_totals(conn, as_of, NATIONAL, scope, known_at).get(None, Totals(as_of, 0.0, 0.0))


def grouped_totals(
    conn: Connection,
    as_of: date,
    grouping: Grouping,
    scope: str = "all",
    known_at: datetime | None = None,
) -> dict[str | None, Totals]:
    """Contaminated land as of a date per group (only groups with land in them)."""
    known, params = knowledge(known_at, "s")
    rows = conn.execute(
        text(
            f"""
            SELECT {grouping.key} AS key,
                   coalesce(sum(s.area_m2) FILTER (WHERE s.state = 'SHA'), 0) AS sha,
                   coalesce(sum(s.area_m2) FILTER (WHERE s.state = 'CHA'), 0) AS cha
              FROM land_state s {grouping.join}
             WHERE s.scope = :scope AND s.state IN ('SHA', 'CHA') AND {known}
               AND s.since_on <= :as_of AND (s.until_on IS NULL OR s.until_on > :as_of)
             GROUP BY 1
            """
        ),
        {"scope": scope, "as_of": as_of, **params, **grouping.params},
    )
    return {key: Totals(as_of, float(sha), float(cha)) for key, sha, cha in rows}


def land_release(
    conn: Connection,
    start: date,
    end: date,
    scope: str = "all",
    known_at: datetime | None = None,
) -> LandRelease:
    """Land-release flows over (start, end] with the contaminated land at both ends."""
    return grouped_land_release(conn, start, end, NATIONAL, scope, known_at)[None]


def grouped_land_release(
    conn: Connection,
    start: date,
    end: date,
    grouping: Grouping,
    scope: str = "all",
    known_at: datetime | None = None,
    keys: Iterable[str | None] = (None,),
) -> dict[str | None, LandRelease]:
    """The land-release balance of each group: those of ``keys`` and any with land."""
    known, params = knowledge(known_at, "s")
    rows = conn.execute(
        text(
            f"""
            SELECT {grouping.key} AS key, s.previous_state, s.state, sum(s.area_m2) AS m2
              FROM land_state s {grouping.join}
             WHERE s.scope = :scope AND s.since_on > :start AND s.since_on <= :end AND {known}
             GROUP BY 1, 2, 3
            """
        ),
        {"scope": scope, "start": start, "end": end, **params, **grouping.params},
    ).all()
    at_start = grouped_totals(conn, start, grouping, scope, known_at)
    at_end = grouped_totals(conn, end, grouping, scope, known_at)
    transitions: dict[str | None, list] = {key: [] for key in keys}
    for key in (*at_start, *at_end):
        transitions.setdefault(key, [])
    for key, before, after, m2 in rows:
        transitions.setdefault(key, []).append((before, after, m2))
    return {
        key: LandRelease(
            at_start.get(key, Totals(start, 0.0, 0.0)),
            at_end.get(key, Totals(end, 0.0, 0.0)),
            flow_totals(found),
        )
        for key, found in transitions.items()
    }


def piece_totals(pieces: Iterable[Piece], as_of: date) -> dict[str, float]:
    """SHA and CHA of a set of pieces after every fact dated ``as_of`` or earlier."""
    result = {"SHA": 0.0, "CHA": 0.0}
    for piece in pieces:
        for stint in piece.stints:
            alive = stint.since.on <= as_of and (stint.until is None or stint.until.on > as_of)
            if alive and stint.state.value in result:
                result[stint.state.value] += piece.area_m2
    return result


def piece_flows(pieces: Iterable[Piece], start: date, end: date) -> dict[str, float]:
    """Land-release flows of a set of pieces over (start, end]."""
    return flow_totals(
        (s.previous, s.state, p.area_m2)
        for p in pieces
        for s in p.stints
        if start < s.since.on <= end
    )


def with_difference(official: LandRelease, added: list[Piece], removed: list[Piece]) -> LandRelease:
    """The balance with some pieces replaced by others (previewing pending submissions)."""
    start, end = official.start.as_of, official.end.as_of

    def shifted(totals_: Totals) -> Totals:
        plus, minus = piece_totals(added, totals_.as_of), piece_totals(removed, totals_.as_of)
        return Totals(
            totals_.as_of,
            totals_.sha_m2 + plus["SHA"] - minus["SHA"],
            totals_.cha_m2 + plus["CHA"] - minus["CHA"],
        )

    plus, minus = piece_flows(added, start, end), piece_flows(removed, start, end)
    flows = {f: official.flows_m2[f] + plus[f] - minus[f] for f in FLOWS}
    return LandRelease(shifted(official.start), shifted(official.end), flows)


def totals_by_hazard_class(
    conn: Connection, as_of: date, scope: str = "all", known_at: datetime | None = None
) -> dict[str, Totals]:
    """Contaminated land split by the recorded class of the hazard that owns it; the parts
    add up to the national figure."""
    found = grouped_totals(conn, as_of, BY_HAZARD_CLASS, scope, known_at)
    return {cls: found.get(cls, Totals(as_of, 0.0, 0.0)) for cls in ("SHA", "CHA")}
