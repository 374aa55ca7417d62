"""Speed of imports against ogr2ogr loading the same file into a plain table, in one run.

    scripts/bench.sh import [--hazards 100000] [--events 10000]

Writes a zipped shapefile of --hazards realistic hazard polygons in UTM zone 48N (the demo
generator's spread over Lao PDR), loads it with `ogr2ogr -f PostgreSQL` into a plain table of
the same database (the reference), then imports it with the system (validated, reprojected,
areas computed, cut along the provinces and survey sectors, ledger updated) into an empty
ledger, and prints both times and their ratio.

It then measures two floors. The database floor: the time PostgreSQL alone takes to store
the rows that import wrote (hazard records, land-state rows, audit entries) in tables with
the ledger's indexes and checks, copied server-side with no client work at all. The client
floor: the time the import's own reading takes with no database at all (every feature read,
reprojected, checked, densified along its geodesic edges and measured, as the import does
ahead of recording). No import can be faster than the larger of the two without storing or
checking less.

Last, it imports --events clearance polygons against those hazards and prints facts per
second. Needs `ogr2ogr` (Debian: gdal-bin).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import pyogrio.raw  # noqa: E402
from common import fresh_schema, pg_connection_string, timed  # noqa: E402
from generate_demo_data import generate  # noqa: E402

from app.__main__ import main as cli  # noqa: E402
from app.db import engine  # noqa: E402
from app.formats.features import FieldMap  # noqa: E402
from app.formats.read import open_layer  # noqa: E402
from app.formats.unpack import Limits, unpack  # noqa: E402
from app.services.cycles import collector_paused  # noqa: E402
from app.services.importing import ImportOptions, prepared_batches, run_import  # noqa: E402
from app.settings import ledger_settings  # noqa: E402


def write_zipped_shapefile(folder: Path, name: str, geometries: list, records: list[dict]) -> Path:
    shp = folder / name
    shp.mkdir()
    fields = list(records[0])
    pyogrio.raw.write(
        shp / f"{name}.shp",
        shapely.to_wkb(np.array(geometries, dtype=object)),
        [np.array([r[f] for r in records], dtype=object) for f in fields],
        fields,
        driver="ESRI Shapefile",
        crs="EPSG:32648",
        geometry_type="Polygon",
    )
    archive = shutil.make_archive(str(folder / name), "zip", shp)
    return Path(archive)


FLOOR_TABLES = ("hazards", "land_state", "audit_log")


def database_floor() -> float:
    """Seconds PostgreSQL takes to store again, server-side, the rows an import wrote: into
    empty tables with the same columns, checks and indexes (foreign keys left out)."""
    with engine().begin() as conn:
        for table in FLOOR_TABLES:
            conn.execute(text(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING ALL)"))
    seconds = 0.0
    with engine().begin() as conn:
        for table in FLOOR_TABLES:
            started = time.perf_counter()
            conn.execute(
                text(f"INSERT INTO floor_{table} OVERRIDING SYSTEM VALUE SELECT * FROM {table}")
            )
            seconds += time.perf_counter() - started
        for table in FLOOR_TABLES:
            conn.execute(text(f"DROP TABLE floor_{table}"))
    return seconds


def client_floor(archive: Path, limits: Limits) -> float:
    """Seconds the import's reading and checking of ``archive`` take, with no database."""
    with tempfile.TemporaryDirectory(prefix="landrelease-bench-") as workdir:
        copy = Path(workdir) / "upload"
        shutil.copyfile(archive, copy)
        unpacked = unpack(copy, archive.name, Path(workdir), limits)
        layer = open_layer(unpacked.path, archive.name, None, None)
        fields = FieldMap.build("hazards", layer.fields, {})
        options = ImportOptions(target="hazards")
        with collector_paused():  # as during an import
            return timed(lambda: sum(len(b) for b in prepared_batches(layer, fields, options)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hazards", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if shutil.which("ogr2ogr") is None:
        sys.exit("ogr2ogr is needed for the reference: apt-get install gdal-bin")

    hazards = list(generate(args.hazards, args.seed))
    folder = Path(tempfile.mkdtemp(prefix="landrelease-bench-"))
    try:
        hazard_zip = write_zipped_shapefile(
            folder,
            "hazards",
            [h.utm for h in hazards],
            [
                {
                    "reference": h.reference,
                    "haz_class": h.hazard_class,
                    "contam": h.contamination,
                    "recorded": h.recorded_on.isoformat(),
                }
                for h in hazards
            ],
        )
        clearance = [
            (h, e)
            for h in hazards
            for e in h.events
            if e["kind"] == "clear"
            and e["utm"].geom_type in ("Polygon", "MultiPolygon")
            and e["utm"].area > 100
        ]
        clearance = clearance[: args.events]
        event_zip = write_zipped_shapefile(
            folder,
            "clearance",
            [e["utm"] for _, e in clearance],
            [
                {"hazard": h.reference, "kind": "clear", "date": e["date"].isoformat()}
                for h, e in clearance
            ],
        )
        fresh_schema()
        cli(["load-regions", str(ROOT / "geodata" / "regions" / "lao-regions.geojson")])

        reference = timed(
            lambda: subprocess.run(
                [
                    "ogr2ogr",
                    "-f",
                    "PostgreSQL",
                    pg_connection_string(),
                    f"/vsizip/{hazard_zip}",
                    "-nln",
                    "ogr2ogr_reference",
                    "-overwrite",
                    "-lco",
                    "GEOMETRY_NAME=geom",
                ],
                check=True,
            )
        )
        limits = Limits(10_000, 1 << 34)
        options = ImportOptions(target="hazards")
        with engine().begin() as conn:
            copy = folder / "upload-hazards"
            shutil.copyfile(hazard_zip, copy)
            ours = timed(
                lambda: run_import(conn, copy, hazard_zip.name, options, ledger_settings(), limits)
            )
        floor = database_floor()
        reading = client_floor(hazard_zip, limits)
        with engine().begin() as conn:
            copy = folder / "upload-events"
            shutil.copyfile(event_zip, copy)
            events_s = timed(
                lambda: run_import(
                    conn,
                    copy,
                    event_zip.name,
                    ImportOptions(target="events", on_error="skip"),
                    ledger_settings(),
                    limits,
                )
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(f"{'measure':<58}{'seconds':>10}{'ratio':>8}")
    print(
        f"{'ogr2ogr -f PostgreSQL, ' + str(args.hazards) + ' polygons (reference)':<58}"
        f"{reference:>10.1f}{1:>8.2f}"
    )
    print(
        f"{'import of the same zipped shapefile into the ledger':<58}{ours:>10.1f}"
        f"{ours / reference:>8.2f}"
    )
    print(
        f"{'database floor: storing the rows of that import, server-side':<58}{floor:>10.1f}"
        f"{floor / reference:>8.2f}"
    )
    print(
        f"{'client floor: reading and checking that file, no database':<58}{reading:>10.1f}"
        f"{reading / reference:>8.2f}"
    )
    print(
        f"clearance polygons imported against them: {len(clearance)} in {events_s:.1f} s "
        f"({len(clearance) / events_s:.0f} facts/s)"
    )


if __name__ == "__main__":
    main()
