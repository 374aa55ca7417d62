"""Submissions in the browser (Chromium): one upload per Apply however fast the clicks, the
truth told after applying, My submissions with withdrawal, timelines that show unofficial
entries as such, and review of an upload as a whole."""

from __future__ import annotations

import shapely

from tests import test_web
from tests.support.reference import area_m2
from tests.support.shapes import new_event, new_hazard, rect
from tests.test_web import _geojson, _hazard, go, shot

# The page and the site of the other browser tests.
open_page, site = test_web.open_page, test_web.site


def test_a_double_click_on_apply_sends_one_upload_and_says_it_was_sent_for_review(
    open_page, tokens, call, site, tmp_path
) -> None:
    page = open_page(tokens["operator"])
    go(page, "upload")
    polygons = [rect(2000, 0, 2300, 300), rect(2500, 0, 2600, 100)]
    path = _geojson(
        tmp_path / "survey.geojson", [_hazard(f"U-{i}", p) for i, p in enumerate(polygons)]
    )
    page.set_input_files("#file", str(path))
    page.wait_for_selector("#file-info:has-text('2 features')")
    page.click("#check")
    page.wait_for_selector("[data-status='dry run']")
    assert "would be sent for review" in page.inner_text("#outcome")
    sent: list[str] = []
    page.on(
        "request",
        lambda r: (
            sent.append(r.post_data or "")
            if r.method == "POST" and r.url.endswith("/api/v1/imports")
            else None
        ),
    )
    page.dblclick("#apply")
    page.wait_for_selector("[data-status='applied']")
    page.wait_for_load_state("networkidle")
    assert len(sent) == 1
    assert page.is_disabled("#apply")
    outcome = page.inner_text("#outcome")
    requested = sum(area_m2(p) for p in polygons)
    assert outcome.startswith("Sent for review: 2 features, ")
    shown = int(outcome.split(", ")[1].split("\u00a0m²")[0].replace(",", ""))
    assert abs(shown - requested) <= 1
    assert "imported" not in page.inner_text("#report").lower()
    assert call("authority").get("/api/v1/review").json()["count"] == 2
    shot(page, "upload-sent-for-review")

    # My submissions: the upload and its facts, pending; withdrawn at a click.
    page.click("#outcome a")
    page.wait_for_selector("#uploads tbody tr")
    row = page.locator("#uploads tbody tr").first
    assert row.locator("[data-status]").get_attribute("data-status") == "pending"
    assert page.locator("#facts tbody tr").count() == 2
    page.fill("#withdraw-reason", "sent the wrong survey")
    row.locator("[data-withdraw-upload]").click()
    page.wait_for_selector("#uploads tbody tr [data-status='withdrawn']")
    facts = page.locator("#facts tbody tr")
    assert facts.count() == 2 and "sent the wrong survey" in facts.first.inner_text()
    assert call("authority").get("/api/v1/review").json()["count"] == 0
    shot(page, "my-submissions")
    assert page.errors == []


def test_the_timeline_shows_pending_and_rejected_entries_as_such(
    open_page, tokens, call, site
) -> None:
    operator, authority = call("operator"), call("authority")
    submitted = operator.post(
        "/api/v1/hazards/H-1/events", json=new_event(rect(200, 0, 300, 300), "clear", "2016-05-01")
    )
    assert submitted.status_code == 201
    rejected = operator.post(
        "/api/v1/hazards/H-1/events", json=new_event(rect(300, 0, 400, 300), "clear", "2016-06-01")
    ).json()["id"]
    answer = authority.post(
        f"/api/v1/review/events/{rejected}/reject", json={"reason": "no report"}
    )
    assert answer.status_code == 200

    def timeline(token: str) -> list[tuple[str, str]]:
        page = open_page(token)
        go(page, "map")
        page.fill("#find-reference", "H-1")
        page.press("#find-reference", "Enter")
        page.wait_for_selector("#panel-title:has-text('H-1')")
        entries = page.locator("#timeline li")
        found = [
            (entries.nth(i).get_attribute("data-status"), entries.nth(i).inner_text())
            for i in range(entries.count())
        ]
        assert page.errors == []
        return found

    seen = timeline(tokens["operator"])
    assert [status for status, _ in seen] == ["approved", "pending", "rejected"]
    assert "Awaiting review" in seen[1][1] and "requested, not in the figures" in seen[1][1]
    assert "Rejected" in seen[2][1] and "Reason: no report" in seen[2][1]
    assert "Awaiting review" not in seen[0][1]
    # Another organisation sees the official entry only.
    assert [status for status, _ in timeline(tokens["other_operator"])] == ["approved"]

    # A hazard awaiting review says so in its panel; its rejection says why.
    hazard = new_hazard("P-1", rect(2000, 0, 2100, 100))
    assert operator.post("/api/v1/hazards", json=hazard).status_code == 201

    def panel_status(token: str, reference: str) -> str:
        page = open_page(token)
        go(page, "map")
        page.fill("#find-reference", reference)
        page.press("#find-reference", "Enter")
        page.wait_for_selector("#panel-title, #hazard-panel .error")
        assert page.inner_text("#panel-title") == reference and page.errors == []
        status = page.locator("#hazard-panel [data-field=status]")
        return status.inner_text() if status.count() else ""

    assert panel_status(tokens["operator"], "P-1") == "Awaiting review"
    assert panel_status(tokens["operator"], "H-1") == ""  # official: nothing to say
    reason = {"reason": "polygon outside the province"}
    assert authority.post("/api/v1/review/hazards/P-1/reject", json=reason).status_code == 200
    told = panel_status(tokens["authority"], "P-1")
    assert told.startswith("Rejected") and "polygon outside the province" in told


def test_the_authority_previews_and_approves_an_upload_as_a_whole(
    open_page, tokens, call, site, tmp_path
) -> None:
    from tests.support.files import write_layer

    # Three clearances of H-2's land, in one file, from an operator.
    polygons = [rect(1000, 0, 1100, 200), rect(1100, 0, 1200, 200), rect(1200, 0, 1300, 200)]
    records = [{"hazard": "H-2", "kind": "clear", "date": "2016-04-01"} for _ in polygons]
    path = write_layer(tmp_path / "clearance.geojson", "GeoJSON", polygons, records)
    with path.open("rb") as f:
        sent = call("operator").post(
            "/api/v1/imports", files={"file": (path.name, f)}, data={"target": "events"}
        )
    import_id = sent.json()["id"]
    expected = call("authority").get(f"/api/v1/review/uploads/{import_id}/preview").json()
    before = call("anonymous").get("/api/v1/totals").json()

    page = open_page(tokens["authority"])
    go(page, "review")
    article = page.wait_for_selector(f".review-upload[data-upload='{import_id}']")
    assert "3 features await review" in article.inner_text()
    article.query_selector("[data-action=preview]").click()
    after = page.wait_for_selector("[data-after=cha_m2]")
    assert float(after.get_attribute("data-value")) == expected["after"]["cha_m2"]
    assert "Cleared" in page.inner_text("[data-change]")
    page.wait_for_function("() => !landreleaseMap.isMoving() && landreleaseMap.areTilesLoaded()")
    drawn = page.evaluate("landreleaseMap.getSource('upload-preview')._data.features.length")
    assert drawn == len(expected["land"]["features"]) > 0
    shot(page, "review-upload-preview")
    article.query_selector("[data-action=approve-upload]").click()
    page.wait_for_selector("[data-queue-empty=true]")
    now = call("anonymous").get("/api/v1/totals").json()
    assert now["cha_m2"] == expected["after"]["cha_m2"] != before["cha_m2"]
    assert page.errors == []


def test_the_authority_rejects_an_upload_whole_and_the_operator_reads_why(
    open_page, tokens, call, site, tmp_path
) -> None:
    from tests.support.files import write_layer

    polygons = [rect(1000, 0, 1100, 200), rect(1100, 0, 1200, 200)]
    records = [{"hazard": "H-2", "kind": "clear", "date": "2016-04-01"} for _ in polygons]
    path = write_layer(tmp_path / "clearance.geojson", "GeoJSON", polygons, records)
    with path.open("rb") as f:
        sent = call("operator").post(
            "/api/v1/imports", files={"file": (path.name, f)}, data={"target": "events"}
        )
    import_id = sent.json()["id"]
    before = call("anonymous").get("/api/v1/totals").json()

    page = open_page(tokens["authority"])
    go(page, "review")
    article = page.wait_for_selector(f".review-upload[data-upload='{import_id}']")
    article.query_selector("[data-reason]").fill("no completion report attached")
    article.query_selector("[data-action=reject-upload]").click()
    page.wait_for_selector("[data-queue-empty=true]")
    assert call("anonymous").get("/api/v1/totals").json() == before
    assert page.errors == []

    page = open_page(tokens["operator"])
    go(page, "submissions")
    row = page.wait_for_selector(f"#uploads tbody tr[data-upload='{import_id}']")
    assert row.query_selector("[data-status]").get_attribute("data-status") == "rejected"
    assert "no completion report attached" in row.inner_text()
    assert "aziz" in row.inner_text() and row.query_selector("[data-withdraw-upload]") is None
    facts = page.locator("#facts tbody tr")
    assert facts.count() == 2
    for i in range(2):
        assert facts.nth(i).locator("[data-status]").get_attribute("data-status") == "rejected"
        assert "no completion report attached" in facts.nth(i).inner_text()
    assert page.errors == []


def test_the_french_page_shows_the_services_messages_in_french_in_its_own_words(
    open_page, tokens, site, tmp_path
) -> None:
    page = open_page(tokens["authority"], language="fr")
    go(page, "upload")
    a, b = rect(2000, 0, 2100, 100).exterior.coords[0], rect(2000, 0, 2100, 100).exterior.coords[2]
    bowtie = shapely.Polygon([a, b, (a[0], b[1]), (b[0], a[1])])
    path = _geojson(tmp_path / "releve.geojson",
                    [_hazard("F-1", rect(2500, 0, 2600, 100)), _hazard("F-2", bowtie)])  # fmt: skip
    page.set_input_files("#file", str(path))
    page.wait_for_selector("#file-info:has-text('2 entités')")
    page.click("#check")
    page.wait_for_selector("[data-status]")
    refused = page.locator("tr.rejected").inner_text()
    assert "polygone invalide : le contour se croise lui-même" in refused
    # The page's own words for what to do, not the API's.
    assert "cochez « Réparer les polygones invalides »" in refused
    assert "repair=true" not in refused and "Polygone" in refused
    assert "1 entité sur 2 est refusée : rien n’a été importé" in page.inner_text("#report")
    shot(page, "upload-report-fr")
    assert page.errors == []


def test_the_french_page_asks_for_the_crs_in_its_own_box(open_page, tokens, tmp_path) -> None:
    from tests.test_import_crs import BESSEL_UNKNOWN, NIS, _shapefile

    page = open_page(tokens["operator"], language="fr")
    go(page, "upload")
    page.set_input_files("#file", str(_shapefile(tmp_path, NIS, "EPSG:6316", BESSEL_UNKNOWN)))
    refused = page.wait_for_selector("#file-info .error").inner_text()
    assert "aucun décalage de ce datum vers WGS 84 n’est connu" in refused
    assert "EPSG:6316 (MGI 1901 / Balkans zone 7)" in refused
    assert "saisissez dans la case SCR ci-dessus le système de coordonnées du fichier" in refused
    assert "crs=" not in refused and "Une erreur est survenue" not in refused
    assert page.errors == []


def test_a_request_error_is_said_as_it_is_and_a_server_fault_as_something_wrong(
    open_page, tokens, site
) -> None:
    page = open_page(tokens["analyst"], language="fr")
    go(page, "map")
    page.fill("#find-reference", "NOPE")
    page.press("#find-reference", "Enter")
    alert = page.wait_for_selector("#hazard-panel .error")
    assert alert.inner_text() == "aucune zone dangereuse n’a la référence « NOPE »"
    page.route("**/api/v1/hazards/H-1?*", lambda route: route.fulfill(status=500, body="oops"))
    page.fill("#find-reference", "H-1")
    page.press("#find-reference", "Enter")
    page.wait_for_selector("#hazard-panel .error:has-text('Une erreur est survenue')")


def test_downloads_and_the_chart_follow_the_pages_language(open_page, tokens, site, tmp_path):
    from openpyxl import load_workbook

    page = open_page(tokens["analyst"], language="fr")
    page.wait_for_function("document.querySelector('#burndown')?.dataset.language === 'fr'")
    chart = page.evaluate("fetch(document.querySelector('#burndown').src).then(r => r.text())")
    assert "superficie restante (km²)" in chart
    go(page, "reports")
    page.wait_for_selector("#a46 table")
    with page.expect_download() as download_info:
        page.click("#a46-downloads button[data-format=xlsx]")
    saved = tmp_path / "rapport.xlsx"
    download_info.value.save_as(saved)
    assert "par année" in load_workbook(saved).sheetnames
    assert page.errors == []


def test_the_upload_page_maps_a_files_own_words_to_ours(
    open_page, tokens, call, site, tmp_path
) -> None:
    from tests.support.files import write_layer

    polygons = [rect(1000, 0, 1050, 200), rect(1100, 0, 1150, 200), rect(1200, 0, 1250, 200)]
    records = [
        {"hazard": "H-2", "activity": kind, "date": "2016-04-01"}
        for kind in ("Clearance", "CLR", "Cancellation")
    ]
    path = write_layer(tmp_path / "activities.geojson", "GeoJSON", polygons, records)
    page = open_page(tokens["operator"])
    go(page, "upload")
    page.select_option("#target", "events")
    page.set_input_files("#file", str(path))
    page.wait_for_selector("#file-info:has-text('3 features')")
    page.select_option("#mapping-rows select[data-property=kind]", "activity")
    lists = page.locator(".value-map[data-property=kind] select")
    assert lists.count() == 3
    # The interface's own words are recognised; CLR is the file's own: chosen here.
    chosen = {
        lists.nth(i).get_attribute("data-file-value"): lists.nth(i).input_value() for i in range(3)
    }
    assert chosen == {"Cancellation": "cancel", "Clearance": "clear", "CLR": ""}
    page.select_option(".value-map select[data-file-value=CLR]", "clear")
    page.click("#check")
    page.wait_for_selector("[data-status='dry run']")
    # Read as a cancellation, which changes nothing of H-2's confirmed land.
    assert page.locator("tr.rejected").count() == 1
    assert "this cancellation changes no land" in page.inner_text("tr.rejected")
    page.select_option("#on-error", "skip")
    page.click("#check")
    page.wait_for_selector("#report [data-status='dry run']")
    page.click("#apply")
    page.wait_for_selector("[data-status='applied']")
    kinds = [f["kind"] for f in call("operator").get("/api/v1/submissions/facts").json()["facts"]]
    assert sorted(kinds) == ["clear", "clear"]
    shot(page, "upload-values")
    assert page.errors == []
