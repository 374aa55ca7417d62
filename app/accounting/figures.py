"""Totals and the land-release balance, computed from the sums the land state gives
(app.storage.figures): contaminated land as of a date, and the flows of a period with the
land at both ends, nationally or per group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from app.ledger.remaining import remaining_m2
from app.ledger.scopes import NATIONAL
from app.ledger.states import FLOWS, RELEASE_FLOWS, flow_totals
from app.storage import figures as sums
from app.storage.figures import BY_HAZARD_CLASS, UNGROUPED, Grouping

GroupKey = Any  # a group's key as its grouping gives it: None for the national group


@dataclass(frozen=True)
class Totals:
    """Contaminated land after every fact dated ``as_of`` or earlier."""

    as_of: date
    sha_m2: float
    cha_m2: float

    @property
    def remaining_m2(self) -> float:
        return remaining_m2(self.sha_m2, self.cha_m2)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "remaining_m2": self.remaining_m2}


@dataclass(frozen=True)
class LandRelease:
    """The land-release balance of a period: the land at both ends and the flows between."""

    start: Totals
    end: Totals
    flows_m2: dict[str, float]

    @property
    def released_m2(self) -> float:
        return sum(self.flows_m2[f] for f in RELEASE_FLOWS)

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

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.as_of,
            "to": self.end.as_of,
            "remaining_start_m2": self.start.remaining_m2,
            "sha_start_m2": self.start.sha_m2,
            "cha_start_m2": self.start.cha_m2,
            **{f"{flow}_m2": self.flows_m2[flow] for flow in FLOWS},
            "released_m2": self.released_m2,
            "remaining_end_m2": self.end.remaining_m2,
            "sha_end_m2": self.end.sha_m2,
            "cha_end_m2": self.end.cha_m2,
            "balance_error_m2": self.balance_error_m2,
        }


def totals(
    conn: Connection, as_of: date, scope: str = NATIONAL, known_at: datetime | None = None
) -> Totals:
    """Contaminated land after every fact dated ``as_of`` or earlier, as the database holds
    it now or as it held it at ``known_at``."""
    return grouped_totals(conn, as_of, UNGROUPED, scope, known_at).get(
        None, Totals(as_of, 0.0, 0.0)
    )


def grouped_totals(
    conn: Connection,
    as_of: date,
    grouping: Grouping,
    scope: str = NATIONAL,
    known_at: datetime | None = None,
) -> dict[GroupKey, Totals]:
    """Contaminated land as of a date per group (only groups with land in them)."""
    found = sums.contaminated_m2(conn, as_of, grouping, scope, known_at)
    return {key: Totals(as_of, sha, cha) for key, sha, cha in found}


def land_release(
    conn: Connection,
    start: date,
    end: date,
    scope: str = NATIONAL,
    known_at: datetime | None = None,
) -> LandRelease:
    """Land-release flows over (start, end] with the contaminated land at both ends."""
    return grouped_land_release(conn, start, end, UNGROUPED, scope, known_at)[None]


def grouped_land_release(
    conn: Connection,
    start: date,
    end: date,
    grouping: Grouping,
    scope: str = NATIONAL,
    known_at: datetime | None = None,
    keys: Iterable[GroupKey] = (None,),
) -> dict[GroupKey, LandRelease]:
    """The land-release balance of each group: those of ``keys`` and any with land."""
    moved = sums.transitions(conn, start, end, grouping, scope, known_at)
    at_start = grouped_totals(conn, start, grouping, scope, known_at)
    at_end = grouped_totals(conn, end, grouping, scope, known_at)
    found: dict[GroupKey, list[tuple[str | None, str, float]]] = {key: [] for key in keys}
    for key in (*at_start, *at_end):
        found.setdefault(key, [])
    for key, before, after, m2 in moved:
        found.setdefault(key, []).append((before, after, m2))
    return {
        key: LandRelease(
            at_start.get(key, Totals(start, 0.0, 0.0)),
            at_end.get(key, Totals(end, 0.0, 0.0)),
            flow_totals(transitions),
        )
        for key, transitions in found.items()
    }


def totals_by_hazard_class(
    conn: Connection, as_of: date, scope: str = NATIONAL, known_at: datetime | None = None
) -> dict[str, Totals]:
    """Contaminated land split by the recorded class of the hazard that owns it; the parts
    add up to the national figure."""
    found = grouped_totals(conn, as_of, BY_HAZARD_CLASS, scope, known_at)
    return {cls: found.get(cls, Totals(as_of, 0.0, 0.0)) for cls in ("SHA", "CHA")}


def land_release_by_hazard_class(
    conn: Connection,
    start: date,
    end: date,
    scope: str = NATIONAL,
    known_at: datetime | None = None,
) -> dict[str, LandRelease]:
    """The land-release balance split by the recorded class of the hazard that owns the
    land; the parts add up to the national balance."""
    found = grouped_land_release(
        conn, start, end, BY_HAZARD_CLASS, scope, known_at, keys=("SHA", "CHA")
    )
    return {str(cls): balance for cls, balance in found.items()}
