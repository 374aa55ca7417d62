"""How long the data-quality checks take on a generated programme (the demo's generator).

    scripts/bench.sh quality [--hazards 3000] [--repeat 3]

Loads the demo regions and --hazards hazardous areas with their events (3 000: the demo
data set's size and seed) into the bench database, then times each check and the whole list
(the median of --repeat runs), beside a reference query in the same minute: a count of the
pairs of hazards whose bounding boxes meet (the GiST index alone).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date

from common import ROOT, fresh_schema
from sqlalchemy import text

sys.path.insert(0, str(ROOT / "scripts"))

from generate_demo_data import features, generate

from app.db import engine
from app.quality.rules import Check
from app.services import data_quality
from app.services.bulk_load import load_features
from app.services.regions import load_regions, read_regions
from app.storage.ledger_rule import lock_ledger

BOXES_MEET = """
    SELECT count(*) FROM hazards a JOIN hazards b ON a.footprint && b.footprint AND a.seq < b.seq
"""


def load(hazards: int) -> None:
    fresh_schema()
    hazard_features, event_features = features(list(generate(hazards, 20100801)))
    with engine().begin() as conn:
        regions = read_regions(ROOT / "geodata/regions/lao-regions.geojson")
        load_regions(conn, regions, "lao-regions.geojson", lock_ledger(conn))
        load_features(conn, hazard_features["features"], event_features["features"])
        conn.execute(text("ANALYZE"))


def seconds(call, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hazards", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    load(args.hazards)
    print(f"loaded {args.hazards} hazards in {time.perf_counter() - started:.0f} s")
    today = date.today()
    with engine().connect() as conn:
        reference = seconds(lambda: conn.execute(text(BOXES_MEET)).scalar(), args.repeat)
        print(f"{'reference: boxes that meet':32} {reference:8.3f} s")
        for check in Check:
            found: list = []

            def run(check: Check = check, found: list = found) -> None:
                found[:] = data_quality.findings(conn, today, [check]).entries[check]

            took = seconds(run, args.repeat)
            print(f"{check.value:32} {took:8.3f} s {len(found):7d} entries")
        whole = seconds(lambda: data_quality.findings(conn, today), args.repeat)
        print(f"{'the whole list':32} {whole:8.3f} s ({whole / reference:.0f} x the reference)")


if __name__ == "__main__":
    main()
