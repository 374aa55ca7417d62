#!/bin/sh
# Container start: migrate the database named by DATABASE_URL, optionally load the demo data
# and its regions into an empty database, then serve.
set -eu
: "${DATABASE_URL:?set DATABASE_URL to the PostGIS database}"
alembic upgrade head
python -m app bootstrap-admin --token-file /tmp/admin-token
if [ "${LOAD_DEMO:-0}" = "1" ]; then
  # The demo's regions come with the demo only.
  python -m app load-regions geodata/regions/lao-regions.geojson --if-empty
  python -m app load-demo --if-empty
fi
exec python -m app serve --host "${HOST:-0.0.0.0}" --port "${PORT:-8000}" --workers "${WORKERS:-2}"
