"""A photo a phone sent with a fact, answered under the fact's own URL: the route has found
the fact visible to the caller first, so the photo follows the fact's visibility."""

from __future__ import annotations

from fastapi import Response
from sqlalchemy import Connection

from app.errors import NotFound
from app.storage import phone_submissions


def photo_answer(conn: Connection, import_id: int | None, name: str) -> Response:
    photo = phone_submissions.photo(conn, import_id, name, None) if import_id else None
    if photo is None:
        raise NotFound(code="fact.no_photo", params={"name": name}, field="name")
    return Response(
        photo.content,
        media_type=photo.content_type or "application/octet-stream",
        headers={"Cache-Control": "private, max-age=3600"},
    )
