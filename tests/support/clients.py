"""The real clients that the browser and GIS-client tests drive, installed from Debian's
packages by the first test that needs them (scripts/install_clients.sh), so that the other
tests need nothing installed.

Where they cannot be installed (not root and no sudo without a password, no apt-get, no
package registry), those tests are skipped with the reason; under CI (CI=true) they fail
instead, since CI must run them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

INSTALLER = Path(__file__).resolve().parents[2] / "scripts" / "install_clients.sh"


@dataclass(frozen=True)
class Clients:
    what: str
    packages: tuple[str, ...]
    executable: str  # present once the packages are installed


BROWSER = Clients("the browser tests", ("chromium",), "/usr/bin/chromium")
# Java for ODK Validate (bundled with pyxform), which checks the phone forms as Collect parses them.
JAVA = Clients("the ODK Validate tests", ("default-jre-headless",), "/usr/bin/java")
# A QR code reader, to read back the code the Phones page draws as a phone's camera would.
QR_READER = Clients("the QR code check", ("zbar-tools",), "/usr/bin/zbarimg")
GIS_CLIENTS = Clients(
    "the GIS-client tests", ("gdal-bin", "python3-qgis", "qgis-providers"), "/usr/bin/ogr2ogr"
)


def ensure_installed(clients: Clients) -> None:
    missing = [p for p in clients.packages if not _installed(p)]
    if not missing:
        return
    by_hand = f"apt-get install --no-install-recommends {' '.join(missing)}"
    if shutil.which("apt-get") is None or shutil.which("dpkg-query") is None:
        cannot_run(clients, f"they need the Debian packages {', '.join(missing)}: {by_hand}")
    if os.geteuid() != 0 and not _sudo_without_password():
        cannot_run(clients, f"they need the Debian packages {', '.join(missing)}: sudo {by_hand}")
    done = subprocess.run(
        [str(INSTALLER), *missing], capture_output=True, text=True, timeout=1800, check=False
    )
    if done.returncode != 0 or not Path(clients.executable).exists():
        cannot_run(
            clients,
            f"installing {', '.join(missing)} failed ({by_hand} by hand):\n"
            f"{done.stdout[-2000:]}{done.stderr[-2000:]}",
        )


def _installed(package: str) -> bool:
    if shutil.which("dpkg-query") is None:
        return False
    status = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
    )
    return status.returncode == 0 and "install ok installed" in status.stdout


def _sudo_without_password() -> bool:
    return (
        shutil.which("sudo") is not None
        and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0
    )


def cannot_run(clients: Clients, reason: str) -> None:
    """Skip the test, or fail it under CI, which must run it."""
    message = f"{clients.what} cannot run: {reason}"
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
