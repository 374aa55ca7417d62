#!/usr/bin/env bash
# Install the real GIS clients and browser used by client tests (GDAL ogr2ogr, headless QGIS with
# the OAPIF provider, Debian Chromium for Playwright); idempotent, installs only what is missing.
set -euo pipefail
PKGS=(gdal-bin python3-qgis qgis-providers chromium)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=(); [ "$(id -u)" -eq 0 ] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "clients: ${PKGS[*]} installed (${#missing[@]} newly)"
