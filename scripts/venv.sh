#!/usr/bin/env bash
# Create the virtual environment and install the package with its test tools.
set -euo pipefail
VENV="${1:-.venv}"
PYTHON_BIN="${PYTHON:-python3}"
if ! "$PYTHON_BIN" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
  echo "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON_BIN" -m venv "$VENV" || {
    echo "Could not create a virtual environment: install python3-venv (apt-get install python3-venv)." >&2
    exit 1
  }
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e ".[dev]"
