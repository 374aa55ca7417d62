#!/usr/bin/env bash
# Pin every dependency, direct and transitive, with the hashes of its files, for CPython 3.11
# on Linux x86_64:
#   requirements.lock       the service (the Dockerfile)
#   requirements-dev.lock   the service and its development tools (make run, make test)
# Both also pin the build backend of pyproject.toml, so that the package itself installs
# from pinned files too (pip install --no-deps --no-build-isolation).
#
#   scripts/lock.sh              after a change of dependencies in pyproject.toml: keeps every
#                                pin that still fits
#   UPGRADE=1 scripts/lock.sh    every pin to the newest release that pyproject.toml allows
set -euo pipefail
cd "$(dirname "$0")/.."
UV="${UV:-.venv/bin/uv}"
build_requires="$(python3 -c 'import tomllib
print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))')"
options=(
  --quiet --generate-hashes --python-version 3.11 --python-platform x86_64-unknown-linux-gnu
  --custom-compile-command "make lock"
  # Extras stay in the pins: pip (--require-hashes) refuses "fonttools[woff]" met by a bare pin.
  --no-strip-extras
)
if [ "${UPGRADE:-0}" = "1" ]; then
  options+=(--upgrade)
fi
"$UV" pip compile pyproject.toml - "${options[@]}" -o requirements.lock <<<"$build_requires"
"$UV" pip compile pyproject.toml - --extra dev "${options[@]}" -o requirements-dev.lock \
  <<<"$build_requires"
echo "requirements.lock: $(grep -c '==' requirements.lock) packages;" \
  "requirements-dev.lock: $(grep -c '==' requirements-dev.lock) packages"
