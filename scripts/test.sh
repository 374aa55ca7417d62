#!/usr/bin/env bash
# Run the whole test suite against a real PostGIS (the private cluster unless DATABASE_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."
# The browser and GIS-client tests install those clients themselves on first use.
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  export DATABASE_URL="$TEST_DATABASE_URL"
else
  unset DATABASE_URL
  export DATABASE_URL="$(DB_NAME=landrelease_test scripts/pg.sh ensure)"
fi
exec .venv/bin/python -m pytest "$@"
