"""Requests bounded before they cost anything: uploads are authenticated from their headers
before a byte of their body is read, bodies stop at their limit, what a killed import left
in its temporary folder is removed at the next start, and every answer carries the security
headers."""

from __future__ import annotations

import contextlib
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from app.services.workspace import base_folder, process_folder, remove_leftovers
from tests.conftest import ROOT
from tests.support.files import hazard_rows, write_layer
from tests.support.servers import service
from tests.support.shapes import rect


def _raw_request(url: str, head: str, body_chunks, timeout: float = 10.0) -> tuple[str, int]:
    """Send ``head``, then chunks of body over a socket until the server answers or closes;
    (the status line, the bytes of body sent)."""
    parts = urlsplit(url)
    sent = 0
    answer = b""
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(head.encode())
        sock.setblocking(False)
        deadline = time.monotonic() + timeout
        done = False
        for chunk in body_chunks:
            view = memoryview(chunk)
            while view and not done:
                readable, writable, _ = select.select([sock], [sock], [], 0.5)
                if readable:
                    done = True
                elif writable:
                    try:
                        count = sock.send(view)
                    except (BrokenPipeError, ConnectionResetError):
                        done = True
                        break
                    view, sent = view[count:], sent + count
                done = done or time.monotonic() > deadline
            if done:
                break
        sock.setblocking(True)
        sock.settimeout(timeout)
        with contextlib.suppress(ConnectionResetError):
            while b"\r\n" not in answer:
                more = sock.recv(65536)
                if not more:
                    break
                answer += more
    return answer.split(b"\r\n", 1)[0].decode(), sent


def _slowly(total: int, chunk: int = 64 * 1024, pause: float = 0.0):
    yield PART
    for _ in range(total // chunk):
        if pause:
            time.sleep(pause)
        yield b"x" * chunk


# The start of a multipart form whose file part the chunks that follow fill.
PART = (
    b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="big.geojson"\r\n'
    b"Content-Type: application/octet-stream\r\n\r\n"
)


def _upload_head(url: str, length: int | None, token: str | None = None) -> str:
    host = urlsplit(url).netloc
    lines = [
        "POST /api/v1/imports HTTP/1.1",
        f"Host: {host}",
        "Content-Type: multipart/form-data; boundary=xyz",
    ]
    lines.append(f"Content-Length: {length}" if length else "Transfer-Encoding: chunked")
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return "\r\n".join(lines) + "\r\n\r\n"


def test_an_anonymous_upload_is_refused_before_its_body_is_read(server_url, tokens) -> None:
    """A 2 GiB upload announced, sent slowly: the 401 comes at once, after a few chunks."""
    head = _upload_head(server_url, 2 * 1024**3)
    status, sent = _raw_request(server_url, head, _slowly(2 * 1024**3, pause=0.01))
    assert " 401 " in status, status
    assert sent < 8 * 1024 * 1024


def test_an_upload_by_a_reader_is_refused_before_its_body_is_read(server_url, tokens) -> None:
    head = _upload_head(server_url, 2 * 1024**3, tokens["analyst"])
    status, sent = _raw_request(server_url, head, _slowly(2 * 1024**3, pause=0.01))
    assert " 403 " in status, status
    assert sent < 8 * 1024 * 1024


def test_an_upload_announced_beyond_the_limit_is_refused_unread(server_url, tokens) -> None:
    head = _upload_head(server_url, 100 * 1024**3, tokens["operator"])
    status, sent = _raw_request(server_url, head, _slowly(1024**3, pause=0.01))
    assert " 413 " in status, status
    assert sent < 8 * 1024 * 1024


@pytest.fixture
def small_limits(tokens):
    with service(IMPORT_MAX_UPLOAD_BYTES="1000000", INPUT_MAX_BODY_BYTES="65536") as url:
        yield url


def _chunked(total: int, chunk: int = 64 * 1024):
    for block in _slowly(total, chunk):
        yield f"{len(block):x}\r\n".encode() + block + b"\r\n"


def test_a_body_without_a_length_stops_at_the_limit(small_limits, tokens) -> None:
    """Sent in chunks with no length announced: reading stops at the limit (1 MB here and
    the multipart margin), not after the 512 MB sent."""
    head = _upload_head(small_limits, None, tokens["operator"])
    status, sent = _raw_request(small_limits, head, _chunked(512 * 1024**2), timeout=30)
    assert " 413 " in status, status
    assert sent < 64 * 1024**2


def test_a_json_body_has_its_own_smaller_limit(small_limits, tokens) -> None:
    answer = httpx.post(
        small_limits + "/api/v1/hazards",
        content=b"[" + b"0," * 40_000 + b"0]",
        headers={
            "Authorization": f"Bearer {tokens['authority']}",
            "Content-Type": "application/json",
        },
        timeout=30,
    )
    assert answer.status_code == 413
    assert answer.json()["code"] == "request.too_large"


def test_uploads_within_the_limits_still_work(call, tmp_path) -> None:
    path = write_layer(
        tmp_path / "ok.geojson",
        "GeoJSON",
        [rect(0, 0, 100, 100)],
        hazard_rows("OK", 1),
    )
    with path.open("rb") as f:
        answer = call("operator").post(
            "/api/v1/imports", files={"file": (path.name, f)}, data={"target": "hazards"}
        )
    assert answer.status_code == 201, answer.text


def _folders() -> set[Path]:
    base = base_folder()
    return {p for p in base.iterdir() if p.is_dir()} if base.is_dir() else set()


def test_what_a_killed_import_left_is_removed_at_the_next_start(tmp_path, tokens) -> None:
    polygons = [
        rect(300 * (i % 100), 300 * (i // 100), 300 * (i % 100) + 200, 300 * (i // 100) + 200)
        for i in range(20_000)
    ]
    records = hazard_rows("K", len(polygons))
    path = write_layer(tmp_path / "long.geojson", "GeoJSON", polygons, records)
    mine = process_folder()  # a live process's folder: never removed by another
    before = _folders()
    command = [sys.executable, "-m", "app", "import", str(path), "--target", "hazards"]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while not any(any(f.glob("landrelease-cli-*")) for f in _folders() - before):
        assert time.monotonic() < deadline, "the import never made its temporary folder"
        time.sleep(0.05)
    time.sleep(1)  # well into the import
    process.send_signal(signal.SIGKILL)  # nothing of it runs any more: no clean-up
    process.wait(60)
    left = _folders() - before
    assert left, "a killed process cannot remove its folder"
    with service():  # a new start of the service
        pass
    assert not (_folders() - before), "the leftovers are still there"
    assert mine.is_dir()
    assert remove_leftovers() == 0 and mine.is_dir()


@pytest.mark.parametrize(
    "path",
    ["/", "/docs", "/api/v1/totals", "/ogc", "/ogc/api", "/static/js/main.js", "/nowhere"],
)
def test_every_answer_carries_the_security_headers(call, path) -> None:
    answer = call("anonymous").get(path)
    assert answer.status_code in (200, 404)
    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-eval" not in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"


def test_the_documentation_page_runs_no_inline_script(call) -> None:
    page = call("anonymous").get("/docs").text
    assert "<script>" not in page and 'src="/static/js/docs.js"' in page
