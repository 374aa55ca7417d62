"""Review of submissions: pending facts stay out of the official figures until approved."""

from __future__ import annotations

import pytest

from tests.support.reference import area_m2
from tests.support.shapes import hazard_feature, new_hazard, rect

H = rect(0, 0, 400, 300)


def _totals(client, **params):
    return client.get("/api/v1/totals", params={"as_of": "2020-01-01", **params}).json()


def test_pending_hazard_is_previewed_queued_and_counted_once_approved(call) -> None:
    authority, operator = call("authority"), call("operator")
    assert authority.post("/api/v1/hazards", json=new_hazard("OFFICIAL", H)).status_code == 201
    official = _totals(authority)
    assert official["sha_m2"] == pytest.approx(area_m2(H), rel=1e-6)

    # The operator's survey overlaps the official hazard by half.
    submitted = operator.post("/api/v1/hazards", json=new_hazard("NPA-7", rect(200, 0, 600, 300)))
    assert submitted.status_code == 201
    properties = submitted.json()["properties"]
    assert properties["status"] == "pending"
    new_land = area_m2(rect(400, 0, 600, 300))
    assert properties["discovered_m2"] == pytest.approx(new_land, rel=1e-6)

    assert _totals(authority) == official  # not official yet
    preview = _totals(authority, include_pending="true")
    assert preview["sha_m2"] == pytest.approx(official["sha_m2"] + new_land, rel=1e-9)
    assert preview["include_pending"] is True
    period = {"from": "2013-12-31", "to": "2020-01-01"}
    flows = authority.get("/api/v1/land-release", params=period).json()
    flows_preview = authority.get(
        "/api/v1/land-release", params={**period, "include_pending": "true"}
    ).json()
    assert flows_preview["discovered_m2"] == pytest.approx(
        flows["discovered_m2"] + new_land, rel=1e-9
    )
    assert abs(flows_preview["balance_error_m2"]) < 1e-6
    refused = operator.get("/api/v1/land-release", params={**period, "include_pending": "true"})
    assert refused.status_code == 403

    queue = authority.get("/api/v1/review").json()
    assert [(i["type"], i["id"]) for i in queue["items"]] == [("hazard", "NPA-7")]
    assert queue["items"][0]["would_change_m2"] == pytest.approx(new_land, rel=1e-6)
    assert queue["items"][0]["organisation"] == "NPA"

    approved = authority.post("/api/v1/review/hazards/NPA-7/approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["effect_m2"]["discovered"] == pytest.approx(new_land, rel=1e-6)
    after = _totals(authority)
    assert after["sha_m2"] == pytest.approx(preview["sha_m2"], rel=1e-9)
    assert authority.get("/api/v1/review").json()["count"] == 0
    hazard = operator.get("/api/v1/hazards/NPA-7").json()["properties"]
    assert hazard["status"] == "approved" and hazard["reviewed_by"] == "aziz"


def test_pending_events_wait_for_theirnew_hazard(call) -> None:
    authority, operator = call("authority"), call("operator")
    operator.post("/api/v1/hazards", json=new_hazard("NPA-8", H))
    event = operator.post(
        "/api/v1/hazards/NPA-8/events",
        json=hazard_feature(rect(0, 0, 100, 300), kind="clear", date="2015-03-01"),
    )
    assert event.status_code == 201, event.text
    event_id = event.json()["id"]
    assert event.json()["properties"]["status"] == "pending"
    assert event.json()["properties"]["effective_m2"] == pytest.approx(
        area_m2(rect(0, 0, 100, 300)), rel=1e-6
    )
    queue = authority.get("/api/v1/review").json()["items"]
    assert [(i["type"], i["id"]) for i in queue] == [("hazard", "NPA-8"), ("event", str(event_id))]
    early = authority.post(f"/api/v1/review/events/{event_id}/approve")
    assert early.status_code == 409 and "review it first" in early.json()["detail"]
    assert authority.post("/api/v1/review/hazards/NPA-8/approve").status_code == 200
    assert authority.post(f"/api/v1/review/events/{event_id}/approve").status_code == 200
    totals = _totals(authority)
    assert totals["sha_m2"] == pytest.approx(area_m2(rect(100, 0, 400, 300)), rel=1e-6)


def test_rejection_keeps_figures_and_gives_the_reference_back(call) -> None:
    authority, operator = call("authority"), call("operator")
    operator.post("/api/v1/hazards", json=new_hazard("NPA-9", H))
    operator.post(
        "/api/v1/hazards/NPA-9/events",
        json=hazard_feature(rect(0, 0, 100, 300), kind="cancel", date="2015-03-01"),
    )
    no_reason = authority.post("/api/v1/review/hazards/NPA-9/reject", json={"reason": " "})
    assert no_reason.status_code == 422
    rejected = authority.post(
        "/api/v1/review/hazards/NPA-9/reject", json={"reason": "surveyed in the wrong village"}
    )
    assert rejected.status_code == 200
    assert _totals(authority)["remaining_m2"] == 0
    assert authority.get("/api/v1/review").json()["count"] == 0  # its event went with it
    again = authority.post("/api/v1/review/hazards/NPA-9/approve")
    assert again.status_code == 404
    resubmitted = operator.post("/api/v1/hazards", json=new_hazard("NPA-9", rect(0, 0, 300, 300)))
    assert resubmitted.status_code == 201
    assert resubmitted.json()["properties"]["status"] == "pending"


def test_operator_work_is_official_at_once_when_the_authority_records_it(call) -> None:
    authority = call("authority")
    response = authority.post("/api/v1/hazards", json=new_hazard("AUTH-1", H))
    assert response.json()["properties"]["status"] == "approved"
    assert authority.get("/api/v1/review").json()["count"] == 0
