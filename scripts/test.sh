#!/usr/bin/env bash
# Run the whole test suite against a real PostGIS (the private cluster unless DATABASE_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."
# The browser and GIS-client tests install those clients themselves on first use.
# The tests connect as the service role; the owner role migrates and empties the database.
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  export DATABASE_URL="$TEST_DATABASE_URL"
  export OWNER_DATABASE_URL="${TEST_OWNER_DATABASE_URL:-$TEST_DATABASE_URL}"
else
  unset DATABASE_URL OWNER_DATABASE_URL
  service_url="$(DB_NAME=landrelease_test scripts/pg.sh ensure)"
  export OWNER_DATABASE_URL="$(DB_NAME=landrelease_test scripts/pg.sh owner-url)"
  export DATABASE_URL="$service_url"
fi
exec .venv/bin/python -m pytest "$@"
