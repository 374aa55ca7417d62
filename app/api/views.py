"""What a request asks to see, as the queries take it: the caller's view of hazards and events
(a date, a scope, a moment of knowledge and the submissions it may see) and the boxes of its
``bbox``. Shared by the routes that list hazards, events and exports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Query

from app.auth.policy import unapproved_visible_to
from app.auth.principal import Principal
from app.geo.bbox import Box, parse_bbox
from app.ledger.scopes import NATIONAL
from app.storage.conditions import View

BBoxText = Annotated[
    str | None,
    Query(
        description="min lon, min lat, max lon, max lat (a west edge east of the east edge "
        "crosses the antimeridian)"
    ),
]


def view_for(
    principal: Principal, as_of: date, scope: str = NATIONAL, known_at: datetime | None = None
) -> View:
    """What this caller may see: submissions awaiting review of its own organisation only,
    unless its role sees them all."""
    return View(as_of, scope, known_at, unapproved_visible_to(principal))


def boxes(bbox: str | None) -> list[Box] | None:
    """The lon/lat boxes of a ``bbox`` parameter (None: not given)."""
    return None if bbox is None else parse_bbox(bbox).boxes()
