"""Article 4 deadlines, extension requests and the programme's settings."""

from __future__ import annotations

from datetime import date

import pytest

from app.treaty import deadlines

LAOS = {
    "country": "Lao People's Democratic Republic",
    "eif": "2010-08-01",
    "extensions": [
        {"meeting": "9MSP", "granted_on": "2019-09-04", "new_deadline": "2025-08-01"},
    ],
    "meetings": [
        {"name": "14MSP", "kind": "MSP", "held_on": "2026-09-14"},
        {"name": "15MSP", "kind": "MSP", "held_on": "2027-09-13"},
    ],
    "hostilities": [{"name": "border clashes", "ended_on": "2012-02-29"}],
}


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (date(2010, 8, 1), 10, date(2020, 8, 1)),
        (date(2008, 2, 29), 10, date(2018, 2, 28)),  # no 29 February in 2018
        (date(2008, 2, 29), 12, date(2020, 2, 29)),
        (date(2020, 12, 31), 5, date(2025, 12, 31)),
    ],
)
def test_anniversaries(start, years, expected) -> None:
    assert deadlines.add_years(start, years) == expected


@pytest.mark.parametrize(
    ("meeting", "due"),
    [
        (date(2026, 9, 14), date(2025, 12, 14)),
        (date(2026, 11, 30), date(2026, 2, 28)),  # 30 February does not exist
        (date(2028, 11, 30), date(2028, 2, 29)),  # a leap year
        (date(2027, 5, 31), date(2026, 8, 31)),
        (date(2027, 3, 31), date(2026, 6, 30)),
        (date(2027, 1, 15), date(2026, 4, 15)),  # across the turn of the year
    ],
)
def test_request_due_nine_months_before_the_meeting(meeting, due) -> None:
    assert deadlines.request_due(meeting) == due


def test_extension_length_and_requests() -> None:
    deadline = date(2030, 8, 1)
    assert deadlines.years_to_extend(deadline, date(2030, 8, 1)) == 0
    assert deadlines.years_to_extend(deadline, date(2030, 8, 2)) == 1
    assert deadlines.years_to_extend(deadline, date(2033, 12, 31)) == 4
    assert deadlines.requests_needed(4) == 1
    assert deadlines.requests_needed(5) == 1
    assert deadlines.requests_needed(7) == 2


def test_settings_and_their_deadlines(call) -> None:
    authority, anonymous = call("authority"), call("anonymous")
    assert anonymous.get("/api/v1/programme").status_code == 404
    response = authority.put("/api/v1/programme", json=LAOS, params={"as_of": "2024-01-01"})
    assert response.status_code == 200, response.text
    summary = anonymous.get("/api/v1/programme", params={"as_of": "2024-01-01"}).json()
    assert summary["original_deadline"] == "2020-08-01"
    assert summary["deadline_in_force"] == "2025-08-01"
    assert summary["days_left"] == (date(2025, 8, 1) - date(2024, 1, 1)).days
    assert summary["hostilities_deadlines"] == [
        {"name": "border clashes", "ended_on": "2012-02-29", "deadline": "2022-02-28"}
    ]
    assert summary["next_extension_request"] == {
        "meeting": "14MSP",
        "held_on": "2026-09-14",
        "request_due": "2025-12-14",
    }
    # Before the extension was granted, the original deadline was in force.
    before = anonymous.get("/api/v1/programme", params={"as_of": "2019-09-03"}).json()
    assert before["deadline_in_force"] == "2020-08-01"
    # After the 14MSP request date, the next meeting a request can reach is the 15MSP.
    late = anonymous.get("/api/v1/programme", params={"as_of": "2025-12-15"}).json()
    assert late["next_extension_request"]["meeting"] == "15MSP"
    log = authority.get("/api/v1/audit", params={"object_type": "programme"}).json()["entries"]
    assert [e["action"] for e in log] == ["set"]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (
            {
                "extensions": [
                    {"meeting": "9MSP", "granted_on": "2019-09-04", "new_deadline": "2025-08-02"}
                ]
            },
            "at most five years later",
        ),
        (
            {
                "extensions": [
                    {"meeting": "9MSP", "granted_on": "2019-09-04", "new_deadline": "2019-08-01"}
                ]
            },
            "must be after 2020-08-01",
        ),
        (
            {
                "extensions": [
                    {"meeting": "9MSP", "granted_on": "2019-09-04", "new_deadline": "2025-08-01"},
                    {"meeting": "8MSP", "granted_on": "2018-09-04", "new_deadline": "2030-08-01"},
                ]
            },
            "granted before the one before it",
        ),
        ({"hostilities": [{"name": "war", "ended_on": "1975-12-02"}]}, "before EIF"),
        ({"meetings": [{"name": "x", "kind": "workshop", "held_on": "2026-01-01"}]}, "MSP"),
    ],
)
def test_invalid_settings_are_refused(call, change, fragment) -> None:
    response = call("authority").put("/api/v1/programme", json={**LAOS, **change})
    assert response.status_code == 422
    assert fragment in response.text
    assert call("anonymous").get("/api/v1/programme").status_code == 404


def test_only_the_authority_changes_the_settings(call) -> None:
    assert call("anonymous").put("/api/v1/programme", json=LAOS).status_code == 401
    assert call("operator").put("/api/v1/programme", json=LAOS).status_code == 403
    assert call("analyst").put("/api/v1/programme", json=LAOS).status_code == 403
    assert call("admin").put("/api/v1/programme", json=LAOS).status_code == 200


def test_settings_as_known_at_a_past_moment(call) -> None:
    from sqlalchemy import text

    from app.db import engine

    authority = call("authority")
    authority.put("/api/v1/programme", json=LAOS)
    with engine().connect() as conn:
        moment = conn.execute(text("SELECT clock_timestamp()")).scalar_one().isoformat()
    extended = {
        **LAOS,
        "extensions": [
            *LAOS["extensions"],
            {"meeting": "12MSP", "granted_on": "2024-09-11", "new_deadline": "2030-08-01"},
        ],
    }
    authority.put("/api/v1/programme", json=extended)
    params = {"as_of": "2026-01-01"}
    assert authority.get("/api/v1/programme", params=params).json()["deadline_in_force"] == (
        "2030-08-01"
    )
    then = authority.get("/api/v1/programme", params={**params, "known_at": moment}).json()
    assert then["deadline_in_force"] == "2025-08-01"
