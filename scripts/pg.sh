#!/usr/bin/env bash
# Private PostGIS cluster for development, tests and the demo.
#
#   scripts/pg.sh ensure      install PostGIS if needed, create and start the cluster, the
#                             owner and service roles (scripts/db-roles.sql) and the database
#                             named by $DB_NAME, owned by the owner role; prints its
#                             DATABASE_URL, which connects as the service role
#   scripts/pg.sh owner-url   print the URL that connects as the owner role (migrations,
#                             maintenance commands, backups): OWNER_DATABASE_URL
#   scripts/pg.sh stop        stop the private cluster
#   scripts/pg.sh url         print the DATABASE_URL of the private cluster
#   scripts/pg.sh bindir      print the folder of the PostgreSQL programs (pg_dump...)
#
# PG_PORT chooses the port of a new cluster (54329 by default); an existing one keeps its own.
#
# When DATABASE_URL is already set, "ensure" does nothing with clusters: it is the
# caller's PostGIS (production, docker compose), and "owner-url" prints OWNER_DATABASE_URL
# (or DATABASE_URL when that is not set).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DB_NAME="${DB_NAME:-landrelease}"
# Roles of the cluster, shared by its databases (docs/operations.md, "Database roles").
OWNER_ROLE="${PG_OWNER_ROLE:-landrelease_owner}"
SERVICE_ROLE="${PG_SERVICE_ROLE:-landrelease_service}"

say() { echo "[pg] $*" >&2; }

pg_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  done
  echo ""
}

BINDIR="$(pg_bindir)"
if [ -z "$BINDIR" ]; then
  say "PostgreSQL server binaries not found: install them (Debian: apt-get install postgresql postgresql-15-postgis-3) or set DATABASE_URL to an existing PostGIS database."
  exit 1
fi
PG_MAJOR="$("$BINDIR/postgres" --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')"

# The server refuses to run as root: as root it runs as the postgres user.
if [ "$(id -u)" = "0" ]; then
  PG_USER="postgres"
  as_pg() { runuser -u "$PG_USER" -- "$@"; }
else
  PG_USER="$(id -un)"
  as_pg() { "$@"; }
fi

# The cluster lives in .pgdata/ of the checkout when the server user can reach it;
# otherwise (a checkout under a folder private to root) in /var/tmp, keyed to the path.
choose_cluster_dir() {
  if [ "$PG_USER" = "$(id -un)" ] || runuser -u "$PG_USER" -- test -x "$ROOT" 2>/dev/null; then
    echo "$ROOT/.pgdata"
  else
    echo "/var/tmp/landrelease-pg-$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)"
  fi
}

postgis_available() {
  [ -f "$("$BINDIR/pg_config" --sharedir 2>/dev/null || echo /usr/share/postgresql/$PG_MAJOR)/extension/postgis.control" ] \
    || [ -f "/usr/share/postgresql/$PG_MAJOR/extension/postgis.control" ]
}

ensure_postgis() {
  postgis_available && return
  local pkg="postgresql-$PG_MAJOR-postgis-3"
  local sudo=""
  if [ "$(id -u)" != "0" ]; then
    if sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      say "PostGIS is missing: install the Debian package $pkg (as root: apt-get install $pkg), then run this again."
      exit 1
    fi
  fi
  say "installing $pkg"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$pkg" >/dev/null
  postgis_available || { say "installing $pkg did not provide PostGIS; install it by hand."; exit 1; }
}

CLUSTER_DIR="$(choose_cluster_dir)"
DATA_DIR="$CLUSTER_DIR/data"
SOCKET_DIR="$CLUSTER_DIR"
# An existing cluster listens on the port it was made with (the last port line of its
# postgresql.conf), whatever PG_PORT says now, so that every command finds it with no
# variable set; a new one on PG_PORT (54329 by default). The service's command line reads
# it the same way (app/local_cluster.py).
MADE_WITH_PORT="$(sed -nE 's/^[[:space:]]*port[[:space:]]*=[[:space:]]*([0-9]+).*/\1/p' \
  "$DATA_DIR/postgresql.conf" 2>/dev/null | tail -n 1 || true)"
PG_PORT="${MADE_WITH_PORT:-${PG_PORT:-54329}}"

# The URL of database $1 as role $2 (the service role unless said).
cluster_url() {
  echo "postgresql+psycopg://${2:-$SERVICE_ROLE}@/$1?host=$SOCKET_DIR&port=$PG_PORT"
}

psql_admin() {
  as_pg "$BINDIR/psql" -X -q -h "$SOCKET_DIR" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 "$@"
}

start_cluster() {
  mkdir -p "$CLUSTER_DIR"
  chown "$PG_USER" "$CLUSTER_DIR"
  chmod 700 "$CLUSTER_DIR"
  if [ ! -f "$DATA_DIR/PG_VERSION" ]; then
    say "creating the private cluster in $DATA_DIR"
    as_pg "$BINDIR/initdb" -D "$DATA_DIR" -U "$PG_USER" -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$DATA_DIR/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$SOCKET_DIR'
port = $PG_PORT
shared_buffers = 512MB
work_mem = 64MB
maintenance_work_mem = 512MB
max_wal_size = 4GB
synchronous_commit = off
fsync = off
full_page_writes = off
EOF
  fi
  if ! as_pg "$BINDIR/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; then
    say "starting the private cluster"
    as_pg "$BINDIR/pg_ctl" -D "$DATA_DIR" -l "$CLUSTER_DIR/server.log" -w -t 60 start >/dev/null
  fi
}

# The SQL files are given on standard input: the server's user may not reach the checkout.
ensure_roles() {
  psql_admin -v owner="$OWNER_ROLE" -v service="$SERVICE_ROLE" -v owner_password= \
    -v service_password= -v database="$1" <"$ROOT/scripts/db-roles.sql" >/dev/null
}

ensure_database() {
  local name="$1"
  ensure_roles "$name"
  if ! psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    psql_admin -c "CREATE DATABASE \"$name\" OWNER \"$OWNER_ROLE\""
  fi
  # PostGIS is created by the superuser (the owner may not), then what an earlier version
  # created as the superuser is handed to the owner.
  PGOPTIONS="-c client_min_messages=warning" as_pg "$BINDIR/psql" -X -q -h "$SOCKET_DIR" \
    -p "$PG_PORT" -U "$PG_USER" -d "$name" -v ON_ERROR_STOP=1 \
    -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
  as_pg "$BINDIR/psql" -X -q -h "$SOCKET_DIR" -p "$PG_PORT" -U "$PG_USER" -d "$name" \
    -v owner="$OWNER_ROLE" <"$ROOT/scripts/db-adopt.sql" >/dev/null
}

case "${1:-ensure}" in
  ensure)
    if [ -n "${DATABASE_URL:-}" ]; then
      echo "$DATABASE_URL"
      exit 0
    fi
    ensure_postgis
    start_cluster
    ensure_database "$DB_NAME"
    cluster_url "$DB_NAME"
    ;;
  url)
    cluster_url "$DB_NAME"
    ;;
  owner-url)
    if [ -n "${DATABASE_URL:-}" ]; then
      echo "${OWNER_DATABASE_URL:-$DATABASE_URL}"
      exit 0
    fi
    cluster_url "$DB_NAME" "$OWNER_ROLE"
    ;;
  bindir)
    echo "$BINDIR"
    ;;
  stop)
    if [ -f "$DATA_DIR/PG_VERSION" ] && as_pg "$BINDIR/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; then
      as_pg "$BINDIR/pg_ctl" -D "$DATA_DIR" -m fast -w stop >/dev/null
      say "stopped the private cluster in $DATA_DIR"
    else
      say "the private cluster is not running"
    fi
    ;;
  *)
    echo "usage: $0 ensure|url|owner-url|bindir|stop" >&2
    exit 2
    ;;
esac
