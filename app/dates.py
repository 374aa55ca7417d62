"""The plausible dates: every date a request gives (a date of information, as of, a period,
known at, the programme's) lies between the earliest and latest the settings allow
(``INPUT_EARLIEST_DATE``, ``INPUT_LATEST_DATE``)."""

from __future__ import annotations

from datetime import date, datetime

from app.errors import InvalidInput
from app.settings import input_settings


def check_plausible(day: date | datetime, field: str) -> None:
    """Refuse ``day`` (given as ``field``) when it lies outside the plausible dates."""
    settings = input_settings()
    on = day.date() if isinstance(day, datetime) else day
    if settings.earliest_date <= on <= settings.latest_date:
        return
    earliest, latest = settings.earliest_date.isoformat(), settings.latest_date.isoformat()
    raise InvalidInput(
        field=field,
        code="date.out_of_range",
        params={"field": field, "date": on.isoformat(), "earliest": earliest, "latest": latest},
    )
