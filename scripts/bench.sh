#!/usr/bin/env bash
# Run a benchmark of bench/ against its own database of the private cluster.
#   scripts/bench.sh ledger [options of bench/bench_ledger.py]
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:-ledger}"
shift || true
unset DATABASE_URL OWNER_DATABASE_URL
DB_NAME=landrelease_bench scripts/pg.sh ensure >/dev/null
# A benchmark makes its schema anew and writes tables of its own (reference loads): it runs
# as the owner role, the service it starts too.
export DATABASE_URL="$(DB_NAME=landrelease_bench scripts/pg.sh owner-url)"
exec .venv/bin/python "bench/bench_$name.py" "$@"
