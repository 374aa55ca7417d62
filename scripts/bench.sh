#!/usr/bin/env bash
# Run a benchmark of bench/ against its own database of the private cluster.
#   scripts/bench.sh ledger [options of bench/bench_ledger.py]
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:-ledger}"
shift || true
unset DATABASE_URL
export DATABASE_URL="$(DB_NAME=landrelease_bench scripts/pg.sh ensure)"
exec .venv/bin/python "bench/bench_$name.py" "$@"
