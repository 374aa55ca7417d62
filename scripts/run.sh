#!/usr/bin/env bash
# Run the service: the private PostGIS cluster (unless DATABASE_URL is set), migrations,
# the regions of geodata/regions and the demo data into an empty database (unless
# LOAD_DEMO=0), the offline basemap of the regions' area, then http://$HOST:$PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
service_url="$(scripts/pg.sh ensure)"
export OWNER_DATABASE_URL="$(scripts/pg.sh owner-url)"
export DATABASE_URL="$service_url"
# Migrations as the owner role, then the service role's rights (docs/operations.md).
.venv/bin/python -m app db migrate
.venv/bin/python -m app bootstrap-admin
if [ "${LOAD_DEMO:-1}" != "0" ]; then
  # The demo's regions come with the demo only: a programme loads its own
  # (python -m app load-regions, POST /api/v1/regions, or the Upload page).
  .venv/bin/python -m app load-regions geodata/regions/lao-regions.geojson --if-empty
  .venv/bin/python -m app load-demo --if-empty
fi
# The offline basemap (rivers, lakes, borders, places) of the loaded regions' area, once
# they are loaded: the map works without it.
scripts/basemap.sh --if-empty || echo "no basemap: the map shows the land and regions only" >&2
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
echo "serving on http://$HOST:$PORT (API documentation: http://$HOST:$PORT/docs)"
exec .venv/bin/python -m app serve --host "$HOST" --port "$PORT" --workers "${WORKERS:-1}"
