"""Pages and single features asked first of a collection's kept form (the hazards' land kept
when it changes: ``HAZARDS_KEPT``), then, where it does not hold, of the collection itself.

The kept form answers for CRS84 only, and holds on and after the newest date of the land
state: its SQL says so itself (before that date it selects nothing), so that the common
request (today's land) costs one query and no look-up of that date. Whatever the kept form
selects is exactly what the collection would, hence an empty answer alone asks again.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from app.ogc import queries
from app.ogc.collections import KEPT_FORMS, Collection
from app.ogc.crs import LON_LAT


def _kept_form(collection: Collection, crs_uri: str, at_as_of: bool) -> Collection | None:
    if not at_as_of or crs_uri != LON_LAT.uri:
        return None
    return KEPT_FORMS.get(collection.id)


def page(
    conn: Connection,
    collection: Collection,
    selection: queries.Selection,
    shape: queries.Shape,
    limit: int,
    offset: int,
) -> tuple[Collection, queries.Page]:
    """A page, and the form of the collection that served it (counts ask the same)."""
    kept_form = _kept_form(collection, shape.crs.uri, selection.at_as_of)
    if kept_form is not None:
        found = queries.page(conn, kept_form, selection, shape, limit, offset)
        if found.features:
            return kept_form, found
    return collection, queries.page(conn, collection, selection, shape, limit, offset)


def one(
    conn: Connection, collection: Collection, fid: str, as_of: date, shape: queries.Shape
) -> str | None:
    kept_form = _kept_form(collection, shape.crs.uri, True)
    if kept_form is not None:
        found = queries.one(conn, kept_form, fid, as_of, shape)
        if found is not None:
            return found
    return queries.one(conn, collection, fid, as_of, shape)
