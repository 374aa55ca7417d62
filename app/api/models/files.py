"""How the OpenAPI document describes answers that are files (exports, spreadsheets, charts)."""

from __future__ import annotations

from typing import Any


def file_answer(description: str, *media_types: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a route whose 200 answer is a file of one of ``media_types``."""
    content = {
        media: {"schema": {"type": "string"} if media.startswith("text/") else _BINARY}
        for media in media_types
    }
    return {200: {"description": description, "content": content}}


_BINARY = {"type": "string", "format": "binary"}
