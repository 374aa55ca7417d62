"""Totals and the land-release balance, read from the replayed land state.

Every figure is a sum of piece areas: pieces never overlap at one ledger time, so land is
counted once; flows are the pieces a transition created, by the date of their fact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import Connection, text

from app.ledger.parcels import Parcel
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


def totals(
    conn: Connection, as_of: date, scope: str = "all", known_at: datetime | None = None
) -> Totals:
    """Contaminated land after every fact dated ``as_of`` or earlier, as the database holds
    it now or as it held it at ``known_at``."""
    known, params = knowledge(known_at)
    row = conn.execute(
        text(
            f"""
            SELECT coalesce(sum(area_m2) FILTER (WHERE state = 'SHA'), 0) AS sha,
                   coalesce(sum(area_m2) FILTER (WHERE state = 'CHA'), 0) AS cha
              FROM land_state
             WHERE scope = :scope AND state IN ('SHA', 'CHA') AND {known}
               AND since_on <= :as_of AND (until_on IS NULL OR until_on > :as_of)
            """
        ),
        {"scope": scope, "as_of": as_of, **params},
    ).one()
    return Totals(as_of, float(row.sha), float(row.cha))


def land_release(
    conn: Connection,
    start: date,
    end: date,
    scope: str = "all",
    known_at: datetime | None = None,
) -> LandRelease:
    """Land-release flows over (start, end] with the contaminated land at both ends."""
    known, params = knowledge(known_at)
    rows = conn.execute(
        text(
            f"""
            SELECT previous_state, state, sum(area_m2) AS m2
              FROM land_state
             WHERE scope = :scope AND since_on > :start AND since_on <= :end AND {known}
             GROUP BY previous_state, state
            """
        ),
        {"scope": scope, "start": start, "end": end, **params},
    )
    return LandRelease(
        totals(conn, start, scope, known_at),
        totals(conn, end, scope, known_at),
        flow_totals(rows),
    )


def parcel_totals(parcels: Iterable[Parcel], as_of: date) -> dict[str, float]:
    """SHA and CHA of a set of parcels after every fact dated ``as_of`` or earlier."""
    result = {"SHA": 0.0, "CHA": 0.0}
    for parcel in parcels:
        for stint in parcel.stints:
            alive = stint.since.on <= as_of and (stint.until is None or stint.until.on > as_of)
            if alive and stint.state.value in result:
                result[stint.state.value] += parcel.area_m2
    return result


def parcel_flows(parcels: Iterable[Parcel], start: date, end: date) -> dict[str, float]:
    """Land-release flows of a set of parcels over (start, end]."""
    return flow_totals(
        (s.previous, s.state, p.area_m2)
        for p in parcels
        for s in p.stints
        if start < s.since.on <= end
    )


def with_difference(
    official: LandRelease, added: list[Parcel], removed: list[Parcel]
) -> LandRelease:
    """The balance with some parcels replaced by others (previewing pending submissions)."""
    start, end = official.start.as_of, official.end.as_of

    def shifted(totals_: Totals) -> Totals:
        plus, minus = parcel_totals(added, totals_.as_of), parcel_totals(removed, totals_.as_of)
        return Totals(
            totals_.as_of,
            totals_.sha_m2 + plus["SHA"] - minus["SHA"],
            totals_.cha_m2 + plus["CHA"] - minus["CHA"],
        )

    plus, minus = parcel_flows(added, start, end), parcel_flows(removed, start, end)
    flows = {f: official.flows_m2[f] + plus[f] - minus[f] for f in FLOWS}
    return LandRelease(shifted(official.start), shifted(official.end), flows)


def totals_by_hazard_class(
    conn: Connection, as_of: date, scope: str = "all", known_at: datetime | None = None
) -> dict[str, Totals]:
    """Contaminated land split by the recorded class of the hazard that owns it; the parts
    add up to the national figure."""
    known, params = knowledge(known_at, "s")
    rows = conn.execute(
        text(
            f"""
            SELECT h.hazard_class,
                   coalesce(sum(s.area_m2) FILTER (WHERE s.state = 'SHA'), 0) AS sha,
                   coalesce(sum(s.area_m2) FILTER (WHERE s.state = 'CHA'), 0) AS cha
              FROM land_state s JOIN hazards h ON h.id = s.hazard_id
             WHERE s.scope = :scope AND s.state IN ('SHA', 'CHA') AND {known}
               AND s.since_on <= :as_of AND (s.until_on IS NULL OR s.until_on > :as_of)
             GROUP BY h.hazard_class
            """
        ),
        {"scope": scope, "as_of": as_of, **params},
    )
    found = {cls: Totals(as_of, float(sha), float(cha)) for cls, sha, cha in rows}
    return {cls: found.get(cls, Totals(as_of, 0.0, 0.0)) for cls in ("SHA", "CHA")}
