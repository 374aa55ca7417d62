"""OGC API speed against tipg serving the same PostGIS tables, in one run.

    scripts/bench.sh ogc [--hazards 20000] [--clients 4] [--seconds 8] [--reuse] [--only TEXT]

Loads the demo regions and a generated programme of --hazards hazardous areas into the bench
database, starts this service and tipg (from PyPI, installed into its own virtual environment
under .bench/), and for each kind of request measures requests per second with a fixed number
of concurrent clients, each server in turn. This service serves the land as of today
(hazards: each hazard's remaining land, kept when it changes; tiles: the land-state pieces
alive today); tipg reads the stored rows as they are (public.hazards, public.land_state).

--reuse serves the programme a previous run loaded (loading 20 000 hazards takes minutes);
--only measures the requests whose name holds the text (repeat it for several).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from common import ROOT, free_port, fresh_schema, serve, socket_parts, wait_for
from load import rate
from sqlalchemy import text

sys.path.insert(0, str(ROOT / "scripts"))

from generate_demo_data import features, generate

from app.auth.principal import Role
from app.db import engine
from app.services.accounts import create_token, create_user
from app.services.bulk_load import load_features
from app.services.regions import load_regions, read_regions
from app.storage.ledger_rule import lock_ledger

TIPG_VENV = ROOT / ".bench" / "tipg-venv"


def load(hazards: int) -> str:
    """A fresh bench database with regions, the programme and an analyst; their token."""
    fresh_schema()
    generated = list(generate(hazards, 20100801))
    hazard_features, event_features = features(generated)
    with engine().begin() as conn:
        regions = read_regions(ROOT / "geodata/regions/lao-regions.geojson")
        load_regions(conn, regions, "lao-regions.geojson", lock_ledger(conn))
        load_features(conn, hazard_features["features"], event_features["features"])
        create_user(conn, "bench", "National Mine Action Authority", Role.ANALYST)
        token = create_token(conn, "bench").token
    # The state autovacuum keeps a database in use in (visibility map, statistics), for
    # both servers.
    with engine().connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    return token


def reuse() -> str | None:
    """A new token of the analyst of a programme loaded before (None: nothing loaded)."""
    with engine().begin() as conn:
        loaded = conn.execute(
            text("SELECT to_regclass('users') IS NOT NULL AND EXISTS (SELECT 1 FROM users)")
        ).scalar_one()
        return create_token(conn, "bench").token if loaded else None


def uvicorn(venv: Path, app: str, env: dict[str, str], app_dir: Path | None = None):
    """``app`` served by uvicorn of ``venv`` on a free port, one worker, access log off."""
    port = free_port()
    where = ["--app-dir", str(app_dir)] if app_dir else []
    process = subprocess.Popen(
        [str(venv / "bin" / "uvicorn"), app, *where, "--port", str(port),
         "--log-level", "warning"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return process, f"http://127.0.0.1:{port}"


def ours() -> tuple[subprocess.Popen, str]:
    """This service as the others are served: without a line logged per request."""
    return serve("--log-level", "warning")


def bare() -> tuple[subprocess.Popen, str]:
    """The floors of the stack: a bare ASGI application on the same uvicorn, with and
    without one indexed query (bench/bare_asgi.py)."""
    dsn = " ".join(f"{key}={value}" for key, value in socket_parts().items() if value)
    process, url = uvicorn(ROOT / ".venv", "bare_asgi:app", {"BARE_DSN": dsn}, ROOT / "bench")
    wait_for(url, process)
    return process, url


def tipg() -> tuple[subprocess.Popen, str]:
    if not (TIPG_VENV / "bin" / "uvicorn").exists():
        subprocess.run([sys.executable, "-m", "venv", str(TIPG_VENV)], check=True)
        pip = str(TIPG_VENV / "bin" / "pip")
        subprocess.run([pip, "install", "-q", "tipg", "uvicorn"], check=True)
    parts = socket_parts()
    # asyncpg takes a socket folder as a percent-encoded host.
    host = parts["host"].replace("/", "%2F")
    dsn = f"postgresql://{parts['user']}@{host}:{parts['port']}/{parts['dbname']}"
    env = {
        "DATABASE_URL": dsn,
        "TIPG_DB_SCHEMAS": '["public"]',
        "TIPG_MAX_FEATURES_PER_QUERY": "10000",
    }
    process, url = uvicorn(TIPG_VENV, "tipg.main:app", env)
    wait_for(f"{url}/collections", process)
    return process, url


@dataclass(frozen=True)
class Line:
    name: str
    ours: list[str]  # request paths, taken in turn
    theirs: list[str]


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def lines(rng: random.Random) -> list[Line]:
    with engine().connect() as conn:
        rows = conn.execute(
            text(
                """
                SELECT h.id, h.reference, ST_X(c), ST_Y(c)
                  FROM hazards h, ST_PointOnSurface(h.footprint) c
                 WHERE EXISTS (SELECT 1 FROM land_state s WHERE s.hazard_id = h.id
                                 AND s.scope = 'all' AND s.until_on IS NULL
                                 AND s.state IN ('SHA', 'CHA') AND s.known_until IS NULL)
                 ORDER BY random() LIMIT 200
                """
            )
        ).all()
    ours = "/ogc/collections/hazards"
    theirs = "/collections/public.hazards"
    result = [
        # No answer is asked for twice in a row: the pages vary (neither server keeps pages).
        Line("conformance (no query)", ["/ogc/conformance"], ["/conformance"]),
        Line(
            "items?limit=10",
            [f"{ours}/items?limit=10&offset={k}" for k in offsets(rng, 10, 200)],
            [f"{theirs}/items?limit=10&offset={k}" for k in offsets(rng, 10, 200)],
        ),
        Line(
            "items?limit=1000",
            [f"{ours}/items?limit=1000&offset={k}" for k in offsets(rng, 1000, 5)],
            [f"{theirs}/items?limit=1000&offset={k}" for k in offsets(rng, 1000, 5)],
        ),
        Line(
            "item by id",
            [f"{ours}/items/{r.reference}" for r in rows],
            [f"{theirs}/items/{r.id}" for r in rows],
        ),
    ]
    boxes = [f"{r[2] - 0.05},{r[3] - 0.05},{r[2] + 0.05},{r[3] + 0.05}" for r in rows]
    result.append(
        Line(
            "bbox (about 11 km, limit 100)",
            [f"{ours}/items?limit=100&bbox={b}" for b in boxes],
            [f"{theirs}/items?limit=100&bbox={b}" for b in boxes],
        )
    )
    for z in (6, 10, 14):
        tiles = sorted({tile_of(r[2], r[3], z) for r in rows})
        rng.shuffle(tiles)
        theirs_tiles = [
            f"/collections/public.land_state/tiles/WebMercatorQuad/{z}/{x}/{y}" for x, y in tiles
        ]
        ours_tiles = [f"/ogc/collections/land/tiles/WebMercatorQuad/{z}/{y}/{x}" for x, y in tiles]
        # Built anew: each request asks for another date, so no kept tile can answer it
        # (each measure starts at another place of the list: a round does not ask again
        # for the tiles of the one before, kept by then).
        days = [f"2010-01-01+{rng.randint(0, 5800)}" for _ in range(20_000)]
        cold = [
            f"{ours_tiles[i % len(ours_tiles)]}?datetime={_day(day)}" for i, day in enumerate(days)
        ]
        result.append(Line(f"tile z{z}, built", cold, theirs_tiles))
        result.append(Line(f"tile z{z}, kept (land unchanged)", ours_tiles, theirs_tiles))
    return result


def offsets(rng: random.Random, limit: int, pages: int) -> list[int]:
    """The offsets of the first ``pages`` pages of ``limit`` features, shuffled."""
    found = [k * limit for k in range(pages)]
    rng.shuffle(found)
    return found


def _from_anywhere(paths: list[str], rng: random.Random) -> list[str]:
    """``paths`` in the same order, from a place chosen at random."""
    start = rng.randrange(len(paths))
    return paths[start:] + paths[:start]


def _day(spec: str) -> str:
    start, _, days = spec.partition("+")
    return (date.fromisoformat(start) + timedelta(days=int(days))).isoformat()


def _span(values: list[float], decimals: int) -> str:
    low, high = min(values), max(values)
    return f"{low:.{decimals}f}–{high:.{decimals}f}" if len(values) > 1 else f"{low:.{decimals}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hazards", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=2, help="alternated rounds per request")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--only", action="append", default=[])
    args = parser.parse_args()
    started = time.perf_counter()
    token = reuse() if args.reuse else None
    if token is None:
        token = load(args.hazards)
        print(f"loaded {args.hazards} hazards in {time.perf_counter() - started:.0f} s")
    servers: list[subprocess.Popen] = []
    auth = {"Authorization": f"Bearer {token}"}
    try:
        urls = []
        for start in (ours, tipg, bare):
            process, url = start()
            servers.append(process)
            urls.append(url)
        our_url, their_url, floor_url = urls
        measure = (args.clients, args.seconds)
        hello = asyncio.run(rate(floor_url, ["/"], *measure, {}))
        print(f"floor: a bare ASGI application on the same stack, {hello:.0f} r/s")
        listed = lines(random.Random(7))
        shuffle = random.Random(8)
        by_id = next(line for line in listed if line.name == "item by id")
        floor_items = [f"/item/{path.rsplit('/', 1)[1]}" for path in by_id.ours]
        asyncio.run(rate(floor_url, floor_items[:3], 1, 1.0, {}))
        floor_item = asyncio.run(rate(floor_url, floor_items, *measure, {}))
        print(
            f"floor: the same, one indexed query per request (async psycopg), {floor_item:.0f} r/s"
        )
        print(f"{'request':32} {'ours r/s':>13} {'tipg r/s':>13} {'ratio':>11}")
        for line in listed:
            if args.only and not any(text in line.name for text in args.only):
                continue
            asyncio.run(rate(our_url, line.ours[:3], 1, 1.0, auth))  # warm both up
            asyncio.run(rate(their_url, line.theirs[:3], 1, 1.0, {}))
            mine, other = [], []
            for round_ in range(args.rounds):
                # Rounds alternate who goes first: a load of the machine that comes and
                # goes falls on both.
                for who in (0, 1) if round_ % 2 == 0 else (1, 0):
                    if who == 0:
                        paths = _from_anywhere(line.ours, shuffle)
                        mine.append(asyncio.run(rate(our_url, paths, *measure, auth)))
                    else:
                        paths = _from_anywhere(line.theirs, shuffle)
                        other.append(asyncio.run(rate(their_url, paths, *measure, {})))
            ratios = sorted(m / o for m, o in zip(mine, other, strict=True))
            print(
                f"{line.name:32} {_span(mine, 0):>13} {_span(other, 0):>13} {_span(ratios, 2):>11}"
            )
    finally:
        for process in servers:
            process.terminate()


if __name__ == "__main__":
    main()
