"""Speed of the ledger at national scale, against the naive query, in one run.

    scripts/bench.sh ledger [--hazards 100000] [--inserts 300] [--naive-limit 0]

Generates a programme of --hazards hazardous areas (about two events each, spread like the demo
data over Lao PDR), bulk-loads it into a separate database of the private cluster, then prints:
- the median time of GET /api/v1/totals and GET /api/v1/land-release for random dates, over
  real HTTP, against the naive query (area of ST_Union over all footprints), as a ratio;
- the rate of facts recorded one by one through the service (appended and back-dated).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import shapely
from shapely.geometry import MultiPolygon, box
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from common import fresh_schema, serve, timed  # noqa: E402
from generate_demo_data import features, generate  # noqa: E402

from app.db import engine, owner_engine  # noqa: E402
from app.errors import InvalidInput  # noqa: E402
from app.ledger.states import EventKind  # noqa: E402
from app.services import recording  # noqa: E402
from app.services.bulk_load import load_features  # noqa: E402
from app.settings import LedgerSettings  # noqa: E402


def random_day(rng: random.Random) -> date:
    return date(2009, 1, 1) + timedelta(days=rng.randint(0, 17 * 365))


def http_medians(url: str, rng: random.Random, rounds: int) -> tuple[float, float]:
    totals, flows = [], []
    with httpx.Client(base_url=url, timeout=120) as client:
        client.get("/api/v1/totals")  # warm the connection pool
        for _ in range(rounds):
            day = random_day(rng).isoformat()
            totals.append(timed(lambda d=day: client.get("/api/v1/totals", params={"as_of": d})))
            a, b = sorted([random_day(rng), random_day(rng)])
            params = {"from": a.isoformat(), "to": b.isoformat(), "contamination": "CMR"}
            flows.append(timed(lambda p=params: client.get("/api/v1/land-release", params=p)))
    return statistics.median(totals), statistics.median(flows)


def insert_rate(count: int, rng: random.Random, back_dated: bool) -> float:
    """Facts per second recorded one by one, each in its own transaction, as the API does."""
    settings = LedgerSettings()
    with engine().connect() as conn:
        with conn.begin():
            # Pieces of land still contaminated today, each with its hazard.
            pieces = conn.execute(
                text(
                    """
                    SELECT h.reference, ST_AsBinary(s.geom), h.recorded_on
                      FROM land_state s JOIN hazards h ON h.id = s.hazard_id
                     WHERE s.scope = 'all' AND s.state IN ('SHA', 'CHA') AND s.until_on IS NULL
                     ORDER BY random() LIMIT :n
                    """
                ),
                {"n": count * 3},
            ).all()
        done, started = 0, time.perf_counter()
        for reference, wkb, recorded_on in pieces:
            if done == count:
                break
            land = shapely.from_wkb(wkb)
            c = land.representative_point()
            part = land.intersection(box(c.x - 0.0006, c.y - 0.0006, c.x + 0.0006, c.y + 0.0006))
            if part.geom_type != "Polygon" or part.area == 0:
                continue
            on = (
                recorded_on
                + timedelta(days=rng.randint(0, (date(2025, 12, 31) - recorded_on).days))
                if back_dated
                else date(2026, 1, 15)
            )
            event = recording.NewEvent(EventKind.REDUCE, on, MultiPolygon([part]))
            try:
                with conn.begin():
                    recording.record_event(conn, reference, event, settings)
                done += 1
            except InvalidInput:
                continue  # e.g. a back-dated reduction of land confirmed only later
        return done / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hazards", type=int, default=100_000)
    parser.add_argument("--inserts", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument(
        "--naive-limit",
        type=int,
        default=0,
        help="run the naive union on this many footprints only (0: all of them)",
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    started = time.perf_counter()
    hazards, events = features(list(generate(args.hazards, args.seed, (1, 2, 3, 3, 4))))
    print(
        f"generated {len(hazards['features'])} hazards and {len(events['features'])} events "
        f"in {time.perf_counter() - started:.0f} s"
    )
    fresh_schema()
    with owner_engine().begin() as conn:  # a bulk load is a maintenance command
        load = timed(lambda: load_features(conn, hazards["features"], events["features"]))
    facts = len(hazards["features"]) + len(events["features"])
    print(f"bulk load and replay: {load:.0f} s ({facts / load:.0f} facts/s)")
    with owner_engine().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        rows = conn.execute(text("SELECT count(*) FROM land_state")).scalar_one()
    print(f"land-state rows: {rows}")

    process, url = serve()
    try:
        totals_s, flows_s = http_medians(url, rng, args.rounds)
    finally:
        process.terminate()
        process.wait()

    appended = insert_rate(args.inserts, rng, back_dated=False)
    back_dated = insert_rate(args.inserts, rng, back_dated=True)

    limit = args.naive_limit or args.hazards
    # The owner: the service role's statement timeout stops the naive query at full size.
    with owner_engine().connect() as conn:
        naive = timed(
            lambda: conn.execute(
                text(
                    "SELECT ST_Area(ST_Union(footprint)::geography) FROM "
                    "(SELECT footprint FROM hazards ORDER BY id LIMIT :n) f"
                ),
                {"n": limit},
            ).scalar_one()
        )
    print()
    print(f"{'measure':<52}{'seconds':>10}{'naive / this':>14}")
    naive_label = f"naive: area of ST_Union over {limit} footprints"
    print(f"{naive_label:<52}{naive:>10.3f}{1:>14.0f}")
    print(f"{'GET /api/v1/totals?as_of=D (median)':<52}{totals_s:>10.4f}{naive / totals_s:>14.0f}")
    print(
        f"{'GET /api/v1/land-release?from&to&CMR (median)':<52}{flows_s:>10.4f}"
        f"{naive / flows_s:>14.0f}"
    )
    print(f"facts recorded one by one: {appended:.0f}/s appended, {back_dated:.0f}/s back-dated")


if __name__ == "__main__":
    main()
