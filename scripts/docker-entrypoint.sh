#!/bin/sh
# Container start: migrate the database as the owner role (OWNER_DATABASE_URL) and give the
# service role (DATABASE_URL) its rights, optionally load the demo data into an empty
# database, then serve as the service role.
set -eu
: "${DATABASE_URL:?set DATABASE_URL to the PostGIS database, as the service role}"
: "${OWNER_DATABASE_URL:?set OWNER_DATABASE_URL to the same database, as the owner role}"
python -m app db migrate
python -m app bootstrap-admin --token-file /tmp/admin-token
if [ "${LOAD_DEMO:-0}" = "1" ]; then
  # The demo's regions come with the demo only.
  python -m app load-regions geodata/regions/lao-regions.geojson --if-empty
  python -m app load-demo --if-empty
fi
exec python -m app serve --host "${HOST:-0.0.0.0}" --port "${PORT:-8000}" --workers "${WORKERS:-2}"
