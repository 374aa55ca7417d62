"""The figures of a CCM Article 4.6 extension request, with their arithmetic shown.

For EIF E and reference date R, in the scope of one contamination type (CMR by default):
(d) the area containing CMR at E plus what was discovered in (E, R]; (e) what was cleared in
(E, R], with what was cancelled and reduced beside it; (f) what remains at R, SHA and CHA. The
check (d) - cancelled - reduced - cleared - corrected = (f) is printed with the report.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection

from app.reports.extension_request import request_figures
from app.reports.work_plan import Capacity
from app.storage import unmapped
from app.treaty.programme import TreatySettings
from app.treaty.treaties import CCM


def report(
    conn: Connection,
    country: str,
    settings: TreatySettings,
    as_of: date,
    scope: str = CCM.scope,
    known_at: datetime | None = None,
    capacity: Capacity | None = None,
    currency: str | None = None,
) -> dict:
    found = request_figures(conn, settings, as_of, scope, known_at, capacity)
    flows, check = found.flows_m2, found.check
    return {
        "treaty": settings.rules.treaty.value,
        "country": country,
        "currency": currency,
        "eif": settings.eif,
        "as_of": as_of,
        "contamination": None if scope == "all" else scope,
        "known_at": known_at,
        "d": {
            "baseline_at_eif_m2": found.baseline_m2,
            "discovered_after_eif_m2": found.discovered_m2,
            "total_m2": found.total_m2,
        },
        "e": {
            "cleared_since_eif_m2": flows["cleared"],
            "cancelled_since_eif_m2": flows["cancelled"],
            "reduced_since_eif_m2": flows["reduced"],
            "confirmed_since_eif_m2": flows["confirmed"],
            "corrected_since_eif_m2": flows["corrected"],
        },
        "f": {
            "remaining_sha_m2": found.remaining.sha_m2,
            "remaining_cha_m2": found.remaining.cha_m2,
            "remaining_m2": found.remaining.remaining_m2,
            "by_region": found.by_region,
        },
        # Beside (f), never in it: land the records declare but nobody mapped.
        "not_mapped": unmapped.declared(conn, as_of, scope, known_at).as_dict(),
        "check": {
            "d_total_m2": check["total_m2"],
            "minus_released_m2": check["minus_released_m2"],
            "minus_corrected_m2": check["minus_corrected_m2"],
            "equals_m2": check["equals_m2"],
            "f_remaining_m2": check["remaining_m2"],
            "difference_m2": check["difference_m2"],
        },
        "annual": found.annual,
        "deadline_in_force": found.deadline_in_force,
        "next_extension_request": found.next_request,
        "work_plan": found.work_plan,
    }
