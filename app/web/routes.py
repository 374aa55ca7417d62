"""Serving the web interface: the page at /, the API documentation at /docs, and their assets
under /static."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
def index() -> FileResponse:
    # The page is small and changes with each release: always revalidated.
    return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})


@router.get("/docs")
def documentation() -> FileResponse:
    """Swagger UI (vendored from npm swagger-ui-dist, with its licence) on the service's
    /openapi.json, started by a script file of its own."""
    return FileResponse(STATIC / "docs.html", headers={"Cache-Control": "no-cache"})


def static_files() -> StaticFiles:
    return StaticFiles(directory=STATIC)
