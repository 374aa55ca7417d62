"""Article 4 deadlines and the dates that follow from them.

- 4.1(a): clearance within 10 years of entry into force (EIF) for the State;
- 4.1(b): for contamination that arose after EIF, 10 years after the end of the hostilities;
- 4.5 / 4.8: each extension is granted for up to 5 years beyond the deadline in force;
- 4.6: a request is submitted at least 9 months before the meeting that considers it.

Anniversaries of 29 February fall on 28 February; "9 months before" the 30th or 31st of a month
falls on the last day of the shorter month (30 November -> 28/29 February).
"""

from __future__ import annotations

import calendar
from datetime import date

YEARS_TO_CLEAR = 10
MAX_EXTENSION_YEARS = 5
REQUEST_MONTHS_AHEAD = 9


def add_years(day: date, years: int) -> date:
    year = day.year + years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def original_deadline(eif: date) -> date:
    """Article 4.1(a)."""
    return add_years(eif, YEARS_TO_CLEAR)


def hostilities_deadline(ended_on: date) -> date:
    """Article 4.1(b), for contamination from hostilities that ended on ``ended_on``."""
    return add_years(ended_on, YEARS_TO_CLEAR)


def latest_extension_allowed(deadline: date) -> date:
    """The furthest new deadline one extension may grant (Article 4.5)."""
    return add_years(deadline, MAX_EXTENSION_YEARS)


def request_due(meeting: date) -> date:
    """The last day to submit a request to the meeting held on ``meeting`` (Article 4.6)."""
    return add_months(meeting, -REQUEST_MONTHS_AHEAD)


def years_to_extend(deadline: date, completion: date) -> int:
    """Whole years of extension needed for work completed on ``completion``."""
    years = 0
    while add_years(deadline, years) < completion:
        years += 1
    return years


def requests_needed(years: int) -> int:
    """Extension requests needed, each of at most 5 years."""
    return -(-years // MAX_EXTENSION_YEARS)
