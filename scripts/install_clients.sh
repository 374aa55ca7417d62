#!/usr/bin/env bash
# Install the real GIS clients and browser that the client tests drive (GDAL ogr2ogr, headless
# QGIS with the OAPIF provider, Debian Chromium for Playwright); idempotent, installs only what
# is missing. The tests that need them run it on first use (tests/support/clients.py) with the
# packages they need; without arguments it installs them all.
set -euo pipefail
PKGS=("$@")
if ((${#PKGS[@]} == 0)); then
  PKGS=(gdal-bin python3-qgis qgis-providers chromium)
fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=(); [ "$(id -u)" -eq 0 ] || SUDO=(sudo)
  # Wait for another install on this machine to finish rather than fail on its lock.
  APT=(apt-get -o DPkg::Lock::Timeout=600 -qq)
  "${SUDO[@]}" "${APT[@]}" update
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y --no-install-recommends \
    "${missing[@]}"
fi
echo "clients: ${PKGS[*]} installed (${#missing[@]} newly)"
