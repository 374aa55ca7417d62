"""The figures every clearance-deadline extension request rests on, whichever the treaty (CCM
Article 4.6, APMBC Article 5): for EIF E and reference date R, on the scope of the treaty's
contamination,

- the area contaminated at E, what was discovered in (E, R], and their total;
- the land released in (E, R] by method, with what was confirmed and corrected beside it;
- what remains at R, SHA and CHA, also per province;
- the check: total − released − corrected = remaining;
- per calendar year since E, the flows, the land remaining at 31 December and the items
  destroyed by type;
- the deadline in force, the next meeting a request can reach, and the work plan.

Each report names these parts in its treaty's words (article_4_6.py, article_5.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from app.accounting import by_region, figures
from app.accounting.figures import Totals
from app.reports.work_plan import Capacity, project
from app.storage import event_queries
from app.storage.conditions import View
from app.treaty.programme import ExtensionRequest, TreatySettings


@dataclass(frozen=True)
class RequestFigures:
    baseline_m2: float  # contaminated at EIF
    discovered_m2: float  # discovered after EIF
    flows_m2: dict[str, float]  # over (EIF, R]
    released_m2: float
    remaining: Totals  # at R
    by_region: list[dict[str, Any]]
    annual: list[dict[str, Any]]
    deadline_in_force: date
    next_request: ExtensionRequest | None
    work_plan: dict[str, Any]

    @property
    def total_m2(self) -> float:
        return self.baseline_m2 + self.discovered_m2

    @property
    def check(self) -> dict[str, float]:
        """total − released − corrected, and its difference with what remains: zero."""
        corrected = self.flows_m2["corrected"]
        equals = self.total_m2 - self.released_m2 - corrected
        return {
            "total_m2": self.total_m2,
            "minus_released_m2": self.released_m2,
            "minus_corrected_m2": corrected,
            "equals_m2": equals,
            "remaining_m2": self.remaining.remaining_m2,
            "difference_m2": equals - self.remaining.remaining_m2,
        }


def request_figures(
    conn: Connection,
    settings: TreatySettings,
    as_of: date,
    scope: str,
    known_at: datetime | None,
    capacity: Capacity | None = None,
) -> RequestFigures:
    eif = settings.eif
    period = figures.land_release(conn, eif, as_of, scope, known_at)
    deadline = settings.deadline_in_force(as_of)
    capacity = capacity or trailing_capacity(conn, as_of, scope, known_at)
    end = period.end
    return RequestFigures(
        baseline_m2=period.start.remaining_m2,
        discovered_m2=period.flows_m2["discovered"],
        flows_m2=period.flows_m2,
        released_m2=period.released_m2,
        remaining=end,
        by_region=by_region.totals(conn, as_of, 1, scope, known_at),
        annual=annual_table(conn, eif, as_of, scope, known_at),
        deadline_in_force=deadline,
        next_request=settings.next_request(as_of),
        work_plan=project(end.sha_m2, end.cha_m2, as_of, deadline, capacity, settings.rules),
    )


def annual_table(
    conn: Connection, eif: date, as_of: date, scope: str, known_at: datetime | None
) -> list[dict]:
    """Per calendar year since EIF: the flows, the land remaining at 31 December (or at
    ``as_of`` in its year), and the items destroyed by type."""
    view = View(as_of, scope, known_at, frozenset())
    items: dict[int, dict[str, int]] = {}
    for year, kind, count in event_queries.items_destroyed(conn, view, eif, as_of):
        items.setdefault(year, {})[kind] = count
    rows = []
    for year in range(eif.year, as_of.year + 1):
        start = max(eif, date(year - 1, 12, 31))
        end = min(date(year, 12, 31), as_of)
        period = figures.land_release(conn, start, end, scope, known_at)
        rows.append(
            {
                "year": year,
                "from": start,
                "to": end,
                **{f"{flow}_m2": m2 for flow, m2 in period.flows_m2.items()},
                "remaining_sha_m2": period.end.sha_m2,
                "remaining_cha_m2": period.end.cha_m2,
                "remaining_m2": period.end.remaining_m2,
                "items_destroyed": items.get(year, {}),
            }
        )
    return rows


def trailing_capacity(
    conn: Connection,
    as_of: date,
    scope: str,
    known_at: datetime | None,
    costs: dict[str, float] | None = None,
) -> Capacity:
    """The average land released per year by method over the last three full calendar years."""
    last = as_of.year if as_of == date(as_of.year, 12, 31) else as_of.year - 1
    years = [last - 2, last - 1, last]
    totals = {"cancel": 0.0, "reduce": 0.0, "clear": 0.0}
    for year in years:
        flows = figures.land_release(
            conn, date(year - 1, 12, 31), date(year, 12, 31), scope, known_at
        ).flows_m2
        totals["cancel"] += flows["cancelled"]
        totals["reduce"] += flows["reduced"]
        totals["clear"] += flows["cleared"]
    return Capacity(
        m2_per_year={method: m2 / 3 for method, m2 in totals.items()},
        cost_per_m2=costs or {},
        basis={"code": "report.basis.trailing", "params": {"first": years[0], "last": years[-1]}},
    )
