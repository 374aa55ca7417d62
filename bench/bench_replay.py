"""The replay of a whole ledger, timed, and every land-state row it would write, kept to
compare: a change to the replay must write the same rows, bit for bit.

    scripts/bench.sh replay [--database NAME] [--threads N] [--save FILE] [--compare FILE]
                          [--profile FILE.prof]

Reads the facts in force and the regions of a database (the bench database by default, or
another of the private cluster: ``--database landrelease`` holds the demo after ``make run``),
replays them from scratch under the configured tolerance as ``rebuild_all`` does, and prints
the time and CPU per fact. ``--save`` writes one line per row (scope, region, stint, area and
absorbed amount as the exact hexadecimal form of their floats, a hash of the geometry's WKB);
``--compare`` checks the rows against such a file, in any order, and exits with status 1 at
the first difference. Run it with the code before a change and after it.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import shapely
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.ledger.pieces import Piece  # noqa: E402
from app.services import land_rebuild, ordered_threads  # noqa: E402
from app.storage import regions as regions_store  # noqa: E402
from app.storage.facts import active_facts  # noqa: E402


def row_lines(scoped: Iterator[tuple[str, Piece]]) -> Iterator[str]:
    """One line per land-state row, as ``copy_pieces`` would write it."""
    for scope, piece in scoped:
        geometry = hashlib.sha256(shapely.to_wkb(piece.geometry)).hexdigest()[:32]
        for s in piece.stints:
            yield (
                f"{scope}|{piece.region_code}|{s.state}|{s.previous}|{s.hazard_id}|{s.since}|"
                f"{s.until}|{piece.area_m2.hex()}|{s.absorbed_m2.hex()}|{geometry}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="another database of the same cluster")
    parser.add_argument("--threads", type=int, help="replay threads (default: the cores, ≤ 4)")
    parser.add_argument("--save", type=Path)
    parser.add_argument("--compare", type=Path)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the replay here")
    args = parser.parse_args()
    url = make_url(os.environ["DATABASE_URL"])
    if args.database:
        url = url.set(database=args.database)
    with create_engine(url).connect() as conn:
        facts = active_facts(conn)
        boundaries = regions_store.boundaries(conn)
    epsilon = land_rebuild.tolerance()
    if args.threads is not None:
        ordered_threads.workers = lambda: args.threads  # type: ignore[assignment]

    profile = cProfile.Profile() if args.profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profile:
        profile.enable()
    lines = list(row_lines(land_rebuild.replayed_from_scratch(facts, boundaries, epsilon)))
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{len(facts)} facts, {len(lines)} rows, tolerance {epsilon.metres} m: "
        f"{wall:.1f} s ({len(facts) / wall:.0f} facts/s), CPU {cpu:.1f} s "
        f"({1000 * cpu / len(facts):.3f} ms per fact)"
    )
    # Compared as sets of rows: the order of the scopes of a group of several contamination
    # types follows a set's, which changes from one run to the next.
    lines.sort()
    if args.save:
        args.save.write_text("\n".join(lines) + "\n")
    if args.compare:
        expected = sorted(args.compare.read_text().splitlines())
        for number, (mine, theirs) in enumerate(zip(lines, expected, strict=False), 1):
            if mine != theirs:
                print(f"row {number} differs:\n  now  {mine}\n  then {theirs}")
                sys.exit(1)
        if len(lines) != len(expected):
            print(f"{len(lines)} rows now, {len(expected)} then")
            sys.exit(1)
        print(f"all {len(lines)} rows identical")


if __name__ == "__main__":
    main()
