"""Both treaties' reports on one State's data: the CCM on the CMR scope, the APMBC on the
AP-mine scope, each checked against the independent reference run on that scope alone, with
land mined and contaminated by CMR at once, and an anti-tank minefield that neither covers."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from app.treaty import deadlines
from app.treaty.treaties import APMBC, CCM
from tests.support import two_treaties as data

CCM_REF = data.reference("CMR")
AP_REF = data.reference("AP mine")
ALL_REF = data.reference(None)


def exact(value: float, expected: float) -> bool:
    return value == pytest.approx(expected, rel=1e-6, abs=1e-3)


@pytest.fixture
def both(conn, call) -> None:
    data.record(conn)
    assert call("authority").put("/api/v1/programme", json=data.PROGRAMME).status_code == 200


def _check_request_figures(parts: dict, ref, eif: date, as_of: date) -> None:
    """The parts of an extension request against the reference's replay of one scope."""
    at_eif, at_end = ref.totals(eif), ref.totals(as_of)
    flows = ref.flows(eif, as_of)
    assert exact(parts["baseline"], at_eif["SHA"] + at_eif["CHA"])
    assert exact(parts["discovered"], flows["discovered"])
    assert exact(parts["total"], at_eif["SHA"] + at_eif["CHA"] + flows["discovered"])
    for flow in ("cancelled", "reduced", "cleared", "confirmed", "corrected"):
        assert exact(parts[flow], flows[flow]), flow
    assert exact(parts["sha"], at_end["SHA"])
    assert exact(parts["cha"], at_end["CHA"])
    assert abs(parts["difference"]) < 1e-6


def _check_annual(annual: list[dict], ref, eif: date, as_of: date) -> None:
    assert [row["year"] for row in annual] == list(range(eif.year, as_of.year + 1))
    for row in annual:
        start, end = date.fromisoformat(row["from"]), date.fromisoformat(row["to"])
        assert start == max(eif, date(row["year"] - 1, 12, 31))
        expected = ref.totals(end)
        assert exact(row["remaining_sha_m2"], expected["SHA"]), row["year"]
        assert exact(row["remaining_cha_m2"], expected["CHA"]), row["year"]
        for flow, m2 in ref.flows(start, end).items():
            assert exact(row[f"{flow}_m2"], m2), (row["year"], flow)


def test_apmbc_article_5_against_the_reference_on_the_ap_mine_scope(call, both) -> None:
    report = call("anonymous").get(
        "/api/v1/reports/apmbc/article-5", params={"as_of": data.AS_OF.isoformat()}
    )
    assert report.status_code == 200, report.text
    r = report.json()
    assert (r["treaty"], r["contamination"], r["eif"]) == ("APMBC", "AP mine", "2012-03-01")
    _check_request_figures(
        {
            "baseline": r["mined_areas"]["at_eif_m2"],
            "discovered": r["mined_areas"]["identified_after_eif_m2"],
            "total": r["mined_areas"]["total_m2"],
            **{flow: r["since_eif"][f"{flow}_m2"] for flow in ("cancelled", "reduced", "cleared")},
            "confirmed": r["since_eif"]["confirmed_m2"],
            "corrected": r["since_eif"]["corrected_m2"],
            "sha": r["remaining"]["sha_m2"],
            "cha": r["remaining"]["cha_m2"],
            "difference": r["check"]["difference_m2"],
        },
        AP_REF,
        data.APMBC_EIF,
        data.AS_OF,
    )
    # Nominal areas (UTM metres; geodesic areas differ by the scale factor): M1's 150 000 at
    # EIF, then M3's 10 000 beyond M1 and M2's 60 000; none of the CMR or AT land.
    assert r["mined_areas"]["total_m2"] == pytest.approx(220_000, rel=2e-3)
    assert r["remaining"]["remaining_m2"] == pytest.approx(40_000, rel=2e-3)
    released = r["since_eif"]
    assert released["released_m2"] == pytest.approx(
        released["cancelled_m2"] + released["reduced_m2"] + released["cleared_m2"], rel=1e-12
    )
    _check_annual(r["annual"], AP_REF, data.APMBC_EIF, data.AS_OF)
    items = {row["year"]: row["items_destroyed"] for row in r["annual"]}
    assert items[2016] == {"PMN-2": 12, "POMZ-2M": 3}  # not the AT minefield's TM-62
    assert items[2018] == {"PMN-2": 5}
    assert all(not found for year, found in items.items() if year not in (2016, 2018))
    # Article 5.1 and 5.3: ten years after EIF, extended once; the next meeting's due date.
    assert r["original_deadline"] == "2022-03-01"
    assert [e["meeting"] for e in r["extensions_granted"]] == []  # granted after 2018
    assert r["deadline_in_force"] == "2022-03-01"
    assert r["next_extension_request"] == {
        "meeting": "23MSP",
        "held_on": "2026-11-30",
        "request_due": "2026-02-28",
    }
    assert r["work_plan"]["max_extension_years"] == 10
    later = call("anonymous").get("/api/v1/reports/apmbc/article-5", params={"as_of": "2022-01-01"})
    assert later.json()["deadline_in_force"] == "2027-03-01"
    assert [e["meeting"] for e in later.json()["extensions_granted"]] == ["19MSP"]


def test_ccm_article_4_6_on_the_cmr_scope_and_its_old_path(call, both) -> None:
    anonymous = call("anonymous")
    params = {"as_of": data.AS_OF.isoformat()}
    new = anonymous.get("/api/v1/reports/ccm/article-4-6", params=params)
    assert new.status_code == 200, new.text
    r = new.json()
    assert (r["treaty"], r["contamination"]) == ("CCM", "CMR")
    _check_request_figures(
        {
            "baseline": r["d"]["baseline_at_eif_m2"],
            "discovered": r["d"]["discovered_after_eif_m2"],
            "total": r["d"]["total_m2"],
            "cancelled": r["e"]["cancelled_since_eif_m2"],
            "reduced": r["e"]["reduced_since_eif_m2"],
            "cleared": r["e"]["cleared_since_eif_m2"],
            "confirmed": r["e"]["confirmed_since_eif_m2"],
            "corrected": r["e"]["corrected_since_eif_m2"],
            "sha": r["f"]["remaining_sha_m2"],
            "cha": r["f"]["remaining_cha_m2"],
            "difference": r["check"]["difference_m2"],
        },
        CCM_REF,
        data.CCM_EIF,
        data.AS_OF,
    )
    assert r["d"]["total_m2"] == pytest.approx(130_000, rel=2e-3)  # the worked example
    _check_annual(r["annual"], CCM_REF, data.CCM_EIF, data.AS_OF)
    assert {row["year"]: row["items_destroyed"] for row in r["annual"]}[2016] == {"BLU-26": 1}
    assert r["work_plan"]["max_extension_years"] == 5
    # The path that came before answers the same report.
    old = anonymous.get("/api/v1/reports/article-4-6", params=params)
    assert old.status_code == 200 and old.json() == r


@pytest.mark.parametrize(
    ("treaty", "ref", "contamination", "items", "references"),
    [
        ("ccm", CCM_REF, "CMR", {"BLU-26": 1}, {"C1", "C2"}),
        ("apmbc", AP_REF, "AP mine", {"PMN-2": 12, "POMZ-2M": 3}, {"M1", "M2", "M3"}),
    ],
)
def test_article_7_of_each_treaty_against_the_reference(
    call, both, treaty, ref, contamination, items, references
) -> None:
    path = f"/api/v1/reports/{treaty}/article-7"
    assert call("anonymous").get(path, params={"year": 2016}).status_code == 401
    r = call("analyst").get(path, params={"year": 2016}).json()
    assert (r["treaty"], r["contamination"]) == (treaty.upper(), contamination)
    end = ref.totals(date(2016, 12, 31))
    assert exact(r["remaining"]["sha_m2"], end["SHA"])
    assert exact(r["remaining"]["cha_m2"], end["CHA"])
    flows = ref.flows(date(2015, 12, 31), date(2016, 12, 31))
    for method in ("cancelled", "reduced", "cleared"):
        assert exact(r["released"][f"{method}_m2"], flows[method]), method
    assert r["items_destroyed"] == items
    by_hazard = ref.remaining_by_hazard(date(2016, 12, 31))
    areas = {a["reference"]: a for a in r["areas"]}
    assert set(areas) == references == set(by_hazard)
    for reference, area in areas.items():
        assert area["contamination"] == contamination
        assert exact(area["remaining_m2"], by_hazard[reference]), reference
        cha = ref.remaining_by_hazard(date(2016, 12, 31), states=("CHA",)).get(reference, 0)
        assert area["hazard_class"] == ("CHA" if cha > 0 else "SHA")
    files = call("analyst").get(f"{path}/areas", params={"year": 2016}).json()
    assert {f["properties"]["reference"] for f in files["features"]} == references


def test_the_old_article_7_path_is_the_ccms(call, both) -> None:
    analyst = call("analyst")
    new = analyst.get("/api/v1/reports/ccm/article-7", params={"year": 2016}).json()
    old = analyst.get("/api/v1/reports/article-7", params={"year": 2016}).json()
    assert old == new


def test_each_treaty_is_a_scope_of_its_own_and_the_nation_counts_once(call, both) -> None:
    """The figures a dashboard shows per treaty: each type's own replay; the national figure
    counts land mined and contaminated by CMR at once only once."""
    anonymous = call("anonymous")
    for contamination, ref in (("CMR", CCM_REF), ("AP mine", AP_REF), (None, ALL_REF)):
        params = {
            "as_of": "2014-12-31",
            **({"contamination": contamination} if contamination else {}),
        }
        totals = anonymous.get("/api/v1/totals", params=params).json()
        expected = ref.totals(date(2014, 12, 31))
        assert exact(totals["sha_m2"], expected["SHA"]) and exact(totals["cha_m2"], expected["CHA"])
        assert totals["contamination"] == contamination
    per_type = [data.reference(c).totals(date(2014, 12, 31)) for c in ("CMR", "AP mine", "AT mine")]
    national = ALL_REF.totals(date(2014, 12, 31))
    assert sum(t["SHA"] + t["CHA"] for t in per_type) > national["SHA"] + national["CHA"] + 1_000


def test_work_plans_measure_extensions_by_each_treatys_rules(call, both) -> None:
    anonymous = call("anonymous")
    as_of = date(2021, 12, 31)  # the APMBC extension of November 2021 is in force
    slow = {"capacity_cancel": 0, "capacity_reduce": 0, "capacity_clear": 3_000}
    params = {"as_of": as_of.isoformat(), **slow}
    plans = {}
    for treaty, ref, rules, deadline in (
        ("apmbc", AP_REF, APMBC, date(2027, 3, 1)),
        ("ccm", CCM_REF, CCM, date(2020, 8, 1)),
    ):
        plan = anonymous.get(f"/api/v1/reports/{treaty}/work-plan", params=params).json()
        end = ref.totals(as_of)
        years = -(-(end["SHA"] + end["CHA"]) // 3_000)  # whole years of clearance from 2022
        completion = date(int(as_of.year + years), 12, 31)
        assert plan["completion_date"] == completion.isoformat(), treaty
        assert plan["deadline_in_force"] == deadline.isoformat()
        extension = next(n for n in range(30) if deadlines.add_years(deadline, n) >= completion)
        assert plan["extension_years_needed"] == extension
        assert plan["extension_requests_needed"] == -(-extension // rules.max_extension_years)
        assert (plan["treaty"], plan["contamination"]) == (treaty.upper(), rules.scope)
        plans[treaty] = plan
    # Nine years: one APMBC request (up to ten years each); twelve: three CCM ones (five).
    assert plans["apmbc"]["extension_years_needed"] > 5
    assert plans["apmbc"]["extension_requests_needed"] == 1
    assert plans["ccm"]["extension_requests_needed"] == 3
    old = anonymous.get("/api/v1/reports/work-plan", params=params).json()
    assert old == plans["ccm"]


def test_apmbc_downloads_say_their_treaty_in_the_readers_language(call, both) -> None:
    from openpyxl import load_workbook

    client = call("analyst")
    params = {"as_of": data.AS_OF.isoformat()}
    figures = client.get("/api/v1/reports/apmbc/article-5", params=params).json()
    xlsx = client.get("/api/v1/reports/apmbc/article-5", params={**params, "format": "xlsx"})
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx.headers["content-type"]
    assert 'filename="apmbc-article-5-2018-12-31.xlsx"' in xlsx.headers["content-disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Article 5", "by region", "annual", "work plan", "deadlines"]
    summary = {row[0]: row[1] for row in book["Article 5"].iter_rows(min_row=2, values_only=True)}
    key = "areas known or suspected to contain anti-personnel mines at entry into force"
    assert summary[key] == pytest.approx(figures["mined_areas"]["at_eif_m2"], rel=1e-12)
    assert isinstance(summary["remaining"], float)  # a number, not text
    assert summary["check: difference with remaining"] == pytest.approx(0, abs=1e-6)
    *_, total = book["by region"].iter_rows(min_row=2, values_only=True)
    assert total[4] == pytest.approx(figures["remaining"]["remaining_m2"], abs=1e-6)
    plan = {row[0]: row[1] for row in book["deadlines"].iter_rows(min_row=2, values_only=True)}
    assert plan["deadline in force"].date().isoformat() == "2022-03-01"  # a real date
    assert plan["next meeting a request can reach: request due"] == "23MSP: 2026-02-28"

    page = client.get("/api/v1/reports/apmbc/article-7", params={"year": 2016, "format": "html"})
    assert page.headers["content-type"].startswith("text/html")
    assert "APMBC Article 7: transparency report 2016, AP mine" in page.text
    assert "<h2>7.1(c) mined areas</h2>" in page.text and "M2" in page.text
    assert "<h2>7.1(g) destroyed by type</h2>" in page.text and "PMN-2" in page.text
    assert "TM-62" not in page.text and "BLU-26" not in page.text

    french = client.get(
        "/api/v1/reports/apmbc/article-7",
        params={"year": 2016, "format": "csv"},
        headers={"Accept-Language": "fr"},
    )
    with zipfile.ZipFile(io.BytesIO(french.content)) as zipped:
        # Files keep stable names whatever the language; their headers are the reader's.
        assert "mined-areas.csv" in zipped.namelist()
        mined = zipped.read("mined-areas.csv").decode()
    assert mined.startswith("référence,région,classe,ZSD restante (m²)")
    ccm_page = client.get("/api/v1/reports/ccm/article-4-6", params={**params, "format": "html"})
    assert "CCM Article 4.6: extension request figures, CMR, as of 2018-12-31" in ccm_page.text


def test_burndown_of_each_treaty_names_it(call, both) -> None:
    import xml.etree.ElementTree as ET

    def text_of(treaty: str) -> str:
        svg = call("anonymous").get(
            f"/api/v1/reports/{treaty}/burndown.svg",
            params={"as_of": "2022-06-30", "capacity_clear": 5_000},
        )
        assert svg.status_code == 200
        root = ET.fromstring(svg.content)
        return " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))

    apmbc = text_of("apmbc")
    assert "AP mine area, APMBC Article 5" in apmbc
    assert "original deadline, Article 5.1" in apmbc and "2022-03-01" in apmbc
    assert "extended by 19MSP" in apmbc and "2027-03-01" in apmbc
    ccm = text_of("ccm")
    assert "CMR area, CCM Article 4" in ccm and "original deadline, Article 4.1(a)" in ccm


def test_a_state_party_to_one_treaty_has_only_its_reports(call, conn) -> None:
    data.record(conn)
    assert call("authority").put("/api/v1/programme", json=data.CCM_ONLY).status_code == 200
    analyst = call("analyst")
    for path, params in (
        ("/api/v1/reports/apmbc/article-5", {}),
        ("/api/v1/reports/apmbc/article-7", {"year": 2016}),
        ("/api/v1/reports/apmbc/work-plan", {}),
        ("/api/v1/reports/apmbc/burndown.svg", {}),
        ("/api/v1/reports/apmbc/article-5/areas", {}),
        ("/api/v1/reports/apmbc/article-7/areas", {"year": 2016}),
    ):
        refused = analyst.get(path, params=params)
        assert refused.status_code == 404, path
        assert refused.json()["code"] == "programme.treaty_not_set"
    assert "APMBC" in refused.json()["detail"]
    french = analyst.get("/api/v1/reports/apmbc/article-5", headers={"Accept-Language": "fr"})
    assert french.json()["detail"].startswith("les paramètres du programme ne nomment pas")
    assert analyst.get("/api/v1/reports/ccm/article-4-6").status_code == 200
    summary = analyst.get("/api/v1/programme").json()
    assert list(summary["treaties"]) == ["CCM"]


def test_apmbc_mined_areas_as_files(call, both, tmp_path) -> None:
    import pyogrio

    client = call("analyst")
    params = {"as_of": data.AS_OF.isoformat()}
    report = client.get("/api/v1/reports/apmbc/article-5", params=params).json()
    gpkg = client.get("/api/v1/reports/apmbc/article-5/areas", params={**params, "format": "gpkg"})
    path = tmp_path / "mined.gpkg"
    path.write_bytes(gpkg.content)
    assert pyogrio.read_info(path)["features"] == 2  # M1 and M3: M2 is released by 2018
    geojson = client.get("/api/v1/reports/apmbc/article-5/areas", params=params).json()
    assert sum(f["properties"]["remaining_m2"] for f in geojson["features"]) == pytest.approx(
        report["remaining"]["remaining_m2"], rel=1e-9
    )
    assert call("anonymous").get("/api/v1/reports/apmbc/article-5/areas").status_code == 401
