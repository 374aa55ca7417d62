"""Command line: ``python -m app serve | load-demo | rebuild``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from sqlalchemy import text

DEMO = Path(__file__).resolve().parent.parent / "geodata" / "demo"


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    uvicorn.run("app.api.main:app", host=args.host, port=args.port, workers=args.workers)


def _load_demo(args: argparse.Namespace) -> None:
    from app.db import engine
    from app.services.bulk_load import load_features

    with engine().begin() as conn:
        if args.if_empty and conn.execute(text("SELECT exists (SELECT 1 FROM hazards)")).scalar():
            print("the database already holds hazards: demo data not loaded")
            return
        started = time.perf_counter()
        hazards = json.loads((args.path / "hazards.geojson").read_text())["features"]
        events = json.loads((args.path / "events.geojson").read_text())["features"]
        summary = load_features(conn, hazards, events)
    print(
        f"loaded {summary.hazards} hazards and {summary.events} events "
        f"({summary.land_rows} land-state rows) in {time.perf_counter() - started:.1f} s"
    )


def _rebuild(_: argparse.Namespace) -> None:
    from app.db import engine
    from app.services.ledger_update import rebuild_all

    with engine().begin() as conn:
        print(f"rebuilt the land state: {rebuild_all(conn)} rows")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app", description="Land release system")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the web service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(run=_serve)
    demo = commands.add_parser("load-demo", help="load the demo data set of geodata/demo")
    demo.add_argument("--path", type=Path, default=DEMO)
    demo.add_argument("--if-empty", action="store_true", help="only into an empty database")
    demo.set_defaults(run=_load_demo)
    rebuild = commands.add_parser("rebuild", help="replay every fact into the land state")
    rebuild.set_defaults(run=_rebuild)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main(sys.argv[1:])
