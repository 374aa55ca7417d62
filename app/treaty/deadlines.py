"""Clearance deadlines and the dates that follow from them, for either treaty's rules
(app.treaty.treaties): the deadline after entry into force (EIF), the furthest one extension may
reach, the day a request is due before the meeting that considers it, and the extension a
completion date would need.

Anniversaries of 29 February fall on 28 February; "9 months before" the 30th or 31st of a month
falls on the last day of the shorter month (30 November -> 28/29 February).
"""

from __future__ import annotations

import calendar
from datetime import date

from app.treaty.treaties import ClearanceRules


def add_years(day: date, years: int) -> date:
    year = day.year + years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def original_deadline(eif: date, rules: ClearanceRules) -> date:
    """CCM Article 4.1(a), APMBC Article 5.1: ten years after EIF."""
    return add_years(eif, rules.years_to_clear)


def hostilities_deadline(ended_on: date, rules: ClearanceRules) -> date:
    """CCM Article 4.1(b), for contamination from hostilities that ended on ``ended_on``."""
    return add_years(ended_on, rules.years_to_clear)


def latest_extension_allowed(deadline: date, rules: ClearanceRules) -> date:
    """The furthest new deadline one extension may grant (CCM 4.5: 5 years; APMBC 5.3: 10)."""
    return add_years(deadline, rules.max_extension_years)


def request_due(meeting: date, rules: ClearanceRules) -> date:
    """The last day to submit a request to the meeting held on ``meeting``."""
    return add_months(meeting, -rules.request_months_ahead)


def years_to_extend(deadline: date, completion: date) -> int:
    """Whole years of extension needed for work completed on ``completion``."""
    years = 0
    while add_years(deadline, years) < completion:
        years += 1
    return years


def requests_needed(years: int, rules: ClearanceRules) -> int:
    """Extension requests needed for ``years``, each of at most the treaty's longest."""
    return -(-years // rules.max_extension_years)
