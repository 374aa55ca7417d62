"""Peak memory of a large import against ogr2ogr streaming the same file, in one run.

    scripts/bench.sh import_memory [--polygons 1000000] [--base 10000]

Writes a zipped shapefile of --polygons hazard polygons in UTM zone 48N: the demo generator's
--base realistic polygons, repeated on a grid of offsets (generating a million one by one
would take a quarter of an hour), each with its own reference. Loads it with
`ogr2ogr -f PostgreSQL` (the reference, which streams its input), then imports it through the
command line as a dry run (every feature read, checked, densified, measured and recorded, then
rolled back), each in a process of its own, and prints their peak resident memory, the
ratio, and the import's time. Needs `ogr2ogr` (Debian: gdal-bin).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_import import write_zipped_shapefile  # noqa: E402
from common import fresh_schema, pg_connection_string  # noqa: E402
from generate_demo_data import generate  # noqa: E402

BUDGET_MIB = 1024
SPACING_M = 40_000.0  # between copies: each copy is a new set of surveys


def tiled_shapefile(folder: Path, polygons: int, base: int) -> Path:
    hazards = list(generate(base, 17, clearance_tasks=(0,)))
    shapes = np.array([h.utm for h in hazards], dtype=object)
    copies = -(-polygons // base)
    side = int(np.ceil(np.sqrt(copies)))
    geometries: list = []
    records: list[dict] = []
    for k in range(copies):
        dx, dy = (k % side - side // 2) * SPACING_M, (k // side - side // 2) * SPACING_M
        moved = shapely.transform(shapes, lambda xy, dx=dx, dy=dy: xy + np.array([dx, dy]))
        for hazard, geometry in zip(hazards, moved, strict=True):
            if len(geometries) == polygons:
                break
            geometries.append(geometry)
            records.append(
                {
                    "reference": f"{hazard.reference}-{k}",
                    "haz_class": hazard.hazard_class,
                    "contam": hazard.contamination,
                    "recorded": hazard.recorded_on.isoformat(),
                }
            )
    return write_zipped_shapefile(folder, "hazards", geometries, records)


# Runs a command and prints its peak resident memory in KiB. A small process of its own
# starts it: a child forked from this one would count this process's memory as its own.
_MEASURE = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_mib(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Peak resident memory (MiB) and wall time (s) of a command."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:  # the command's own words, not only its exit status
        sys.exit(f"{command[0]} failed:\n{result.stderr}")
    return int(result.stdout.split()[-1]) / 1024, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polygons", type=int, default=1_000_000)
    parser.add_argument("--base", type=int, default=10_000)
    args = parser.parse_args()
    if shutil.which("ogr2ogr") is None:
        sys.exit("ogr2ogr is needed for the reference: apt-get install gdal-bin")
    folder = Path(tempfile.mkdtemp(prefix="landrelease-bench-"))
    try:
        archive = tiled_shapefile(folder, args.polygons, args.base)
        archive_mib = archive.stat().st_size >> 20
        fresh_schema()
        # The limits a service sets on one upload, raised: this file is meant to be large.
        env = {
            **os.environ,
            "IMPORT_MAX_UNPACKED_BYTES": str(16 << 30),
            "IMPORT_MAX_VERTICES": str(1 << 40),
        }
        ogr2ogr, ogr2ogr_s = peak_mib(
            [
                "ogr2ogr",
                "-f",
                "PostgreSQL",
                pg_connection_string(),
                f"/vsizip/{archive}",
                "-nln",
                "ogr2ogr_reference",
                "-overwrite",
            ],
            env,
        )
        ours, ours_s = peak_mib(
            [
                sys.executable,
                "-m",
                "app",
                "import",
                str(archive),
                "--target",
                "hazards",
                "--dry-run",
            ],
            env,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{args.polygons} polygons, zipped shapefile of {archive_mib} MiB")
    print(f"{'measure':<52}{'peak MiB':>10}{'ratio':>8}{'seconds':>10}")
    print(f"{'ogr2ogr -f PostgreSQL (reference)':<52}{ogr2ogr:>10.0f}{1:>8.2f}{ogr2ogr_s:>10.1f}")
    print(
        f"{'import, dry run, command line':<52}{ours:>10.0f}{ours / ogr2ogr:>8.2f}{ours_s:>10.1f}"
    )
    verdict = "within" if ours < BUDGET_MIB else "OVER"
    print(f"budget {BUDGET_MIB} MiB: the import is {verdict} it")


if __name__ == "__main__":
    main()
