"""Both treaties' deadlines, extension requests and the programme's settings: CCM Article 4
and APMBC Article 5, the date arithmetic (leap days, extensions, the meetings' due dates), the
settings' form that held the CCM alone, and the API."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import InvalidInput, NotFound
from app.ledger.states import Contamination
from app.treaty import deadlines
from app.treaty.programme import Programme
from app.treaty.treaties import APMBC, CCM, RULES, Treaty

# The CCM settings in the form that held the CCM alone.
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
APMBC_SETTINGS = {
    "eif": "2008-02-29",  # a leap day: the anniversaries fall on 28 February
    "extensions": [
        # Article 5.3: up to ten years at a time.
        {"meeting": "17MSP", "granted_on": "2018-11-30", "new_deadline": "2028-02-28"},
    ],
    "meetings": [
        {"name": "27MSP", "kind": "MSP", "held_on": "2027-11-30"},
        {"name": "Seventh Review Conference", "kind": "Review Conference", "held_on": "2029-11-26"},
    ],
}
BOTH = {
    "country": "Bothland",
    "treaties": {
        "CCM": {key: LAOS[key] for key in ("eif", "extensions", "meetings", "hostilities")},
        "APMBC": APMBC_SETTINGS,
    },
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


def test_each_treaty_covers_its_own_contamination_type() -> None:
    assert CCM.contamination == (Contamination.CMR.value,)
    assert APMBC.contamination == (Contamination.AP_MINE.value,)
    assert {rules.treaty for rules in RULES.values()} == set(Treaty)
    assert (CCM.deadline_article, CCM.extension_article, CCM.request_article) == (
        "4.1(a)",
        "4.5",
        "4.6",
    )
    assert (APMBC.deadline_article, APMBC.extension_article, APMBC.request_article) == (
        "5.1",
        "5.3",
        "5.4",
    )


@pytest.mark.parametrize("rules", [CCM, APMBC], ids=["CCM", "APMBC"])
@pytest.mark.parametrize(
    ("eif", "deadline"),
    [
        (date(2010, 8, 1), date(2020, 8, 1)),
        (date(2008, 2, 29), date(2018, 2, 28)),  # a leap day's anniversary
        (date(1999, 3, 1), date(2009, 3, 1)),
    ],
)
def test_ten_years_after_entry_into_force_under_either_treaty(rules, eif, deadline) -> None:
    assert deadlines.original_deadline(eif, rules) == deadline


@pytest.mark.parametrize(
    ("rules", "deadline", "latest"),
    [
        (CCM, date(2020, 8, 1), date(2025, 8, 1)),  # Article 4.5: five years
        (APMBC, date(2020, 8, 1), date(2030, 8, 1)),  # Article 5.3: ten years
        (CCM, date(2024, 2, 29), date(2029, 2, 28)),
        (APMBC, date(2024, 2, 29), date(2034, 2, 28)),
    ],
)
def test_the_longest_extension_each_treaty_allows(rules, deadline, latest) -> None:
    assert deadlines.latest_extension_allowed(deadline, rules) == latest


@pytest.mark.parametrize("rules", [CCM, APMBC], ids=["CCM", "APMBC"])
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
def test_request_due_nine_months_before_the_meeting(rules, meeting, due) -> None:
    assert deadlines.request_due(meeting, rules) == due


def test_extension_length_and_requests() -> None:
    deadline = date(2030, 8, 1)
    assert deadlines.years_to_extend(deadline, date(2030, 8, 1)) == 0
    assert deadlines.years_to_extend(deadline, date(2030, 8, 2)) == 1
    assert deadlines.years_to_extend(deadline, date(2033, 12, 31)) == 4
    assert deadlines.years_to_extend(date(2028, 2, 29), date(2033, 2, 28)) == 5
    assert deadlines.years_to_extend(date(2028, 2, 29), date(2033, 3, 1)) == 6
    # CCM Article 4.5: at most five years a request; APMBC Article 5.3: at most ten.
    for years, ccm, apmbc in [(0, 0, 0), (4, 1, 1), (5, 1, 1), (7, 2, 1), (10, 2, 1), (11, 3, 2)]:
        assert deadlines.requests_needed(years, CCM) == ccm, years
        assert deadlines.requests_needed(years, APMBC) == apmbc, years


def test_the_single_ccm_form_is_read_as_the_ccm() -> None:
    programme = Programme.model_validate(LAOS)
    assert set(programme.treaties.named()) == {Treaty.CCM}
    ccm = programme.treaty(Treaty.CCM)
    assert ccm.eif == date(2010, 8, 1)
    assert ccm.deadline_in_force(date(2024, 1, 1)) == date(2025, 8, 1)
    # Kept in the form that names its treaties, and read back as the same settings.
    stored = programme.stored()
    assert set(stored) == {"country", "treaties"} and set(stored["treaties"]) == {"CCM"}
    assert Programme.model_validate(stored) == programme
    with pytest.raises(NotFound) as missing:
        programme.treaty(Treaty.APMBC)
    assert missing.value.code == "programme.treaty_not_set"


def test_both_treaties_and_their_deadlines() -> None:
    programme = Programme.model_validate(BOTH)
    apmbc = programme.treaty(Treaty.APMBC)
    assert apmbc.original_deadline() == date(2018, 2, 28)
    assert apmbc.deadline_in_force(date(2018, 11, 29)) == date(2018, 2, 28)
    assert apmbc.deadline_in_force(date(2018, 11, 30)) == date(2028, 2, 28)
    # The 27MSP on 30 November 2027: a request is due on the last day of February.
    assert apmbc.next_request(date(2027, 2, 28)) == {
        "meeting": "27MSP",
        "held_on": date(2027, 11, 30),
        "request_due": date(2027, 2, 28),
    }
    assert apmbc.next_request(date(2027, 3, 1))["meeting"] == "Seventh Review Conference"
    assert apmbc.next_request(date(2029, 2, 26))["request_due"] == date(2029, 2, 26)
    assert apmbc.next_request(date(2029, 2, 27)) is None
    summary = programme.summary(date(2024, 1, 1))
    assert list(summary["treaties"]) == ["CCM", "APMBC"]
    assert summary["treaties"]["APMBC"]["contamination"] == ["AP mine"]
    assert summary["treaties"]["CCM"]["contamination"] == ["CMR"]
    assert summary["treaties"]["APMBC"]["rules"]["max_extension_years"] == 10
    assert "hostilities" not in summary["treaties"]["APMBC"]


@pytest.mark.parametrize(
    ("treaty", "new_deadline", "accepted"),
    [
        ("CCM", "2025-08-01", True),  # five years after 2020-08-01
        ("CCM", "2025-08-02", False),
        ("APMBC", "2030-08-01", True),  # ten years
        ("APMBC", "2030-08-02", False),
        ("APMBC", "2020-08-01", False),  # not after the deadline it extends
    ],
)
def test_each_treaty_limits_one_extension(treaty, new_deadline, accepted) -> None:
    settings = {
        "eif": "2010-08-01",
        "extensions": [{"meeting": "x", "granted_on": "2019-12-01", "new_deadline": new_deadline}],
    }
    document = {"country": "X", "treaties": {treaty: settings}}
    if accepted:
        assert Programme.model_validate(document).treaty(Treaty(treaty)).deadline_in_force(
            date(2020, 1, 1)
        ) == date.fromisoformat(new_deadline)
        return
    with pytest.raises(InvalidInput) as refused:
        Programme.model_validate(document)
    assert refused.value.code == "programme.extension_too_long"
    assert refused.value.field == f"treaties.{treaty}.extensions.0.new_deadline"
    assert refused.value.params["years"] == RULES[Treaty(treaty)].max_extension_years


def test_a_second_extension_is_measured_from_the_first() -> None:
    settings = {
        "eif": "2010-08-01",
        "extensions": [
            {"meeting": "19MSP", "granted_on": "2019-12-01", "new_deadline": "2025-08-01"},
            {"meeting": "25MSP", "granted_on": "2025-06-01", "new_deadline": "2035-08-01"},
        ],
    }
    apmbc = Programme.model_validate({"country": "X", "treaties": {"APMBC": settings}})
    assert apmbc.treaty(Treaty.APMBC).deadline_in_force(date(2030, 1, 1)) == date(2035, 8, 1)
    with pytest.raises(InvalidInput):  # five years past the first extension is too far for CCM
        Programme.model_validate({"country": "X", "treaties": {"CCM": settings}})


@pytest.mark.parametrize(
    ("document", "code"),
    [
        ({"country": "X", "treaties": {}}, "programme.no_treaty"),
        (
            {
                "country": "X",
                "treaties": {"APMBC": {"eif": "2010-01-01", "contamination": ["CMR"]}},
            },
            "programme.contamination_fixed",
        ),
    ],
)
def test_settings_that_break_a_treaty_are_refused(document, code) -> None:
    with pytest.raises(InvalidInput) as refused:
        Programme.model_validate(document)
    assert refused.value.code == code


def test_hostilities_are_the_ccms_alone() -> None:
    document = {"country": "X", "treaties": {"APMBC": {"eif": "2010-01-01", "hostilities": []}}}
    with pytest.raises(ValueError, match="hostilities"):  # Article 4.1(b) has no APMBC twin
        Programme.model_validate(document)


def test_the_treaty_decides_its_contamination() -> None:
    given = {
        "country": "X",
        "treaties": {"APMBC": {"eif": "2010-01-01", "contamination": ["AP mine"]}},
    }
    programme = Programme.model_validate(given)
    assert programme.treaty(Treaty.APMBC).rules.scope == "AP mine"


def test_settings_and_their_deadlines(call) -> None:
    authority, anonymous = call("authority"), call("anonymous")
    missing = anonymous.get("/api/v1/programme")
    assert missing.status_code == 404 and missing.json()["code"] == "programme.not_set"
    response = authority.put("/api/v1/programme", json=LAOS, params={"as_of": "2024-01-01"})
    assert response.status_code == 200, response.text
    summary = anonymous.get("/api/v1/programme", params={"as_of": "2024-01-01"}).json()
    assert summary["country"] == LAOS["country"] and list(summary["treaties"]) == ["CCM"]
    ccm = summary["treaties"]["CCM"]
    assert ccm["contamination"] == ["CMR"]
    assert ccm["original_deadline"] == "2020-08-01"
    assert ccm["deadline_in_force"] == "2025-08-01"
    assert ccm["days_left"] == (date(2025, 8, 1) - date(2024, 1, 1)).days
    assert ccm["hostilities_deadlines"] == [
        {"name": "border clashes", "ended_on": "2012-02-29", "deadline": "2022-02-28"}
    ]
    assert ccm["next_extension_request"] == {
        "meeting": "14MSP",
        "held_on": "2026-09-14",
        "request_due": "2025-12-14",
    }
    # Before the extension was granted, the original deadline was in force.
    before = anonymous.get("/api/v1/programme", params={"as_of": "2019-09-03"}).json()
    assert before["treaties"]["CCM"]["deadline_in_force"] == "2020-08-01"
    # After the 14MSP request date, the next meeting a request can reach is the 15MSP.
    late = anonymous.get("/api/v1/programme", params={"as_of": "2025-12-15"}).json()
    assert late["treaties"]["CCM"]["next_extension_request"]["meeting"] == "15MSP"
    log = authority.get("/api/v1/audit", params={"object_type": "programme"}).json()["entries"]
    assert [e["action"] for e in log] == ["set"]


def test_both_treaties_through_the_api(call) -> None:
    authority = call("authority")
    assert authority.put("/api/v1/programme", json=BOTH).status_code == 200
    summary = call("anonymous").get("/api/v1/programme", params={"as_of": "2020-01-01"}).json()
    apmbc = summary["treaties"]["APMBC"]
    assert apmbc["treaty"] == "APMBC" and apmbc["contamination"] == ["AP mine"]
    assert apmbc["rules"]["deadline_article"] == "5.1"
    assert apmbc["rules"]["max_extension_years"] == 10
    assert apmbc["original_deadline"] == "2018-02-28"
    assert apmbc["deadline_in_force"] == "2028-02-28"
    assert apmbc["next_extension_request"] == {
        "meeting": "27MSP",
        "held_on": "2027-11-30",
        "request_due": "2027-02-28",
    }
    assert "hostilities" not in apmbc and "hostilities_deadlines" not in apmbc
    assert summary["treaties"]["CCM"]["rules"]["max_extension_years"] == 5


@pytest.mark.parametrize(
    ("change", "code", "fragment"),
    [
        (
            {
                "extensions": [
                    {"meeting": "9MSP", "granted_on": "2019-09-04", "new_deadline": "2025-08-02"}
                ]
            },
            "programme.extension_too_long",
            "at most 5 years later",
        ),
        (
            {
                "extensions": [
                    {"meeting": "9MSP", "granted_on": "2019-09-04", "new_deadline": "2019-08-01"}
                ]
            },
            "programme.extension_too_long",
            "must be after 2020-08-01",
        ),
        (
            {
                "extensions": [
                    {"meeting": "9MSP", "granted_on": "2019-09-04", "new_deadline": "2025-08-01"},
                    {"meeting": "8MSP", "granted_on": "2018-09-04", "new_deadline": "2030-08-01"},
                ]
            },
            "programme.extension_out_of_order",
            "granted before the one before it",
        ),
        (
            {"hostilities": [{"name": "war", "ended_on": "1975-12-02"}]},
            "programme.hostilities_before_eif",
            "before EIF",
        ),
        ({"meetings": [{"name": "x", "kind": "workshop", "held_on": "2026-01-01"}]}, None, "MSP"),
    ],
)
def test_invalid_settings_are_refused(call, change, code, fragment) -> None:
    response = call("authority").put("/api/v1/programme", json={**LAOS, **change})
    assert response.status_code == 422
    assert fragment in response.json()["detail"]
    if code is not None:
        assert response.json()["code"] == code
        french = call("authority").put(
            "/api/v1/programme", json={**LAOS, **change}, headers={"Accept-Language": "fr"}
        )
        assert french.json()["code"] == code and fragment not in french.json()["detail"]
    assert call("anonymous").get("/api/v1/programme").status_code == 404


def test_an_apmbc_extension_beyond_ten_years_is_refused(call) -> None:
    too_long = {
        **APMBC_SETTINGS,
        "extensions": [
            {"meeting": "17MSP", "granted_on": "2018-11-30", "new_deadline": "2028-02-29"}
        ],
    }
    response = call("authority").put(
        "/api/v1/programme", json={"country": "X", "treaties": {"APMBC": too_long}}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "programme.extension_too_long"
    assert body["field"] == "treaties.APMBC.extensions.0.new_deadline"
    assert "at most 10 years later (2028-02-28), Article 5.3" in body["detail"]


def test_only_the_authority_changes_the_settings(call) -> None:
    assert call("anonymous").put("/api/v1/programme", json=LAOS).status_code == 401
    assert call("operator").put("/api/v1/programme", json=LAOS).status_code == 403
    assert call("analyst").put("/api/v1/programme", json=LAOS).status_code == 403
    assert call("admin").put("/api/v1/programme", json=LAOS).status_code == 200


def test_settings_as_known_at_a_past_moment(call) -> None:
    """A version kept before the settings named their treaties is read as the CCM's."""
    from sqlalchemy import text

    from app.db import engine
    from app.storage import programme as stored

    authority = call("authority")
    with engine().begin() as conn:
        stored.insert(conn, LAOS, "aziz")  # as versions were kept before
    with engine().connect() as conn:
        moment = conn.execute(text("SELECT clock_timestamp()")).scalar_one().isoformat()
    extended = {
        "country": LAOS["country"],
        "treaties": {
            "CCM": {
                **BOTH["treaties"]["CCM"],
                "extensions": [
                    *LAOS["extensions"],
                    {"meeting": "12MSP", "granted_on": "2024-09-11", "new_deadline": "2030-08-01"},
                ],
            },
            "APMBC": APMBC_SETTINGS,
        },
    }
    assert authority.put("/api/v1/programme", json=extended).status_code == 200
    params = {"as_of": "2026-01-01"}
    now = authority.get("/api/v1/programme", params=params).json()
    assert now["treaties"]["CCM"]["deadline_in_force"] == "2030-08-01"
    assert set(now["treaties"]) == {"CCM", "APMBC"}
    then = authority.get("/api/v1/programme", params={**params, "known_at": moment}).json()
    assert then["treaties"]["CCM"]["deadline_in_force"] == "2025-08-01"
    assert set(then["treaties"]) == {"CCM"}


def test_the_demo_answers_to_both_treaties() -> None:
    """The demo keeps its CCM settings and is, for the demonstration, party to the APMBC too,
    with minefields of named mine types to report on."""
    import json
    from pathlib import Path

    demo = Path(__file__).resolve().parent.parent / "geodata" / "demo"
    programme = Programme.model_validate_json((demo / "programme.json").read_text())
    ccm, apmbc = programme.treaty(Treaty.CCM), programme.treaty(Treaty.APMBC)
    assert ccm.eif == date(2010, 8, 1)
    assert [e.new_deadline for e in ccm.extensions] == [date(2025, 8, 1), date(2030, 8, 1)]
    assert apmbc.eif.day == 1  # Article 17: the first day of the sixth month after accession
    assert apmbc.deadline_in_force(date(2026, 1, 1)) > apmbc.original_deadline()
    hazards = json.loads((demo / "hazards.geojson").read_text())["features"]
    minefields = [h["properties"] for h in hazards if h["properties"]["contamination"] == "AP mine"]
    assert any(date.fromisoformat(m["recorded_on"]) <= apmbc.eif for m in minefields)
    assert all(m["munitions"] for m in minefields)
