#!/bin/sh
# First start of the PostGIS container of compose.yaml (run from /docker-entrypoint-initdb.d,
# after the image has made the database and PostGIS): the owner and service roles of
# scripts/db-roles.sql, with the passwords compose gives, and the database handed to the owner.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner="$LANDRELEASE_OWNER_ROLE" -v service="$LANDRELEASE_SERVICE_ROLE" \
  -v owner_password="$LANDRELEASE_OWNER_PASSWORD" \
  -v service_password="$LANDRELEASE_SERVICE_PASSWORD" \
  -v database="$POSTGRES_DB" -f /landrelease/db-roles.sql
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner="$LANDRELEASE_OWNER_ROLE" -f /landrelease/db-adopt.sql
