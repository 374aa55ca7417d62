"""The private PostGIS cluster of a checkout, found as scripts/pg.sh makes it: with no
DATABASE_URL, the command line and the service reach the database `make run` uses.

The cluster is in ``.pgdata/`` of the checkout, or in ``/var/tmp/landrelease-pg-<hash>``
for a checkout the server's user cannot reach. It listens on a Unix socket in that folder, on
the port its configuration was made with (PG_PORT chose it when the cluster was made).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 54329  # scripts/pg.sh's
_PORT = re.compile(r"^\s*port\s*=\s*(\d+)", re.MULTILINE)


def cluster_folder(root: Path = ROOT) -> Path | None:
    """The folder of the checkout's private cluster, if it has one."""
    for folder in (root / ".pgdata", _elsewhere(root)):
        if (folder / "data" / "PG_VERSION").exists():
            return folder
    return None


def _elsewhere(root: Path) -> Path:
    key = hashlib.sha1(str(root).encode()).hexdigest()[:12]
    return Path(f"/var/tmp/landrelease-pg-{key}")


def database_url(root: Path = ROOT, role: str | None = None) -> str | None:
    """The SQLAlchemy URL of the database DB_NAME (``landrelease``) in the checkout's private
    cluster, as ``role`` (the service role by default, as scripts/pg.sh names it); None when
    the checkout has no cluster."""
    folder = cluster_folder(root)
    if folder is None:
        return None
    user = role or os.environ.get("PG_SERVICE_ROLE", "landrelease_service")
    name = os.environ.get("DB_NAME", "landrelease")
    return f"postgresql+psycopg://{user}@/{name}?host={folder}&port={_port(folder)}"


def owner_database_url(root: Path = ROOT) -> str | None:
    """The URL of the same database as the role that owns its tables (migrations, grants)."""
    return database_url(root, os.environ.get("PG_OWNER_ROLE", "landrelease_owner"))


def _port(folder: Path) -> int:
    """The port the cluster was made with (the last setting is the one in force), else
    PG_PORT's, else the default."""
    try:
        found = _PORT.findall((folder / "data" / "postgresql.conf").read_text())
    except OSError:
        found = []
    return int(found[-1]) if found else int(os.environ.get("PG_PORT") or DEFAULT_PORT)
