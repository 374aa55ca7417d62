#!/usr/bin/env bash
# Create the virtual environment from the lock file (every package pinned, with the hashes of
# its files), then install the package itself, editable, without its dependencies. A virtual
# environment made from another version of the lock is made anew, so that it holds exactly
# what the lock says.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${1:-.venv}"
LOCK="${LOCK:-requirements-dev.lock}"
PYTHON_BIN="${PYTHON:-python3}"
if ! "$PYTHON_BIN" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
  echo "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi
stamp="$VENV/.lock-sha256"
wanted="$(sha256sum "$LOCK" | cut -d' ' -f1)"
if [ -d "$VENV" ] && [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "$LOCK changed: making $VENV anew" >&2
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON_BIN" -m venv "$VENV" || {
    echo "Could not create a virtual environment: install python3-venv (apt-get install python3-venv)." >&2
    exit 1
  }
fi
"$VENV/bin/python" -m pip install --quiet --require-hashes -r "$LOCK"
# The build backend comes from the lock too.
"$VENV/bin/python" -m pip install --quiet --no-deps --no-build-isolation -e .
echo "$wanted" >"$stamp"
