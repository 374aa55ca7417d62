"""The map at national and provincial zoom, in a real browser: each hazard's land is far
smaller than a pixel there, so it is drawn as a circle in its class's colour (or a cluster
of them); the provinces' shades use no colour of a land state."""

from __future__ import annotations

import json

from tests import test_web
from tests.test_web import _pixel, go, shot

# The page and the site of the other browser tests (H-1 SHA, half cleared; H-2 CHA).
open_page, site = test_web.open_page, test_web.site


def _settle(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_function("() => landreleaseMap.loaded() && landreleaseMap.areTilesLoaded()")
    page.wait_for_timeout(500)


def _rgb(colour: str) -> tuple[int, ...]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _close(pixel, colour: tuple, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def test_at_national_zoom_each_hazard_is_a_circle_in_its_class_colour(
    open_page, tokens, call, site
) -> None:
    page = open_page(tokens["analyst"])
    go(page, "map")
    page.wait_for_selector("main[data-map-ready=true]")
    symbols = call("analyst").get("/api/v1/hazard-symbols").json()["features"]
    where = {f["properties"]["reference"]: f["geometry"]["coordinates"] for f in symbols}
    style = json.loads(page.evaluate("fetch('/ogc/styles/land-release').then(r => r.text())"))
    sha, cha = _rgb(style["metadata"]["legend"]["SHA"]), _rgb(style["metadata"]["legend"]["CHA"])
    # Zoom 11: a pixel is ~75 m; each hazard (300 m across) is a circle of its own.
    page.evaluate("c => landreleaseMap.jumpTo({center: c, zoom: 11})", where["H-1"])
    _settle(page)
    for reference, colour in (("H-1", sha), ("H-2", cha)):
        point = page.evaluate("c => landreleaseMap.project(c)", where[reference])
        pixel = _pixel(page, point)
        assert _close(pixel, colour), (reference, pixel, colour)
    # Zoom 6, a country on the screen: the two hazards are one cluster, drawn in CHA's colour
    # (half its land is confirmed), big enough to be seen; the land around it is not red.
    page.evaluate("c => landreleaseMap.jumpTo({center: c, zoom: 6})", where["H-1"])
    # The test's provinces are 4 km wide: at zoom 6 their names sit on the cluster itself.
    page.add_style_tag(content=".region-label { visibility: hidden; }")
    _settle(page)
    middle = [(a + b) / 2 for a, b in zip(where["H-1"], where["H-2"], strict=True)]
    point = page.evaluate("c => landreleaseMap.project(c)", middle)
    shot(page, "map-national-symbols")
    rendered = page.evaluate(
        "p => landreleaseMap.queryRenderedFeatures([p.x, p.y], {layers: ['hazard-symbols']})"
        ".map(f => f.properties)",
        point,
    )
    assert _close(_pixel(page, point), cha), rendered
    beside = {"x": point["x"] + 40, "y": point["y"]}
    assert not _close(_pixel(page, beside), cha)
    # From zoom 12 on, the land itself in its colours instead (test_web checks them).
    page.evaluate("c => landreleaseMap.jumpTo({center: c, zoom: 16})", where["H-2"])
    _settle(page)
    rendered = page.evaluate("() => landreleaseMap.queryRenderedFeatures().map(f => f.layer.id)")
    assert "hazard-symbols" not in rendered and "land-fill" in rendered
    assert page.errors == []


def test_the_province_shades_use_no_colour_of_a_land_state(open_page, site) -> None:
    page = open_page()
    go(page, "map")
    style = json.loads(page.evaluate("fetch('/ogc/styles/land-release').then(r => r.text())"))
    states = [_rgb(c) for c in style["metadata"]["legend"].values()]

    def blueness(rgb: tuple[int, ...]) -> int:
        return rgb[2] - max(rgb[0], rgb[1])

    assert all(blueness(state) <= 0 for state in states)  # no land state is blue
    for _, shade in style["metadata"]["region_shades"][1:]:
        for state in states:
            distance = sum((a - b) ** 2 for a, b in zip(_rgb(shade), state, strict=True)) ** 0.5
            # Far from every land state's colour, or plainly blue beside it.
            assert distance > 60 or blueness(_rgb(shade)) >= 30, (shade, state)


def test_the_dashboard_says_what_each_figure_covers_and_a_passed_deadline(
    open_page, tokens, site
) -> None:
    page = open_page(tokens["analyst"])
    go(page, "dashboard")
    page.wait_for_selector("[data-figure=remaining]")
    page.fill("#as-of", "2021-03-01")
    page.dispatch_event("#as-of", "change")
    page.wait_for_selector("#deadline-scope:has-text('2021')")
    page.wait_for_selector("#remaining-scope:has-text('2021')")
    # The programme's one treaty, the CCM, is chosen: its figures are those of CMR.
    ccm = "CCM · cluster munition remnants (CMR), as of 1 Mar 2021"
    assert page.inner_text("#remaining-scope") == ccm
    assert page.inner_text("#regions-scope") == ccm
    assert "(CMR)" in page.inner_text("#burndown-scope")
    assert page.inner_text("#deadline-scope") == "Testland, as of 1 Mar 2021"
    # EIF 1 Aug 2010: the deadline of 1 Aug 2020 had passed; no request can be due after it.
    deadline = page.inner_text("#deadline")
    assert "1 Aug 2020" in deadline and "had passed" in deadline
    assert page.locator("[data-figure=request-due]").count() == 0
    assert page.get_attribute("[data-figure=days-left]", "data-value") == "-212"
    shot(page, "dashboard-deadline-passed")
    assert page.errors == []


def test_reports_show_every_term_of_the_check_and_the_pdf_downloads(
    open_page, tokens, call, site, tmp_path
) -> None:
    page = open_page(tokens["analyst"])
    go(page, "reports")
    page.wait_for_selector("#a46 table")
    page.wait_for_selector("#plan table")
    report = call("analyst").get("/api/v1/reports/article-4-6").json()
    text = page.inner_text("#a46")
    assert "Corrected" in text and "Check, term by term" in text
    rows = page.locator("#a46 table").nth(1).locator("tbody tr")
    assert rows.count() == 6  # (d), − released, − corrected, =, (f), difference
    assert "-0" not in text and "−0" not in text
    assert f"{round(report['check']['d_total_m2']):,}" in text
    assert "CMR only" in page.inner_text("#a46 .scope")
    assert "at most 5 years each" in page.inner_text("#plan") or "none" in page.inner_text("#plan")
    with page.expect_download() as download_info:
        page.click("#a46-downloads button[data-format=pdf]")
    saved = tmp_path / "report.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    shot(page, "reports-check")
    assert page.errors == []


def test_the_basemap_under_the_land_with_place_names(
    open_page, tokens, site, migrated_database, tmp_path
) -> None:
    import shapely
    from sqlalchemy import text

    from app.db import owner_engine
    from app.services import basemap as prepare
    from app.storage.basemap import BasemapRow, replace_layer
    from tests.support.shapes import rect
    from tests.test_basemap import _wheel

    place = rect(600, 100, 600, 100).centroid
    river = shapely.LineString(
        [rect(-1500, -500, -1500, -500).centroid, rect(1500, 900, 1500, 900).centroid]
    )
    cities = {
        "1": {
            "name": "Ban Test",
            "latitude": place.y,
            "longitude": place.x,
            "population": 800,
            "alternatenames": ["ບ້ານທົດສອບ"],
        }
    }
    # The basemap is loaded by a maintenance command, as the owner: the service only reads it.
    conn = owner_engine().connect()
    try:
        with conn.begin():
            prepare.load_places(conn, _wheel(tmp_path, cities), (100, 10, 110, 25))
            replace_layer(
                conn, "rivers", [BasemapRow(shapely.to_wkb(river), rank=2)], "GSHHG", "LGPL"
            )
        page = open_page(tokens["analyst"])
        go(page, "map")
        page.wait_for_selector("main[data-map-ready=true]")
        assert "places" in page.get_attribute("#basemap-note", "data-basemap")
        assert "GeoNames" in page.inner_text("#basemap-note")
        page.evaluate("c => landreleaseMap.jumpTo({center: c, zoom: 14})", [place.x, place.y])
        _settle(page)
        page.wait_for_selector(".place-label:has-text('Ban Test')")
        rendered = page.evaluate(
            "() => landreleaseMap.queryRenderedFeatures().map(f => f.layer.id)"
        )
        assert "basemap-rivers" in rendered and "basemap-places" in rendered
        shot(page, "map-basemap")
        assert page.errors == []
    finally:
        if conn.in_transaction():
            conn.rollback()
        with conn.begin():
            conn.execute(text("DELETE FROM basemap_features; DELETE FROM basemap_sources"))
        conn.close()


def test_without_a_basemap_the_map_says_so(open_page, tokens, site) -> None:
    page = open_page(tokens["analyst"])
    go(page, "map")
    page.wait_for_selector("main[data-map-ready=true]")
    assert page.get_attribute("#basemap-note", "data-basemap") == "none"
    assert "No basemap is prepared" in page.inner_text("#basemap-note")


def test_charts_in_the_page_show_a_year_s_figures_and_key_columns_fit_a_tablet(
    open_page, tokens, call, site
) -> None:
    page = open_page(tokens["analyst"], width=768, height=1024)
    go(page, "dashboard")
    page.wait_for_selector("#burndown-chart svg")
    page.wait_for_selector("#released-chart svg")
    page.wait_for_selector("#province-chart svg")
    report = call("analyst").get("/api/v1/reports/article-4-6").json()
    year_2015 = next(y for y in report["annual"] if y["year"] == 2015)
    column = page.locator("#released-chart rect.hover[data-year='2015']")
    column.hover()
    tip = column.locator("title").text_content()
    cleared_km2 = f"{year_2015['cleared_m2'] / 1e6:,.2f}"
    assert tip.startswith("2015") and f"Cleared: {cleared_km2}" in tip, tip
    # The burn-down's history is the report's (its SHA at the end of 2012).
    sha_2012 = next(y for y in report["annual"] if y["year"] == 2012)["remaining_sha_m2"]
    burn = page.locator("#burndown-chart rect.hover[data-year='2012'] title").text_content()
    assert f"{sha_2012 / 1e6:,.2f}" in burn
    # At 768 px the region table's total column is on screen, not scrolled away.
    total = page.locator("#regions thead th").last.bounding_box()
    assert total["x"] + total["width"] <= 768
    shot(page, "tablet-dashboard-charts")
    assert page.errors == []
