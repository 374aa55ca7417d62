#!/usr/bin/env bash
# A consistent dump of the service's database and its checksum (docs/operations.md, Backups):
#
#   scripts/backup.sh [FOLDER]   FOLDER/landrelease-<UTC time>.dump (pg_dump's custom format)
#                                and .dump.sha256 beside it; FOLDER is backups/ by default
#
# pg_dump reads the whole database in one snapshot: the dump is consistent whatever the
# service writes meanwhile. It reads as the owner role (OWNER_DATABASE_URL), which may read
# every table; the private cluster's when DATABASE_URL is not set. A dump is written under a
# temporary name and named only once complete.
set -euo pipefail
cd "$(dirname "$0")/.."
folder="${1:-${BACKUP_DIR:-backups}}"
if [ -z "${DATABASE_URL:-}" ]; then
  scripts/pg.sh ensure >/dev/null
  url="$(scripts/pg.sh owner-url)"
  pg_dump="$(scripts/pg.sh bindir)/pg_dump"
else
  url="${OWNER_DATABASE_URL:-$DATABASE_URL}"
  pg_dump="${PG_DUMP:-pg_dump}"
fi
mkdir -p "$folder"
name="landrelease-$(date -u +%Y%m%dT%H%M%SZ).dump"
"$pg_dump" --format=custom --file="$folder/.$name.partial" "${url/+psycopg/}"
mv "$folder/.$name.partial" "$folder/$name"
(cd "$folder" && sha256sum "$name" >"$name.sha256")
echo "$folder/$name"
