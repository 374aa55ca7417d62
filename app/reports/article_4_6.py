"""The figures of a CCM Article 4.6 extension request, with their arithmetic shown.

For EIF E and reference date R, in the scope of one contamination type (CMR by default):
(d) the area containing CMR at E plus what was discovered in (E, R]; (e) what was cleared in
(E, R], with what was cancelled and reduced beside it; (f) what remains at R, SHA and CHA. The
check (d) - cancelled - reduced - cleared - corrected = (f) is printed with the report.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection

from app.accounting import by_region, figures
from app.reports.work_plan import Capacity, project
from app.storage import event_queries
from app.storage.conditions import View
from app.treaty.programme import Programme


def report(
    conn: Connection,
    programme: Programme,
    as_of: date,
    scope: str = "CMR",
    known_at: datetime | None = None,
    capacity: Capacity | None = None,
) -> dict:
    eif = programme.eif
    period = figures.land_release(conn, eif, as_of, scope, known_at)
    flows = period.flows_m2
    baseline = period.start.remaining_m2
    total = baseline + flows["discovered"]
    released = period.released_m2
    deadline = programme.deadline_in_force(as_of)
    capacity = capacity or trailing_capacity(conn, as_of, scope, known_at)
    return {
        "country": programme.country,
        "currency": programme.currency,
        "eif": eif,
        "as_of": as_of,
        "contamination": None if scope == "all" else scope,
        "known_at": known_at,
        "d": {
            "baseline_at_eif_m2": baseline,
            "discovered_after_eif_m2": flows["discovered"],
            "total_m2": total,
        },
        "e": {
            "cleared_since_eif_m2": flows["cleared"],
            "cancelled_since_eif_m2": flows["cancelled"],
            "reduced_since_eif_m2": flows["reduced"],
            "confirmed_since_eif_m2": flows["confirmed"],
            "corrected_since_eif_m2": flows["corrected"],
        },
        "f": {
            "remaining_sha_m2": period.end.sha_m2,
            "remaining_cha_m2": period.end.cha_m2,
            "remaining_m2": period.end.remaining_m2,
            "by_region": by_region.totals(conn, as_of, 1, scope, known_at),
        },
        "check": {
            "d_total_m2": total,
            "minus_released_m2": released,
            "minus_corrected_m2": flows["corrected"],
            "equals_m2": total - released - flows["corrected"],
            "f_remaining_m2": period.end.remaining_m2,
            "difference_m2": total - released - flows["corrected"] - period.end.remaining_m2,
        },
        "annual": annual_table(conn, eif, as_of, scope, known_at),
        "deadline_in_force": deadline,
        "next_extension_request": programme.next_request(as_of),
        "work_plan": project(period.end.sha_m2, period.end.cha_m2, as_of, deadline, capacity),
    }


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
