"""Whatever a client sends, the answer is a 4xx with a clear message and a code, never a 500:
references in any script (but no control characters), dates outside the plausible range,
numbers that are not finite, reversed boxes of huge longitudes, truncated files, polygons of
too many vertices, tokens of no validity; a conflict says nothing of another organisation's
submissions."""

from __future__ import annotations

import math
from datetime import date
from urllib.parse import quote

import pytest
from shapely.geometry import Polygon, mapping

from app.db import engine
from app.errors import InvalidInput
from app.services.accounts import create_token
from app.settings import input_settings
from tests.support.files import hazard_rows, write_layer
from tests.support.shapes import new_event, new_hazard, rect

H = rect(0, 0, 400, 300)


@pytest.mark.parametrize(
    "reference",
    [
        "ຂົງເຂດ-ອັນຕະລາຍ-1",  # Lao
        "HZ-💣-7",  # emoji
        "ຫ້ອງ 3 ເຂດ 5",  # Lao with spaces
        "Zone «Nord» #2?&=",  # characters a URL must escape
    ],
)
def test_references_in_any_script_are_recorded_and_found_again(client, reference) -> None:
    created = client.post("/api/v1/hazards", json=new_hazard(reference, H))
    assert created.status_code == 201, created.text
    assert created.json()["id"] == reference
    location = created.headers["location"]
    assert location == "/api/v1/hazards/" + quote(reference, safe="")
    found = client.get(location)
    assert found.status_code == 200 and found.json()["id"] == reference
    event = client.post(
        f"/api/v1/hazards/{quote(reference, safe='')}/events",
        json=new_event(rect(0, 0, 100, 300), "clear", "2015-01-01"),
    )
    assert event.status_code == 201, event.text


@pytest.mark.parametrize(
    ("reference", "codepoint"),
    [
        ("A\r\nSet-Cookie: x=1", "U+000D"),
        ("A\nB", "U+000A"),
        ("HZ-\u202e7-ZH", "U+202E"),  # reads backwards
        ("HZ\x00", "U+0000"),
        ("HZ\u2028B", "U+2028"),
    ],
)
def test_references_with_control_characters_are_refused(client, reference, codepoint) -> None:
    answer = client.post("/api/v1/hazards", json=new_hazard(reference, H))
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == "reference.control_character"
    assert body["field"] == "reference" and codepoint in body["detail"]
    assert client.get("/api/v1/hazards").json()["numberReturned"] == 0
    french = client.post(
        "/api/v1/hazards", json=new_hazard(reference, H), headers={"Accept-Language": "fr"}
    )
    assert "caractère de contrôle" in french.json()["detail"]


def test_other_text_fields_refuse_control_characters_but_notes_keep_lines(client) -> None:
    refused = client.post("/api/v1/hazards", json=_with(new_hazard("R-1", H), region="N\r\nX"))
    assert refused.status_code == 422
    assert refused.json()["code"] == "text.control_character"
    assert refused.json()["field"] == "properties.region"
    kept = client.post("/api/v1/hazards", json=_with(new_hazard("R-2", H), notes="line 1\nline 2"))
    assert kept.status_code == 201, kept.text


def _with(feature: dict, **properties: object) -> dict:
    return {**feature, "properties": {**feature["properties"], **properties}}


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/totals?as_of=0004-06-01", "as_of"),
        ("/api/v1/totals?as_of=9999-12-31", "as_of"),
        ("/api/v1/reports/article-4-6?as_of=9999-12-31", "as_of"),
        ("/api/v1/reports/article-4-6?as_of=0004-06-01", "as_of"),
        ("/api/v1/reports/work-plan?as_of=2150-01-01", "as_of"),
        ("/api/v1/reports/burndown.svg?as_of=2150-01-01", "as_of"),
        ("/api/v1/land-release?from=0001-01-01", "from"),
        ("/api/v1/land-release?from=2010-01-01&to=9000-01-01", "to"),
        ("/api/v1/totals?known_at=0001-01-01T00:00:00", "known_at"),
    ],
)
def test_dates_outside_the_plausible_range_are_refused_at_once(call, path, field) -> None:
    answer = call("anonymous").get(path)
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == "date.out_of_range" and body["field"] == field
    settings = input_settings()
    assert settings.earliest_date.isoformat() in body["detail"]
    assert settings.latest_date.isoformat() in body["detail"]


def test_the_edges_of_the_plausible_range_are_accepted(call) -> None:
    settings = input_settings()
    for day in (settings.earliest_date, settings.latest_date):
        assert call("anonymous").get(f"/api/v1/totals?as_of={day}").status_code == 200


def test_a_fact_dated_before_the_earliest_date_is_refused(client) -> None:
    answer = client.post("/api/v1/hazards", json=new_hazard("OLD", H, on="0001-01-01"))
    assert answer.status_code == 422
    assert answer.json()["code"] == "date.out_of_range"
    assert answer.json()["field"] == "recorded_on"


def test_the_ogc_api_refuses_implausible_dates_as_a_client_error(call) -> None:
    answer = call("anonymous").get("/ogc/collections/regions/items?datetime=9999-01-01")
    assert answer.status_code == 400
    assert "1900-01-01" in answer.json()["description"]


def test_programme_dates_are_bounded(client) -> None:
    programme = {"country": "Lao PDR", "eif": "0004-06-01"}
    answer = client.put("/api/v1/programme", json=programme)
    assert answer.status_code == 422
    assert answer.json()["code"] == "date.out_of_range" and answer.json()["field"] == "eif"


@pytest.mark.parametrize("value", ["Infinity", "-Infinity", "NaN", "inf", "1e999"])
def test_costs_and_capacities_must_be_finite(call, value) -> None:
    answer = call("anonymous").get(f"/api/v1/reports/work-plan?cost_per_m2_clear={value}")
    assert answer.status_code == 422, answer.text
    answer = call("anonymous").get(f"/api/v1/reports/article-4-6?capacity_clear={value}")
    assert answer.status_code == 422, answer.text


@pytest.mark.parametrize(
    "bbox",
    [
        "1e300,0,-1e300,10",
        "1e308,-90,-1e308,90",
        "200,0,-200,10",
        "NaN,0,10,10",
        "Infinity,0,10,10",
        "0,0,10,inf",
    ],
)
def test_boxes_of_huge_or_not_finite_numbers_are_client_errors(call, bbox) -> None:
    analyst = call("analyst")
    rest = analyst.get("/api/v1/hazards", params={"bbox": bbox})
    assert rest.status_code == 422, rest.text
    assert rest.json()["field"] == "bbox"
    ogc = analyst.get("/ogc/collections/hazards/items", params={"bbox": bbox})
    assert ogc.status_code == 400, ogc.text
    cql = analyst.get(
        "/ogc/collections/hazards/items",
        params={"filter": f"S_INTERSECTS(geometry, BBOX({bbox}))", "filter-lang": "cql2-text"},
    )
    assert cql.status_code == 400, cql.text


def test_a_box_across_the_antimeridian_still_works(call) -> None:
    answer = call("analyst").get("/api/v1/hazards", params={"bbox": "170,-10,-170,10"})
    assert answer.status_code == 200


def _truncated(path, keep: float):
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


@pytest.mark.parametrize(
    ("driver", "suffix"), [("GeoJSON", "geojson"), ("GPKG", "gpkg"), ("KML", "kml")]
)
@pytest.mark.parametrize("keep", [0.3, 0.7])
def test_truncated_files_are_refused_with_the_reason(client, tmp_path, driver, suffix, keep):
    polygons = [rect(300 * i, 0, 300 * i + 200, 200) for i in range(60)]
    records = hazard_rows("T", 60)
    path = _truncated(write_layer(tmp_path / f"h.{suffix}", driver, polygons, records), keep)
    for route, form in (
        ("/api/v1/imports/inspect", {}),
        ("/api/v1/imports", {"target": "hazards"}),
    ):
        with path.open("rb") as f:
            answer = client.post(route, files={"file": (path.name, f)}, data=form)
        assert 400 <= answer.status_code < 500, (route, answer.status_code, answer.text)
        assert answer.json()["field"] == "file"
        assert "/tmp" not in answer.text and "landrelease-" not in answer.text


def test_a_polygon_of_too_many_vertices_is_refused_before_any_work(client) -> None:
    limit = input_settings().max_polygon_vertices
    ring = [
        (102.0 + 0.01 * math.cos(2 * math.pi * i / (limit + 10)),
         18.0 + 0.01 * math.sin(2 * math.pi * i / (limit + 10)))
        for i in range(limit + 10)
    ]  # fmt: skip
    feature = {
        "type": "Feature",
        "geometry": mapping(Polygon(ring)),
        "properties": new_hazard("BIG", H)["properties"],
    }
    answer = client.post("/api/v1/hazards", json=feature)
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "geometry.too_many_vertices"
    assert f"{limit:,}" in answer.json()["detail"]


def test_a_body_beyond_the_limit_is_refused_unread(client) -> None:
    limit = input_settings().max_body_bytes
    answer = client.post(
        "/api/v1/hazards",
        content=b"{" + b" " * limit + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 413
    assert answer.json()["code"] == "request.too_large"


def test_a_file_of_too_many_vertices_in_all_is_refused_whole(tmp_path, tokens) -> None:
    from app.formats.unpack import Limits
    from app.services.importing import ImportOptions, run_import
    from app.settings import ledger_settings

    polygons = [rect(300 * i, 0, 300 * i + 200, 200) for i in range(20)]
    records = hazard_rows("V", 20)
    path = write_layer(tmp_path / "v.geojson", "GeoJSON", polygons, records)
    with engine().begin() as conn, pytest.raises(InvalidInput) as refused:
        run_import(
            conn,
            path,
            path.name,
            ImportOptions(target="hazards"),
            ledger_settings(),
            Limits(100, 1 << 30, max_vertices=50),  # 20 rectangles: 100 vertices
        )
    assert refused.value.code == "import.too_many_vertices"


@pytest.mark.parametrize("days", [0, -1, 100_000])
def test_a_token_is_valid_for_a_positive_number_of_days(tokens, days) -> None:
    with engine().begin() as conn, pytest.raises(InvalidInput) as refused:
        create_token(conn, "anna", valid_days=days)
    assert refused.value.code == "token.validity"


def test_the_command_line_refuses_a_token_of_no_validity(tokens) -> None:
    from app.__main__ import main as cli

    with pytest.raises(SystemExit) as stopped:
        cli(["tokens", "create", "--user", "anna", "--valid-days", "0"])
    assert "1 to 3650 days" in str(stopped.value)


def test_a_conflict_says_nothing_of_another_organisations_submission(call) -> None:
    """A reference is unique: an operator whose reference is taken is told so, and nothing
    more, whoever holds it."""
    call("other_operator").post("/api/v1/hazards", json=new_hazard("SHARED-1", H))
    call("authority").post("/api/v1/hazards", json=new_hazard("OFFICIAL-1", rect(0, 500, 100, 600)))
    operator = call("operator")
    hidden = operator.post("/api/v1/hazards", json=new_hazard("SHARED-1", rect(0, 1000, 100, 1100)))
    seen = operator.post("/api/v1/hazards", json=new_hazard("OFFICIAL-1", rect(0, 1500, 50, 1600)))
    assert hidden.status_code == seen.status_code == 409
    assert hidden.json()["code"] == seen.json()["code"] == "reference.unavailable"
    # The same words whoever holds the reference: nothing says it awaits review, or whose.
    assert hidden.json()["detail"].replace("SHARED-1", "X") == seen.json()["detail"].replace(
        "OFFICIAL-1", "X"
    )
    for word in ("pending", "review", "HALO", "omar"):
        assert word not in hidden.text
    authority = call("authority").post(
        "/api/v1/hazards", json=new_hazard("SHARED-1", rect(0, 2000, 100, 2100))
    )
    assert authority.status_code == 409 and "exists" in authority.json()["detail"]


def test_a_file_imported_by_another_organisation_is_not_named(call, tmp_path) -> None:
    path = write_layer(
        tmp_path / "same.geojson",
        "GeoJSON",
        [rect(0, 0, 100, 100)],
        hazard_rows("F", 1),
    )
    with path.open("rb") as f:
        first = call("other_operator").post(
            "/api/v1/imports", files={"file": (path.name, f)}, data={"target": "hazards"}
        )
    assert first.status_code == 201, first.text
    with path.open("rb") as f:
        again = call("operator").post(
            "/api/v1/imports", files={"file": (path.name, f)}, data={"target": "hazards"}
        )
    assert again.status_code == 409
    assert again.json()["code"] == "import.duplicate"
    assert str(first.json()["id"]) not in again.json()["detail"]
    assert str(date.today().year) not in again.json()["detail"]
