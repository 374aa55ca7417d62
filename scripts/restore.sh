#!/usr/bin/env bash
# Restore a dump of scripts/backup.sh into a new database (docs/operations.md, Backups):
#
#   scripts/restore.sh FILE [DATABASE]   checks FILE against FILE.sha256, makes the database
#                                        DATABASE (landrelease_restored_<UTC time> by default)
#                                        in the private cluster, restores into it as the owner
#                                        role, gives the service role its rights, and prints
#                                        the new database's DATABASE_URL
#
# With RESTORE_DATABASE_URL set (an empty PostGIS database, as its owner role) the dump goes
# there instead: making a database with PostGIS needs a superuser, which the operator is.
# The database the service runs on is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
file="${1:?usage: scripts/restore.sh FILE [DATABASE]}"
[ -f "$file.sha256" ] || { echo "no checksum $file.sha256 beside the dump" >&2; exit 1; }
(cd "$(dirname "$file")" && sha256sum --check --quiet "$(basename "$file").sha256") || {
  echo "$file does not match its checksum: not restored" >&2
  exit 1
}
if [ -n "${RESTORE_DATABASE_URL:-}" ]; then
  owner_url="$RESTORE_DATABASE_URL"
  service_url="${RESTORE_SERVICE_DATABASE_URL:-}"
  bindir=""
else
  target="${2:-landrelease_restored_$(date -u +%Y%m%d%H%M%S)}"
  service_url="$(env -u DATABASE_URL DB_NAME="$target" scripts/pg.sh ensure)"
  owner_url="$(env -u DATABASE_URL -u OWNER_DATABASE_URL DB_NAME="$target" scripts/pg.sh owner-url)"
  bindir="$(scripts/pg.sh bindir)/"
fi
psql=("${bindir}psql" -X -q -v ON_ERROR_STOP=1 -d "${owner_url/+psycopg/}")
tables="$("${psql[@]}" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'
                              AND tablename <> 'spatial_ref_sys'")"
if [ "$tables" != "0" ]; then
  echo "the database to restore into holds tables already: give a new one" >&2
  exit 1
fi
# PostGIS (with its table of coordinate systems) and the public schema are the new
# database's own, made by a superuser: the dump's are left out, and its objects become the
# owner role's.
list="$(mktemp)"
trap 'rm -f "$list"' EXIT
"${bindir}pg_restore" --list "$file" |
  grep -v -E ' (EXTENSION|SCHEMA) - | COMMENT - (EXTENSION|SCHEMA) | spatial_ref_sys ' >"$list"
"${bindir}pg_restore" --no-owner --no-privileges --exit-on-error --use-list="$list" \
  --dbname="${owner_url/+psycopg/}" "$file"
if [ -n "$service_url" ]; then
  DATABASE_URL="$service_url" OWNER_DATABASE_URL="$owner_url" "${PYTHON:-.venv/bin/python}" \
    -m app db grant >&2
  echo "$service_url"
else
  echo "restored; give the service role its rights: python -m app db grant" >&2
fi
