"""The figures of an APMBC Article 5 extension request, with their arithmetic shown.

Article 5.4 asks a request for its duration, the reasons with the status of the work done
under the national demining programme, the means available, and what impedes the work; the
States Parties' extension process asks for the areas known or suspected to contain
anti-personnel mines at entry into force (EIF) and identified since, the land released by
method, what remains, and a work plan. On the AP-mine scope, for EIF E and reference date R:
the mined areas at E and identified in (E, R]; released in (E, R] by method (cancelled by
non-technical survey, reduced by technical survey, cleared), with confirmed and corrected land
beside it; remaining SHA and CHA at R; the check (total − released − corrected = remaining);
the annual table; the deadline in force (Article 5.1, as extended under 5.3) and the work plan.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection

from app.reports.extension_request import request_figures
from app.reports.work_plan import Capacity
from app.storage import unmapped
from app.treaty.programme import TreatySettings
from app.treaty.treaties import APMBC


def report(
    conn: Connection,
    country: str,
    settings: TreatySettings,
    as_of: date,
    known_at: datetime | None = None,
    capacity: Capacity | None = None,
    currency: str | None = None,
) -> dict:
    scope = APMBC.scope
    found = request_figures(conn, settings, as_of, scope, known_at, capacity)
    flows = found.flows_m2
    return {
        "treaty": APMBC.treaty.value,
        "country": country,
        "currency": currency,
        "eif": settings.eif,
        "as_of": as_of,
        "contamination": scope,
        "known_at": known_at,
        "mined_areas": {
            "at_eif_m2": found.baseline_m2,
            "identified_after_eif_m2": found.discovered_m2,
            "total_m2": found.total_m2,
        },
        "since_eif": {
            "cancelled_m2": flows["cancelled"],
            "reduced_m2": flows["reduced"],
            "cleared_m2": flows["cleared"],
            "released_m2": found.released_m2,
            "confirmed_m2": flows["confirmed"],
            "corrected_m2": flows["corrected"],
        },
        "remaining": {
            "sha_m2": found.remaining.sha_m2,
            "cha_m2": found.remaining.cha_m2,
            "remaining_m2": found.remaining.remaining_m2,
            "by_region": found.by_region,
        },
        # Beside the remaining land, never in it: land the records declare but nobody mapped.
        "not_mapped": unmapped.declared(conn, as_of, scope, known_at).as_dict(),
        "check": found.check,
        "annual": found.annual,
        "original_deadline": settings.original_deadline(),
        "extensions_granted": [e.model_dump() for e in settings.granted_by(as_of)],
        "deadline_in_force": found.deadline_in_force,
        "next_extension_request": found.next_request,
        "work_plan": found.work_plan,
    }
