"""The web interface in a real browser: Debian's Chromium driven by Playwright, against the
running service. Figures on screen are compared with the API's; the map is checked by the
colours of its pixels. Screenshots of every page are kept in test-artifacts/screenshots."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import shapely
from shapely.geometry import mapping

from app.__main__ import main as cli
from tests.support.files import write_layer
from tests.support.shapes import new_event, new_hazard, rect
from tests.test_regions import regions_file

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-artifacts" / "screenshots"
STATIC = ROOT / "app" / "web" / "static"
H1 = rect(0, 0, 400, 300)
CLEARED = rect(0, 0, 200, 300)  # the western half of H1, cleared in 2015
H2 = rect(1000, 0, 1300, 200)
PROGRAMME = {
    "country": "Testland",
    "eif": "2010-08-01",
    "meetings": [{"name": "30MSP", "kind": "MSP", "held_on": "2040-09-10"}],
}


@pytest.fixture
def site(call, tmp_path) -> None:
    """Regions, the programme, two hazards (half of the first cleared), a user with a
    password."""
    from app.auth.principal import Role
    from app.db import engine
    from app.services.accounts import create_user

    cli(["load-regions", str(regions_file(tmp_path))])
    authority = call("authority")
    assert authority.put("/api/v1/programme", json=PROGRAMME).status_code == 200
    for reference, geometry, hazard_class in (("H-1", H1, "SHA"), ("H-2", H2, "CHA")):
        body = new_hazard(reference, geometry, on="2012-03-01", hazard_class=hazard_class)
        assert authority.post("/api/v1/hazards", json=body).status_code == 201
    clearance = new_event(CLEARED, "clear", "2015-06-01", operator="NPA")
    assert authority.post("/api/v1/hazards/H-1/events", json=clearance).status_code == 201
    with engine().begin() as conn:
        create_user(conn, "pat", "National Mine Action Authority", Role.AUTHORITY, "correct horse")


@pytest.fixture
def open_page(browser, server_url: str) -> Iterator:
    """``open_page(token=None, width=1280, height=800, language="en")``: a fresh browser
    tab on the interface, signed in with ``token``; closed once its requests are done (the
    next test empties the database)."""
    contexts = []

    def opened(token: str | None = None, width: int = 1280, height: int = 800,
               language: str = "en"):  # fmt: skip
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        # The language and the token are in the browser's storage before any script runs.
        token_line = f"sessionStorage.setItem('landrelease.token', {json.dumps(token)});"
        context.add_init_script(
            f"localStorage.setItem('landrelease.language', {json.dumps(language)});"
            + (token_line if token else "")
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{server_url}/")
        page.wait_for_selector("body[data-ready=true]")
        page.errors = errors
        return page

    yield opened
    for context in contexts:
        for page in context.pages:
            page.wait_for_load_state("networkidle")
        context.close()


def go(page, name: str) -> None:
    page.evaluate(f"location.hash = '#/{name}'")
    page.wait_for_load_state("networkidle")


class HeldRequests:
    """Requests matching ``pattern`` wait until ``release()`` lets them go (``held``: those
    waiting); later ones go at once."""

    def __init__(self, page, pattern: str) -> None:
        self.held: list = []
        self.holding = True
        page.route(pattern, self._hold)

    def _hold(self, route) -> None:
        if self.holding:
            self.held.append(route)
        else:
            route.continue_()

    def release(self) -> None:
        self.holding = False
        for route in self.held:
            route.continue_()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def figure(page, name: str) -> float:
    element = page.wait_for_selector(f'[data-figure="{name}"]')
    return float(element.get_attribute("data-value"))


def test_sign_in_with_a_password_and_the_dashboard_shows_the_api_figures(
    open_page, call, site
) -> None:
    page = open_page()
    go(page, "signin")
    # Keyboard only: the labelled fields, Tab between them, Enter to send.
    page.get_by_label("User name").fill("pat")
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse")
    page.keyboard.press("Enter")
    page.wait_for_selector("#who:has-text('pat')")
    api = call("anonymous")
    today = api.get("/api/v1/totals").json()
    assert figure(page, "sha") == today["sha_m2"]
    assert figure(page, "cha") == today["cha_m2"]
    assert figure(page, "remaining") == today["remaining_m2"]
    shot(page, "dashboard")
    page.fill("#as-of", "2014-01-01")
    page.dispatch_event("#as-of", "change")
    before = api.get("/api/v1/totals", params={"as_of": "2014-01-01"}).json()
    page.wait_for_function(
        "v => document.querySelector('[data-figure=sha]').dataset.value == v",
        arg=str(before["sha_m2"]),
    )
    assert figure(page, "sha") == before["sha_m2"] != today["sha_m2"]
    released = api.get("/api/v1/land-release", params={"from": "2014-12-31", "to": "2015-12-31"})
    page.fill("#as-of", "2015-12-31")
    page.dispatch_event("#as-of", "change")
    page.wait_for_function(
        "v => document.querySelector('[data-figure=cleared]').dataset.value == v",
        arg=str(released.json()["cleared_m2"]),
    )
    rows = page.locator("#regions tbody tr")
    assert rows.count() == 2  # the two provinces of the test regions
    assert page.errors == []


def _show_h1(page) -> dict:
    """Zoom the map onto H-1 and return where its SHA and cleared halves are on screen."""
    page.wait_for_selector("main[data-map-ready=true]")
    west, south, east, north = H1.bounds
    page.evaluate(
        "b => landreleaseMap.fitBounds(b, {padding: 80, animate: false})",
        [[west, south], [east, north]],
    )
    page.wait_for_timeout(300)
    page.wait_for_function("() => landreleaseMap.loaded() && landreleaseMap.areTilesLoaded()")
    page.wait_for_timeout(500)
    # Inside each half, away from the test regions' boundaries (x = 200 m, y = 150 m).
    # Each half, and land just south of it in the same region (what the half is drawn on).
    points = {
        "sha": rect(300, 75, 300, 75).centroid,
        "cleared": rect(100, 75, 100, 75).centroid,
        "under_sha": rect(300, -40, 300, -40).centroid,
        "under_cleared": rect(100, -40, 100, -40).centroid,
    }
    return {
        name: page.evaluate(f"landreleaseMap.project([{p.x}, {p.y}])") for name, p in points.items()
    }


def _pixel(page, point: dict) -> tuple[int, int, int]:
    from PIL import Image

    png = page.locator("#map canvas").screenshot()
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return image.getpixel((round(point["x"]), round(point["y"])))


def _blend(colour: str, opacity: float, under: tuple[float, float, float]) -> tuple:
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return tuple(opacity * c + (1 - opacity) * u for c, u in zip(rgb, under, strict=True))


def _shade_of(share: float) -> str:
    from app.ogc.style import share_classes

    return next(
        c for low, high, c in share_classes() if low <= share and (high is None or share < high)
    )


def test_map_draws_land_in_its_colours_and_shows_a_timeline(open_page, call, tokens, site):
    page = open_page(tokens["analyst"])
    go(page, "map")
    where = _show_h1(page)
    sha, cleared = _pixel(page, where["sha"]), _pixel(page, where["cleared"])
    style = json.loads(page.evaluate("fetch('/ogc/styles/land-release').then(r => r.text())"))
    colours = style["metadata"]["legend"]
    # SHA is drawn at 50 % over the land under it, cleared land at 80 %.
    for drawn, colour, opacity, under in (
        (sha, colours["SHA"], 0.5, _pixel(page, where["under_sha"])),
        (cleared, colours["cleared"], 0.8, _pixel(page, where["under_cleared"])),
    ):
        expected = _blend(colour, opacity, under)
        assert all(abs(a - b) <= 10 for a, b in zip(drawn, expected, strict=True)), (
            drawn,
            expected,
        )
    assert sha[0] > sha[1] > sha[2]  # orange, over the province's blue shade
    assert cleared[1] > cleared[0] and cleared[1] > cleared[2]  # green
    # The land beside it is drawn in its province's shade (share still contaminated), at
    # 30 % from zoom 11 on, over the map's background.
    zoom = page.evaluate("landreleaseMap.getZoom()")
    assert zoom > 11
    provinces = call("anonymous").get("/ogc/collections/regions/items?filter=level=1").json()
    shaded = []
    for name in ("under_sha", "under_cleared"):
        point = shapely.geometry.Point(*page.evaluate(
            "p => landreleaseMap.unproject([p.x, p.y]).toArray()", where[name]))  # fmt: skip
        province = next(
            f
            for f in provinces["features"]
            if shapely.geometry.shape(f["geometry"]).contains(point)
        )
        shade = _shade_of(province["properties"]["remaining_share"])
        expected = _blend(shade, 0.3, (0xF8, 0xF8, 0xF4))
        drawn = _pixel(page, where[name])
        assert all(abs(a - b) <= 10 for a, b in zip(drawn, expected, strict=True)), (drawn, shade)
        shaded.append(drawn[0] < 0xF8 - 5)  # less red than the background: a blue shade
    assert shaded == [True, False]  # the east province has land left, the west none
    shot(page, "map")
    box = page.locator("#map canvas").bounding_box()
    page.mouse.click(box["x"] + where["sha"]["x"], box["y"] + where["sha"]["y"])
    page.wait_for_selector("#panel-title:has-text('H-1')")
    assert page.locator("[data-field=class]").inner_text().startswith("Suspected")
    timeline = page.locator("#timeline button")
    assert timeline.count() == 1 and "Clearance" in timeline.first.inner_text()
    timeline.first.click()
    assert timeline.first.get_attribute("aria-pressed") == "true"
    shot(page, "map-timeline")
    # An earlier date redraws the map: in 2014 nothing was cleared yet.
    page.fill("#map-as-of", "2014-01-01")
    page.dispatch_event("#map-as-of", "change")
    page.wait_for_timeout(300)
    page.wait_for_function("() => landreleaseMap.loaded() && landreleaseMap.areTilesLoaded()")
    page.wait_for_timeout(500)
    # The timeline's click moved the map: where the cleared half is now.
    cleared = rect(100, 75, 100, 75).centroid
    then = _pixel(page, page.evaluate(f"landreleaseMap.project([{cleared.x}, {cleared.y}])"))
    assert then[0] > then[1] > then[2]  # orange: still suspected
    assert page.errors == []


def test_the_panel_shows_land_a_neighbour_s_clearance_took(open_page, call, tokens, site):
    # A clearance of H-2, kept whole, reaching over the edge of H-1 (500 m east of H-2's).
    authority = call("authority")
    over = rect(350, 0, 1100, 100)
    response = authority.post(
        "/api/v1/hazards/H-2/events?overshoot=keep", json=new_event(over, "clear", "2016-01-01")
    )
    assert response.status_code == 201, response.text
    here = authority.get("/api/v1/hazards/H-1/events").json()["features"][-1]["properties"]
    page = open_page(tokens["analyst"])
    go(page, "map")
    page.wait_for_selector("main[data-map-ready=true]")
    page.fill("#find-reference", "H-1")
    page.press("#find-reference", "Enter")
    page.wait_for_selector("#panel-title:has-text('H-1')")
    marked = page.locator("#timeline [data-field=changed-by]")
    assert marked.count() == 1
    assert marked.inner_text().startswith("Clearance of H-2: ")
    lost = page.locator("#lineage li")
    assert lost.count() == 1 and "lost" in lost.inner_text() and "to H-2" in lost.inner_text()
    assert here["hazard_reference"] == "H-2" and here["changed_here_m2"] > 0
    assert page.errors == []


def test_the_panel_shows_land_a_neighbour_s_record_took(open_page, call, tokens, site):
    # A CHA recorded over the corner of H-1's land still suspected (its west half was
    # cleared): it confirms that land as its own.
    authority = call("authority")
    body = new_hazard("H-9", rect(150, 100, 250, 200), on="2017-01-01", hazard_class="CHA")
    assert authority.post("/api/v1/hazards", json=body).status_code == 201
    [record] = authority.get("/api/v1/hazards/H-1/events").json()["records_here"]
    assert record["hazard_reference"] == "H-9" and record["changed_here_m2"] > 0
    page = open_page(tokens["analyst"], language="fr")
    go(page, "map")
    page.wait_for_selector("main[data-map-ready=true]")
    page.fill("#find-reference", "H-1")
    page.press("#find-reference", "Enter")
    page.wait_for_selector("#panel-title:has-text('H-1')")
    entries = page.locator("#timeline > li")
    # The clearance of 2015, then the record of 2017, marked as another hazard's.
    assert entries.count() == 2
    taken = entries.nth(1)
    assert taken.get_attribute("data-from") == "H-9" and "from-other" in taken.get_attribute(
        "class"
    )
    text = taken.locator("[data-field=taken-by-record]").inner_text()
    assert text.startswith("pris par l’enregistrement de H-9, ")
    assert page.errors == []


def _geojson(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _hazard(reference: str, geometry) -> dict:
    properties = {
        "reference": reference, "hazard_class": "SHA", "contamination": "CMR",
        "recorded_on": "2020-05-01",
    }  # fmt: skip
    return {"type": "Feature", "properties": properties, "geometry": mapping(geometry)}


def test_upload_reports_a_bad_feature_then_applies_a_good_file(
    open_page, tokens, call, site, tmp_path
) -> None:
    page = open_page(tokens["authority"])
    go(page, "upload")
    a, b = rect(2000, 0, 2100, 100).exterior.coords[0], rect(2000, 0, 2100, 100).exterior.coords[2]
    bowtie = shapely.Polygon([a, b, (a[0], b[1]), (b[0], a[1])])  # crosses itself
    bad = _geojson(tmp_path / "survey.geojson",
                   [_hazard("H-5", rect(2000, 0, 2300, 300)), _hazard("H-6", bowtie)])  # fmt: skip
    page.set_input_files("#file", str(bad))
    page.wait_for_selector("#file-info:has-text('2 features')")
    page.click("#check")
    page.wait_for_selector("[data-status]")
    refused = page.locator("tr.rejected")
    assert refused.count() == 1
    assert "H-6" in refused.inner_text() and "crosses itself" in refused.inner_text()
    assert refused.locator("svg.minimap").count() == 1
    assert page.is_disabled("#apply")  # all or nothing, and one is bad
    shot(page, "upload-report")
    before = call("anonymous").get("/api/v1/totals").json()["remaining_m2"]
    good = _geojson(tmp_path / "survey-fixed.geojson", [_hazard("H-5", rect(2000, 0, 2300, 300))])
    page.set_input_files("#file", str(good))
    page.wait_for_selector("#file-info:has-text('1 feature,')")
    page.click("#check")
    page.wait_for_selector("[data-status='dry run']")
    page.click("#apply")
    page.wait_for_selector("[data-status='applied']")
    after = call("anonymous").get("/api/v1/totals").json()["remaining_m2"]
    assert after > before
    go(page, "dashboard")
    page.wait_for_function(
        "v => document.querySelector('[data-figure=remaining]')?.dataset.value == v", arg=str(after)
    )
    assert page.errors == []


def test_upload_of_a_geopackage_asks_which_layer(open_page, tokens, site, tmp_path) -> None:
    page = open_page(tokens["authority"])
    go(page, "upload")
    path = tmp_path / "survey.gpkg"
    records = [
        {"reference": f"G-{i}", "hazard_class": "SHA", "contamination": "CMR",
         "recorded_on": "2020-05-01"}
        for i in range(2)
    ]  # fmt: skip
    polygons = [rect(3000, 0, 3100, 100), rect(3300, 0, 3400, 100)]
    write_layer(path, "GPKG", polygons, records, layer="hazard_areas")
    write_layer(path, "GPKG", polygons[:1], records[:1], layer="old_areas")
    page.set_input_files("#file", str(path))
    page.wait_for_selector("#layer-choice:not([hidden])")
    assert page.is_disabled("#check")
    page.select_option("#layer", "hazard_areas")
    page.wait_for_selector("#file-info:has-text('2 features')")
    page.click("#check")
    page.wait_for_selector("[data-status='dry run']")
    assert not page.is_disabled("#apply")  # the layer went with the file: 2 accepted
    assert page.errors == []


def test_upload_of_a_file_in_a_crs_of_unknown_datum_asks_for_the_crs(
    open_page, tokens, tmp_path
) -> None:
    from tests.test_import_crs import BESSEL_UNKNOWN, NIS, _shapefile

    page = open_page(tokens["authority"])
    go(page, "upload")
    page.set_input_files("#file", str(_shapefile(tmp_path, NIS, "EPSG:6316", BESSEL_UNKNOWN)))
    refused = page.wait_for_selector("#file-info .error")
    assert "EPSG:6316 (MGI 1901 / Balkans zone 7)" in refused.inner_text()
    assert page.is_disabled("#check")
    assert page.evaluate("document.activeElement.id") == "crs"
    page.fill("#crs", "EPSG:6316")
    page.dispatch_event("#crs", "change")
    page.wait_for_selector("#file-info:has-text('Transformation: MGI 1901 to WGS 84')")
    page.click("#check")
    page.wait_for_selector("[data-status='dry run']")
    assert page.inner_text("#transformation").startswith("Transformation: MGI 1901 to WGS 84 (")
    assert page.errors == []


def test_the_authority_approves_a_pending_fact_and_the_dashboard_changes(
    open_page, tokens, call, site
) -> None:
    submitted = call("operator").post(
        "/api/v1/hazards", json=new_hazard("H-9", rect(3000, 0, 3200, 200))
    )
    assert submitted.status_code == 201
    before = call("anonymous").get("/api/v1/totals").json()["remaining_m2"]
    page = open_page(tokens["authority"])
    go(page, "review")
    item = page.wait_for_selector(".review-item[data-id='H-9']")
    assert "H-9" in item.inner_text()
    item.query_selector("[data-action=show]").click()
    page.wait_for_function("() => !landreleaseMap.isMoving() && landreleaseMap.areTilesLoaded()")
    shot(page, "review")
    item.query_selector("[data-action=approve]").click()
    page.wait_for_selector("[data-queue-empty=true]")
    after = call("anonymous").get("/api/v1/totals").json()["remaining_m2"]
    assert after > before
    go(page, "dashboard")
    page.wait_for_function(
        "v => document.querySelector('[data-figure=remaining]')?.dataset.value == v", arg=str(after)
    )


def test_reports_on_screen_and_the_xlsx_download(open_page, tokens, site, tmp_path):
    from openpyxl import load_workbook

    page = open_page(tokens["analyst"])
    go(page, "reports")
    page.wait_for_selector("#a46 table")
    page.wait_for_selector("#plan table")
    shot(page, "reports")
    with page.expect_download() as download_info:
        page.click("#a46-downloads button[data-format=xlsx]")
    saved = tmp_path / "report.xlsx"
    download_info.value.save_as(saved)
    book = load_workbook(saved)
    assert "Article 4.6" in book.sheetnames and "annual" in book.sheetnames
    # The work plan is recomputed as capacities change.
    first = page.locator("#plan [data-completion]").get_attribute("data-completion")
    page.fill("[data-capacity=cancel]", "1000000000")
    page.fill("[data-capacity=reduce]", "1000000000")
    page.fill("[data-capacity=clear]", "1000000000")
    page.wait_for_function(
        "v => document.querySelector('#plan [data-completion]')?.dataset.completion !== v",
        arg=first,
    )


BOTH_TREATIES = {
    "country": "Testland",
    "treaties": {
        "CCM": {k: v for k, v in PROGRAMME.items() if k != "country"},
        "APMBC": {
            "eif": "2012-03-01",
            "extensions": [
                {"meeting": "19MSP", "granted_on": "2021-11-19", "new_deadline": "2027-03-01"}
            ],
            "meetings": [{"name": "23MSP", "kind": "MSP", "held_on": "2026-11-30"}],
        },
    },
}


def _choose(page, treaty: str, figure_name: str, expected: float) -> None:
    page.select_option("#treaty", treaty)
    page.wait_for_function(
        "([name, v]) => document.querySelector(`[data-figure=${name}]`)?.dataset.value == v",
        arg=[figure_name, str(expected)],
    )


def test_the_dashboard_and_reports_follow_the_treaty_chosen(
    open_page, call, tokens, site, tmp_path
) -> None:
    """Each treaty's figures are those of its contamination, and say so; the choice is kept
    from the dashboard to the reports."""
    from openpyxl import load_workbook

    authority = call("authority")
    assert authority.put("/api/v1/programme", json=BOTH_TREATIES).status_code == 200
    minefield = new_hazard("M-1", rect(100, 0, 700, 250), on="2011-05-01", contamination="AP mine")
    assert authority.post("/api/v1/hazards", json=minefield).status_code == 201
    api = call("anonymous")

    def totals(contamination: str | None) -> dict:
        params = {"contamination": contamination} if contamination else {}
        return api.get("/api/v1/totals", params=params).json()

    cmr, mines, national = totals("CMR"), totals("AP mine"), totals(None)
    assert len({cmr["remaining_m2"], mines["remaining_m2"], national["remaining_m2"]}) == 3
    page = open_page(tokens["analyst"])
    # The first treaty of the programme is shown first: the CCM, on CMR only.
    assert figure(page, "remaining") == cmr["remaining_m2"]
    options = page.eval_on_selector_all("#treaty option", "os => os.map(o => o.value)")
    assert options == ["CCM", "APMBC", "all"]
    assert "CCM" in page.inner_text("#remaining-title") and "CMR" in page.inner_text("#scope-line")
    _choose(page, "APMBC", "remaining", mines["remaining_m2"])
    assert figure(page, "sha") == mines["sha_m2"]
    element = page.wait_for_selector("[data-figure=remaining]")
    assert element.get_attribute("data-treaty") == "APMBC"
    assert element.get_attribute("data-contamination") == "AP mine"
    for title in ("#remaining-title", "#released-title", "#regions-title", "#burndown-title"):
        assert "APMBC · anti-personnel mines (AP mine)" in page.inner_text(title), title
    assert page.inner_text("#deadline-title") == "APMBC Article 5 deadline"
    apmbc = api.get("/api/v1/programme").json()["treaties"]["APMBC"]
    page.wait_for_selector(f"[data-figure=deadline][data-value='{apmbc['deadline_in_force']}']")
    page.wait_for_function(
        "() => { const chart = document.querySelector('#burndown');"
        " return (chart.dataset.source || '').includes('/reports/apmbc/burndown.svg')"
        " && chart.complete"
        " && chart.naturalWidth > 0; }"
    )
    shot(page, "dashboard-apmbc")
    _choose(page, "all", "remaining", national["remaining_m2"])
    assert page.is_hidden("#burndown")
    # The reports open on the treaty chosen last (the choice is kept).
    _choose(page, "APMBC", "remaining", mines["remaining_m2"])
    go(page, "reports")
    page.wait_for_selector("#a5 table")
    assert page.locator("#a46").count() == 0
    assert "Article 5" in page.inner_text("#a5-title") and "APMBC" in page.inner_text("#a5-title")
    page.wait_for_selector("#plan [data-requests]")
    shot(page, "reports-apmbc")
    with page.expect_download() as download_info:
        page.click("#a5-downloads button[data-format=xlsx]")
    saved = tmp_path / "article-5.xlsx"
    download_info.value.save_as(saved)
    assert load_workbook(saved).sheetnames[0] == "Article 5"
    page.select_option("#treaty", "CCM")
    page.wait_for_selector("#a46 table")
    assert page.errors == []


def test_a_state_party_to_one_treaty_sees_only_that_one(open_page, tokens, site) -> None:
    page = open_page(tokens["analyst"])
    page.wait_for_selector("[data-figure=remaining]")
    options = page.eval_on_selector_all("#treaty option", "os => os.map(o => o.value)")
    assert options == ["CCM", "all"]
    assert page.inner_text("#deadline-title") == "CCM Article 4 deadline"
    go(page, "reports")
    page.wait_for_selector("#a46 table")
    assert page.locator("#treaty").count() == 0  # nothing to choose
    assert "CCM · cluster munition remnants (CMR)" in page.inner_text("#a46-title")
    assert page.errors == []


def test_a_signed_out_visitor_sees_figures_but_no_hazard_geometry(open_page, call, site):
    page = open_page()
    assert (
        figure(page, "remaining") == call("anonymous").get("/api/v1/totals").json()["remaining_m2"]
    )
    nav = page.locator("#nav").inner_text()
    assert "Upload" not in nav and "Review" not in nav
    go(page, "map")
    page.wait_for_selector("main[data-map-ready=true]")
    assert page.evaluate("landreleaseMap.getLayer('land-fill') === undefined")
    statuses = page.evaluate(
        """async () => Promise.all(['/ogc/collections/land/items', '/api/v1/hazards',
            '/ogc/collections/land/tiles/WebMercatorQuad/0/0/0', '/api/v1/export/hazards']
          .map(p => fetch(p).then(r => r.status)))"""
    )
    assert statuses == [401, 401, 401, 401]
    shot(page, "map-visitor")


def test_french_text_and_number_formats(open_page, site) -> None:
    page = open_page(language="fr")
    value = page.wait_for_selector("[data-figure=remaining]").inner_text()
    # French groups thousands with a narrow no-break space and always shows the unit.
    assert re.fullmatch(r"\d{1,3}(\u202f\d{3})*\u00a0m²", value), value
    assert page.locator("h1").inner_text() == "Chiffres nationaux"
    # The regions table's short headers are French words too, as on the cards.
    page.wait_for_selector("#regions thead th")
    headers = page.locator("#regions thead th").all_inner_texts()
    assert [h.strip() for h in headers[1:3]] == ["ZSD", "ZDC"], headers
    shot(page, "dashboard-fr")


def test_leaving_the_dashboard_before_its_settings_arrive_is_quiet(open_page, site) -> None:
    """The treaty settings answer after the person has gone to the map: the dashboard drops
    that late answer instead of writing into a page that is no longer there."""
    page = open_page()
    go(page, "map")
    settings = HeldRequests(page, "**/api/v1/programme*")
    page.evaluate("location.hash = '#/dashboard'")
    page.wait_for_selector("#treaty-choice", state="attached")
    page.evaluate("location.hash = '#/map'")
    page.wait_for_selector("#find-reference")
    assert settings.held, "the dashboard asked for no treaty settings"
    settings.release()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)  # the late answer is read, and written nowhere
    assert page.errors == []


def test_a_hazard_asked_for_before_the_map_is_ready_opens_once_it_is(
    open_page, tokens, site
) -> None:
    """Enter in the map's form while its style is still on the way: the page is not
    reloaded, and the hazard's panel opens once the map has loaded."""
    page = open_page(tokens["analyst"])
    style = HeldRequests(page, "**/ogc/styles/land-release*")
    page.evaluate("location.hash = '#/map'")
    page.wait_for_selector("#find-reference")
    page.fill("#find-reference", "H-1")
    page.press("#find-reference", "Enter")
    page.wait_for_timeout(300)
    assert style.held, "the map asked for no style"
    assert "?" not in page.url, page.url  # no form sent by the browser: no reload
    style.release()
    page.wait_for_selector("#panel-title:has-text('H-1')")
    assert page.errors == []


def test_tablet_width_and_labelled_controls(open_page, tokens, site) -> None:
    page = open_page(tokens["authority"], width=768, height=1024)
    for name in ("dashboard", "map", "upload", "review", "reports"):
        go(page, name)
        page.wait_for_timeout(300)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('main input, main select, main button')]
                .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                             && !e.textContent.trim())
                .map(e => e.outerHTML.slice(0, 80))"""
        )
        assert unlabelled == [], (name, unlabelled)
        shot(page, f"tablet-{name}")


def test_catalogues_are_complete() -> None:
    english = json.loads((STATIC / "i18n" / "en.json").read_text())
    french = json.loads((STATIC / "i18n" / "fr.json").read_text())
    assert english.keys() == french.keys()
    assert all(french[k].strip() for k in french)
    used = set()
    for script in (STATIC / "js").rglob("*.js"):
        used |= set(re.findall(r"\bt\(\"([a-z0-9_.]+)\"", script.read_text()))
    used |= set(re.findall(r'data-i18n="([a-z0-9_.]+)"', (STATIC / "index.html").read_text()))
    counted = set()
    for script in (STATIC / "js").rglob("*.js"):
        counted |= set(re.findall(r"\bplural\(\"([a-z0-9_.]+)\"", script.read_text()))
    assert counted and all(f"{key}.other" in english for key in counted)
    assert used - english.keys() == set()


def test_every_asset_comes_from_the_service(open_page, server_url, tokens, site) -> None:
    """Nothing is fetched from another host (no CDN, no online tiles): it works offline."""
    page = open_page(tokens["analyst"])
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for name in ("dashboard", "map", "reports"):
        go(page, name)
    page.goto(f"{server_url}/docs")
    page.wait_for_selector(".swagger-ui .info")
    outside = [url for url in requested if not url.startswith((server_url, "data:", "blob:"))]
    assert requested and outside == []
