"""Projection of the remaining work: land released each year by method until none is left.

Each year non-technical survey cancels suspected land, technical survey reduces suspected and
then confirmed land, clearance clears confirmed and then suspected land, each up to its annual
capacity. The plan says when the work is done, whether that is inside the deadline in force,
and the extension it would need (whole years, and the requests it takes: the treaty says how
long one extension may be).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.ledger.remaining import remaining_m2
from app.treaty import deadlines
from app.treaty.treaties import ClearanceRules

METHODS = ("cancel", "reduce", "clear")
DONE_BELOW_M2 = 0.5  # what is left below half a square metre is floating-point dust
MAX_YEARS = 100


@dataclass(frozen=True)
class Capacity:
    m2_per_year: dict[str, float]  # method -> m²
    cost_per_m2: dict[str, float]  # method -> currency per m²
    # How the capacities were chosen: a message of the catalogues (code and params), written
    # in the reader's language where the plan is read.
    basis: dict[str, Any]


def project(
    sha_m2: float,
    cha_m2: float,
    start: date,
    deadline: date,
    capacity: Capacity,
    rules: ClearanceRules,
) -> dict:
    """The plan from the day after ``start`` to completion (or 100 years), against the
    deadline in force under ``rules``."""
    years: list[dict] = []
    year = start.year + 1 if start.month == 12 and start.day == 31 else start.year
    completion: date | None = None
    if remaining_m2(sha_m2, cha_m2) < DONE_BELOW_M2:
        completion = start
    while completion is None and len(years) < MAX_YEARS:
        cancel = min(capacity.m2_per_year.get("cancel", 0.0), sha_m2)
        sha_m2 -= cancel
        reduce_sha = min(capacity.m2_per_year.get("reduce", 0.0), sha_m2)
        reduce_cha = min(capacity.m2_per_year.get("reduce", 0.0) - reduce_sha, cha_m2)
        sha_m2, cha_m2 = sha_m2 - reduce_sha, cha_m2 - reduce_cha
        clear_cha = min(capacity.m2_per_year.get("clear", 0.0), cha_m2)
        clear_sha = min(capacity.m2_per_year.get("clear", 0.0) - clear_cha, sha_m2)
        sha_m2, cha_m2 = sha_m2 - clear_sha, cha_m2 - clear_cha
        released = {
            "cancel": cancel,
            "reduce": reduce_sha + reduce_cha,
            "clear": clear_sha + clear_cha,
        }
        if sum(released.values()) <= 0:
            break  # no capacity: the work never ends
        years.append(
            {
                "year": year,
                "cancelled_m2": released["cancel"],
                "reduced_m2": released["reduce"],
                "cleared_m2": released["clear"],
                "remaining_sha_m2": sha_m2,
                "remaining_cha_m2": cha_m2,
                "remaining_m2": remaining_m2(sha_m2, cha_m2),
                "cost": sum(released[m] * capacity.cost_per_m2.get(m, 0.0) for m in METHODS),
            }
        )
        if remaining_m2(sha_m2, cha_m2) < DONE_BELOW_M2:
            completion = date(year, 12, 31)
        year += 1
    extension_years = (
        deadlines.years_to_extend(deadline, completion) if completion is not None else None
    )
    return {
        "capacity_m2_per_year": capacity.m2_per_year,
        "capacity_basis": capacity.basis,
        "cost_per_m2": capacity.cost_per_m2,
        "years": years,
        "completion_year": completion.year if completion else None,
        "completion_date": completion,
        "deadline_in_force": deadline,
        "within_deadline": completion is not None and completion <= deadline,
        "extension_years_needed": extension_years,
        "max_extension_years": rules.max_extension_years,
        "extension_requests_needed": (
            deadlines.requests_needed(extension_years, rules)
            if extension_years is not None
            else None
        ),
        "total_cost": sum(y["cost"] for y in years),
    }
