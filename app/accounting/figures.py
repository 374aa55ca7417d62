"""Totals and the land-release balance, read from the replayed land state.

Every figure is a sum of piece areas: pieces never overlap at one ledger time, so land is
counted once; flows are the pieces a transition created, by the date of their fact.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import Connection, text

from app.ledger.states import FLOWS, flow_totals


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


def totals(conn: Connection, as_of: date, scope: str = "all") -> Totals:
    """Contaminated land after every fact dated ``as_of`` or earlier."""
    row = conn.execute(
        text(
            """
            SELECT coalesce(sum(area_m2) FILTER (WHERE state = 'SHA'), 0) AS sha,
                   coalesce(sum(area_m2) FILTER (WHERE state = 'CHA'), 0) AS cha
              FROM land_state
             WHERE scope = :scope AND state IN ('SHA', 'CHA')
               AND since_on <= :as_of AND (until_on IS NULL OR until_on > :as_of)
            """
        ),
        {"scope": scope, "as_of": as_of},
    ).one()
    return Totals(as_of, float(row.sha), float(row.cha))


def land_release(conn: Connection, start: date, end: date, scope: str = "all") -> LandRelease:
    """Land-release flows over (start, end] with the contaminated land at both ends."""
    rows = conn.execute(
        text(
            """
            SELECT previous_state, state, sum(area_m2) AS m2
              FROM land_state
             WHERE scope = :scope AND since_on > :start AND since_on <= :end
             GROUP BY previous_state, state
            """
        ),
        {"scope": scope, "start": start, "end": end},
    )
    return LandRelease(totals(conn, start, scope), totals(conn, end, scope), flow_totals(rows))
