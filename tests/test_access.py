"""Who may do what: every endpoint against every kind of caller, own and other organisation."""

from __future__ import annotations

import pytest

from tests.support.shapes import hazard_feature, rect

CALLERS = ("anonymous", "operator", "other_operator", "analyst", "authority", "admin")


def _hazard(reference: str, x: float) -> dict:
    return hazard_feature(
        rect(x, 0, x + 200, 200),
        reference=reference,
        hazard_class="SHA",
        contamination="CMR",
        recorded_on="2014-01-01",
    )


def _event(x: float, kind: str = "cancel") -> dict:
    return hazard_feature(rect(x, 0, x + 50, 200), kind=kind, date="2015-01-01")


@pytest.fixture
def world(call) -> dict:
    """An approved hazard with an event, and a hazard submitted by the operator (pending)."""
    authority, operator = call("authority"), call("operator")
    assert authority.post("/api/v1/hazards", json=_hazard("OFFICIAL", 0)).status_code == 201
    event = authority.post("/api/v1/hazards/OFFICIAL/events", json=_event(0))
    assert event.status_code == 201
    pending = operator.post("/api/v1/hazards", json=_hazard("NPA-1", 1000))
    assert pending.status_code == 201 and pending.json()["properties"]["status"] == "pending"
    return {"event": event.json()["id"]}


# (name, method, path, body, {caller: expected status}); {n} stands for a fresh number.
ALL_OK = dict.fromkeys(CALLERS, 200)
SIGNED_IN = {**ALL_OK, "anonymous": 401}
AUTHORITY = {
    "anonymous": 401,
    "operator": 403,
    "other_operator": 403,
    "analyst": 403,
    "authority": 200,
    "admin": 200,
}
MATRIX = [
    ("health", "GET", "/health", None, ALL_OK),
    ("totals", "GET", "/api/v1/totals", None, ALL_OK),
    ("land release", "GET", "/api/v1/land-release?from=2010-01-01", None, ALL_OK),
    ("totals with pending", "GET", "/api/v1/totals?include_pending=true", None, AUTHORITY),
    ("list hazards", "GET", "/api/v1/hazards", None, SIGNED_IN),
    ("approved hazard", "GET", "/api/v1/hazards/OFFICIAL", None, SIGNED_IN),
    ("its timeline", "GET", "/api/v1/hazards/OFFICIAL/events", None, SIGNED_IN),
    ("an event", "GET", "/api/v1/events/{event}", None, SIGNED_IN),
    (
        "pending hazard of the operator",
        "GET",
        "/api/v1/hazards/NPA-1",
        None,
        {**SIGNED_IN, "other_operator": 404},
    ),
    (
        "timeline of a pending hazard",
        "GET",
        "/api/v1/hazards/NPA-1/events",
        None,
        {**SIGNED_IN, "other_operator": 404},
    ),
    (
        "record a hazard",
        "POST",
        "/api/v1/hazards",
        _hazard("NEW-{n}", 5000),
        {**dict.fromkeys(CALLERS, 201), "anonymous": 401, "analyst": 403},
    ),
    (
        "record an event on an approved hazard",
        "POST",
        "/api/v1/hazards/OFFICIAL/events",
        _event(100),
        {**dict.fromkeys(CALLERS, 201), "anonymous": 401, "analyst": 403},
    ),
    (
        "record an event on the operator's pending hazard",
        "POST",
        "/api/v1/hazards/NPA-1/events",
        _event(1100),
        {
            "anonymous": 401,
            "operator": 201,
            "other_operator": 404,
            "analyst": 403,
            "authority": 409,
            "admin": 409,
        },
    ),
    ("void an event", "POST", "/api/v1/events/{event}/void", {"reason": "duplicate"}, AUTHORITY),
    ("review queue", "GET", "/api/v1/review", None, AUTHORITY),
    ("approve a submission", "POST", "/api/v1/review/hazards/NPA-1/approve", None, AUTHORITY),
    (
        "reject a submission",
        "POST",
        "/api/v1/review/hazards/NPA-1/reject",
        {"reason": "outside the country"},
        AUTHORITY,
    ),
    ("audit log", "GET", "/api/v1/audit", None, AUTHORITY),
]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [row[1:] for row in MATRIX],
    ids=[row[0] for row in MATRIX],
)
def test_permission_matrix(call, world, caller, method, path, body, expected) -> None:
    path = path.format(event=world["event"], n=caller)
    if isinstance(body, dict) and body.get("type") == "Feature":
        body = {
            **body,
            "properties": {
                k: v.format(n=caller) if isinstance(v, str) else v
                for k, v in body["properties"].items()
            },
        }
    response = call(caller).request(method, path, json=body)
    assert response.status_code == expected[caller], response.text
    if response.status_code == 401:
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header", ["Bearer lr_not-a-token", "Bearer", "Basic YWRtaW46YWRtaW4=", "lr_token"]
)
def test_a_bad_token_is_refused_everywhere(server_url, tokens, header) -> None:
    import httpx

    for path in ("/api/v1/totals", "/api/v1/hazards"):
        response = httpx.get(server_url + path, headers={"Authorization": header})
        assert response.status_code == 401, (path, response.text)


def test_anonymous_callers_never_see_uncleared_land(call, world) -> None:
    anonymous = call("anonymous")
    for path in (
        "/api/v1/hazards",
        "/api/v1/hazards/OFFICIAL",
        f"/api/v1/events/{world['event']}",
        "/api/v1/review",
    ):
        response = anonymous.get(path)
        assert response.status_code == 401
        assert "coordinates" not in response.text and "OFFICIAL" not in response.text
    totals = anonymous.get("/api/v1/totals").json()
    assert totals["remaining_m2"] > 0 and "coordinates" not in str(totals)


def test_operators_do_not_see_other_organisations_pending_work(call, world) -> None:
    own = call("operator").get("/api/v1/hazards").json()
    other = call("other_operator").get("/api/v1/hazards").json()
    assert {f["id"] for f in own["features"]} == {"OFFICIAL", "NPA-1"}
    assert {f["id"] for f in other["features"]} == {"OFFICIAL"}
    pending = next(f for f in own["features"] if f["id"] == "NPA-1")
    assert pending["properties"]["status"] == "pending"
    # The other organisation cannot record on it either, nor learn that it exists.
    response = call("other_operator").post("/api/v1/hazards/NPA-1/events", json=_event(1100))
    assert response.status_code == 404


def test_revoked_and_expired_tokens_stop_working(call, tokens, server_url) -> None:
    import httpx
    from sqlalchemy import text

    from app.db import engine, owner_engine
    from app.services.accounts import create_token, revoke_token, token_id_of

    headers = {"Authorization": f"Bearer {tokens['analyst']}"}
    assert httpx.get(server_url + "/api/v1/hazards", headers=headers).status_code == 200
    with engine().begin() as conn:
        revoke_token(conn, token_id_of(conn, tokens["analyst"]))
    assert httpx.get(server_url + "/api/v1/hazards", headers=headers).status_code == 401
    with engine().begin() as conn:
        short = create_token(conn, "anna", valid_days=1)
    with owner_engine().begin() as conn:  # time passes: only the owner may move it
        conn.execute(
            text("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = :id"),
            {"id": short.id},
        )
    expired = {"Authorization": f"Bearer {short.token}"}
    assert httpx.get(server_url + "/api/v1/hazards", headers=expired).status_code == 401
