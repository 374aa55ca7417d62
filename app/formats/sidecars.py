"""The files that travel with a shapefile (.dbf, .prj, .cpg), in whatever letter case."""

from __future__ import annotations

import glob
from pathlib import Path


def sidecar(path: Path, suffix: str) -> Path | None:
    """The file beside ``path`` with its name and ``suffix`` (".dbf"), if there is one."""
    return next(
        (p for p in path.parent.glob(f"{glob.escape(path.stem)}.*") if p.suffix.lower() == suffix),
        None,
    )
