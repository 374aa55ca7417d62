"""The Article 4.6 figures and the work plan, on the worked example of the domain reference."""

from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import MultiPolygon

from app.ledger.states import EventKind
from app.services import recording
from app.settings import LedgerSettings
from tests.support.reference import ReferenceModel, RefFact
from tests.test_worked_example import CANCEL, CLEAR, CONFIRM, H1, H2, REDUCE, _hazard

EIF = date(2010, 8, 1)
PROGRAMME = {
    "country": "Exampleland",
    "eif": EIF.isoformat(),
    "meetings": [{"name": "9MSP", "kind": "MSP", "held_on": "2019-09-02"}],
}
FACTS = [
    ("H1", EventKind.CONFIRM, date(2013, 6, 1), CONFIRM, {}),
    ("H1", EventKind.CANCEL, date(2014, 6, 1), CANCEL, {}),
    ("H1", EventKind.CLEAR, date(2015, 6, 1), CLEAR, {"BLU-26": 14, "M42": 3}),
    ("H2", EventKind.REDUCE, date(2016, 6, 1), REDUCE, {"BLU-26": 1}),
]
REFERENCE = ReferenceModel(
    [
        RefFact(date(2009, 5, 1), 1, "record SHA", H1, "H1"),
        RefFact(date(2012, 3, 1), 2, "record SHA", H2, "H2"),
        *[
            RefFact(on, 3 + i, kind.value, geometry, reference)
            for i, (reference, kind, on, geometry, _) in enumerate(FACTS)
        ],
    ]
)


@pytest.fixture
def worked_example(conn, call) -> None:
    settings = LedgerSettings()  # the defaults accept the example's 6 % overshoot
    with conn.begin():
        recording.record_hazard(conn, _hazard("H1", date(2009, 5, 1), H1))
        recording.record_hazard(conn, _hazard("H2", date(2012, 3, 1), H2))
        for reference, kind, on, geometry, items in FACTS:
            event = recording.NewEvent(kind, on, MultiPolygon([geometry]), items=items)
            recording.record_event(conn, reference, event, settings)
    assert call("authority").put("/api/v1/programme", json=PROGRAMME).status_code == 200


def test_article_4_6_figures(call, worked_example) -> None:
    report = (
        call("anonymous").get("/api/v1/reports/article-4-6", params={"as_of": "2016-12-31"}).json()
    )
    at_eif = REFERENCE.totals(EIF)
    flows = REFERENCE.flows(EIF, date(2016, 12, 31))
    end = REFERENCE.totals(date(2016, 12, 31))

    def exact(value: float, expected: float) -> bool:
        return value == pytest.approx(expected, rel=1e-6, abs=1e-3)

    assert exact(report["d"]["baseline_at_eif_m2"], at_eif["SHA"] + at_eif["CHA"])
    assert exact(report["d"]["discovered_after_eif_m2"], flows["discovered"])
    assert report["d"]["total_m2"] == pytest.approx(130_000, rel=2e-3)
    assert exact(report["e"]["cleared_since_eif_m2"], flows["cleared"])
    assert exact(report["e"]["cancelled_since_eif_m2"], flows["cancelled"])
    assert exact(report["e"]["reduced_since_eif_m2"], flows["reduced"])
    assert exact(report["f"]["remaining_sha_m2"], end["SHA"])
    assert report["f"]["remaining_m2"] == pytest.approx(30_000, rel=2e-3)
    assert abs(report["check"]["difference_m2"]) < 1e-6
    assert report["contamination"] == "CMR"
    assert report["deadline_in_force"] == "2020-08-01"

    annual = {row["year"]: row for row in report["annual"]}
    assert sorted(annual) == list(range(2010, 2017))
    assert annual[2010]["from"] == "2010-08-01"
    for year in range(2010, 2017):
        expected = REFERENCE.totals(date(year, 12, 31))
        assert exact(annual[year]["remaining_sha_m2"], expected["SHA"])
        assert exact(annual[year]["remaining_cha_m2"], expected["CHA"])
    assert exact(annual[2013]["confirmed_m2"], flows["confirmed"])
    assert exact(annual[2014]["cancelled_m2"], flows["cancelled"])
    assert annual[2015]["items_destroyed"] == {"BLU-26": 14, "M42": 3}
    assert annual[2016]["items_destroyed"] == {"BLU-26": 1}
    assert sum(r["discovered_m2"] for r in report["annual"]) == pytest.approx(
        report["d"]["discovered_after_eif_m2"], rel=1e-12
    )


def test_work_plan(call, worked_example) -> None:
    anonymous = call("anonymous")
    params = {"as_of": "2016-12-31"}
    planned = anonymous.get(
        "/api/v1/reports/work-plan",
        params={
            **params,
            "capacity_cancel": 10_000,
            "capacity_reduce": 0,
            "capacity_clear": 0,
            "cost_per_m2_cancel": 0.5,
        },
    ).json()
    remaining = REFERENCE.totals(date(2016, 12, 31))["SHA"]
    assert [y["year"] for y in planned["years"]] == [2017, 2018, 2019, 2020][
        : len(planned["years"])
    ]
    assert planned["years"][0]["cancelled_m2"] == 10_000
    assert planned["years"][0]["cost"] == pytest.approx(5_000)
    assert planned["completion_year"] == 2017 + int(remaining // 10_000)
    assert planned["within_deadline"] is (planned["completion_date"] <= "2020-08-01")
    assert planned["capacity_basis"].startswith("given by the caller")

    slow = anonymous.get(
        "/api/v1/reports/work-plan",
        params={**params, "capacity_cancel": 4_000, "capacity_reduce": 0, "capacity_clear": 0},
    ).json()
    years = -(-remaining // 4_000)  # whole years of work from 2017 on
    assert slow["completion_year"] == 2016 + years
    assert slow["within_deadline"] is False
    completion = date(int(2016 + years), 12, 31)
    expected_extension = next(n for n in range(0, 20) if date(2020 + n, 8, 1) >= completion)
    assert slow["extension_years_needed"] == expected_extension
    assert slow["extension_requests_needed"] == -(-expected_extension // 5)

    default = anonymous.get("/api/v1/reports/work-plan", params=params).json()
    assert default["capacity_basis"] == "average of what was actually released in 2014-2016"
    flows = REFERENCE.flows(date(2013, 12, 31), date(2016, 12, 31))
    assert default["capacity_m2_per_year"]["cancel"] == pytest.approx(
        flows["cancelled"] / 3, rel=1e-6
    )
    assert default["capacity_m2_per_year"]["clear"] == pytest.approx(flows["cleared"] / 3, rel=1e-6)


def test_reports_need_programme_settings(call) -> None:
    response = call("anonymous").get("/api/v1/reports/article-4-6")
    assert response.status_code == 404 and "programme" in response.json()["detail"]


def test_article_7(call, worked_example) -> None:
    assert call("anonymous").get("/api/v1/reports/article-7?year=2015").status_code == 401
    report = call("analyst").get("/api/v1/reports/article-7", params={"year": 2015}).json()
    end = REFERENCE.totals(date(2015, 12, 31))
    flows = REFERENCE.flows(date(2014, 12, 31), date(2015, 12, 31))
    assert report["remaining"]["sha_m2"] == pytest.approx(end["SHA"], rel=1e-6, abs=1e-3)
    assert report["released"]["cleared_m2"] == pytest.approx(flows["cleared"], rel=1e-6)
    assert report["released"]["cancelled_m2"] == 0
    assert report["items_destroyed"] == {"BLU-26": 14, "M42": 3}
    areas = {a["reference"]: a for a in report["areas"]}
    assert set(areas) == {"H1", "H2"}
    assert sum(a["remaining_m2"] for a in report["areas"]) == pytest.approx(
        report["remaining"]["remaining_m2"], rel=1e-9
    )
    assert 102 < areas["H2"]["centroid_lon"] < 103 and 19 < areas["H2"]["centroid_lat"] < 20
    assert report["remaining_by_contamination"]["CMR"]["remaining_m2"] == pytest.approx(
        report["remaining"]["remaining_m2"], rel=1e-12
    )
    assert report["remaining_by_contamination"]["AP mine"]["remaining_m2"] == 0


def test_report_formats(call, worked_example, tmp_path) -> None:
    import io
    import zipfile

    from openpyxl import load_workbook

    client = call("analyst")
    params = {"as_of": "2016-12-31"}
    figures = client.get("/api/v1/reports/article-4-6", params=params).json()
    xlsx = client.get("/api/v1/reports/article-4-6", params={**params, "format": "xlsx"})
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx.headers["content-type"]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Article 4.6", "(f) by region", "annual", "work plan", "deadlines"]
    # Every sheet: a title block, then the headers (frozen), then the rows.
    head = _header_row(book["Article 4.6"])
    assert (
        book["Article 4.6"]["A1"].value
        == "CCM Article 4.6: extension request figures, CMR, as of 2016-12-31"
    )
    block = {
        row[0]: row[1] for row in book["Article 4.6"].iter_rows(max_row=head - 1, values_only=True)
    }
    assert block["country"] == figures["country"]
    assert block["figures as of"].date().isoformat() == "2016-12-31"  # a real date
    assert block["scope"] == "CMR only"
    *_, total_row = book["(f) by region"].iter_rows(min_row=head + 1, values_only=True)
    assert total_row[0] == "total"
    assert total_row[4] == pytest.approx(figures["f"]["remaining_m2"], abs=1e-6)
    summary = {
        row[0]: row[1] for row in book["Article 4.6"].iter_rows(min_row=head + 1, values_only=True)
    }
    assert book["Article 4.6"].cell(head, 2).value == "area (m²)"
    assert book["Article 4.6"].cell(head + 1, 2).number_format == "#,##0"
    assert summary["(d) total"] == pytest.approx(figures["d"]["total_m2"], rel=1e-12)
    assert isinstance(summary["(f) remaining"], float)  # a number, not text
    assert summary["check: difference with (f)"] == pytest.approx(0, abs=1e-6)
    annual = list(book["annual"].iter_rows(min_row=head + 1, values_only=True))
    assert [row[0] for row in annual] == [r["year"] for r in figures["annual"]]
    assert annual[-1][7] == pytest.approx(figures["annual"][-1]["remaining_sha_m2"], rel=1e-12)

    archive = client.get("/api/v1/reports/article-4-6", params={**params, "format": "csv"})
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        assert "annual.csv" in zipped.namelist()
        assert zipped.read("annual.csv").decode().startswith("year,discovered (m²)")

    page = client.get("/api/v1/reports/article-7", params={"year": 2015, "format": "html"})
    assert page.headers["content-type"].startswith("text/html")
    assert "<h2>areas</h2>" in page.text and "H2" in page.text


def _header_row(sheet) -> int:
    """The row of a sheet's column headers: the one above its frozen rows."""
    return int(sheet.freeze_panes[1:]) - 1


def test_report_areas_as_files(call, worked_example, tmp_path) -> None:
    import pyogrio

    client = call("analyst")
    report = client.get("/api/v1/reports/article-7", params={"year": 2015}).json()
    geojson = client.get("/api/v1/reports/article-7/areas", params={"year": 2015}).json()
    by_reference = {f["properties"]["reference"]: f["properties"] for f in geojson["features"]}
    for area in report["areas"]:
        assert by_reference[area["reference"]]["remaining_m2"] == pytest.approx(
            area["remaining_m2"], rel=1e-12
        )
    gpkg = client.get(
        "/api/v1/reports/article-4-6/areas", params={"as_of": "2016-12-31", "format": "gpkg"}
    )
    path = tmp_path / "areas.gpkg"
    path.write_bytes(gpkg.content)
    assert pyogrio.read_info(path)["features"] == 2
    assert call("anonymous").get("/api/v1/reports/article-7/areas?year=2015").status_code == 401


def test_burndown_chart(call, worked_example) -> None:
    import xml.etree.ElementTree as ET

    client = call("anonymous")
    params = {"as_of": "2016-12-31", "capacity_cancel": 10_000}
    svg = client.get("/api/v1/reports/burndown.svg", params=params)
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.content)
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    assert {"sha-history", "cha-history", "projection", "deadline-0"} <= ids
    text = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "original deadline" in text and "2020-08-01" in text
    png = client.get("/api/v1/reports/burndown.png", params=params)
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n") and len(png.content) > 10_000


def test_printable_page_and_pdf_say_what_they_are(call, worked_example, tmp_path) -> None:
    import re
    import subprocess

    authority = call("authority")
    assert (
        authority.put("/api/v1/programme", json={**PROGRAMME, "currency": "USD"}).status_code == 200
    )
    client = call("analyst")
    params = {"as_of": "2016-12-31", "cost_per_m2_clear": "1.5"}
    page = client.get("/api/v1/reports/article-4-6", params={**params, "format": "html"}).text
    assert "<h1>CCM Article 4.6: extension request figures, CMR, as of 2016-12-31</h1>" in page
    heading = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))
    assert heading["country"] == "Exampleland" and heading["figures as of"] == "2016-12-31"
    assert heading["scope"] == "CMR only"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", heading["generated"])
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", page)
    assert not [c for c in cells if re.fullmatch(r"-0(\.0*)?|-?\d[\d,]*\.0+", c)]  # no -0, no .000
    assert not {"True", "False", "None"} & set(cells)
    assert "cost (USD)" in page
    # Every term of the check is printed, each a plain whole number of m².
    figures = client.get("/api/v1/reports/article-4-6", params=params).json()
    for key in ("d_total_m2", "minus_released_m2", "minus_corrected_m2", "f_remaining_m2"):
        assert f"{round(figures['check'][key]):,}" in cells
    pdf = client.get("/api/v1/reports/article-4-6", params={**params, "format": "pdf"})
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    (tmp_path / "report.pdf").write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Exampleland" in text and "CCM Article 4.6: extension request figures" in text
    assert re.search(r"\b2 ?/ ?2\b", text)  # numbered pages


def test_extension_needed_is_said_with_the_limit_of_the_treaty() -> None:
    from app.reports.labels import Labels
    from app.reports.tables import extension_words
    from app.treaty.treaties import APMBC, CCM

    labels = Labels("en")
    plan = {"extension_years_needed": 12, "extension_requests_needed": 3}
    assert extension_words(plan, CCM, labels) == (
        "12 years, in 3 request(s) of at most 5 years each (Article 4.5)"
    )
    apmbc = {"extension_years_needed": 12, "extension_requests_needed": 2}
    assert extension_words(apmbc, APMBC, labels) == (
        "12 years, in 2 request(s) of at most 10 years each (Article 5.3)"
    )
    assert extension_words({**plan, "extension_years_needed": 0}, CCM, labels) == "none"
    french = extension_words(plan, CCM, Labels("fr"))
    assert "12 ans" in french and "5 ans" in french
