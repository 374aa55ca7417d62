"""The data-quality page in the browser (Chromium): a section per check with its count and
its rows, in French too; a row's link opens the hazard on the map; not for an operator."""

from __future__ import annotations

from tests import test_data_quality, test_web
from tests.test_web import go

# The page of the other browser tests, and data with one problem of each kind.
open_page, problems = test_web.open_page, test_data_quality.problems

EXPECTED = {
    "duplicate": ["D2"],
    "contained": ["SMALL"],
    "overlap": ["R"],
    "not_mapped": ["NM"],
    "geometry_fixes": ["FIX", "BAD"],
    "overshoot": ["OS"],
    "stale": ["OLD"],
    "outside_regions": ["EDGE", "OUT"],
}


def test_the_page_lists_each_check_and_links_to_the_hazard(open_page, tokens, problems) -> None:
    page = open_page(tokens["authority"], language="fr")
    go(page, "quality")
    page.wait_for_selector("section[data-check='outside_regions']")
    assert page.inner_text("h1") == "Qualité des données"
    for check, references in EXPECTED.items():
        section = page.locator(f"section[data-check='{check}']")
        assert section.get_attribute("data-count") == str(len(references)), check
        rows = section.locator("tbody tr")
        assert rows.count() == len(references), check
        column = 4 if check == "geometry_fixes" else 0
        found = sorted(
            rows.nth(i).locator("td").nth(column).inner_text() for i in range(rows.count())
        )
        assert found == sorted(references), check
    # Records without a polygon and refused features have no hazard on the map: no link.
    assert page.locator("section[data-check='not_mapped'] a").count() == 0
    refused = page.locator("section[data-check='geometry_fixes'] tbody tr").nth(1)
    assert "refusée" in refused.inner_text() and refused.locator("a").count() == 0
    page.click("section[data-check='overlap'] a[data-hazard='R']")
    page.wait_for_selector("#panel-title:has-text('R')")
    assert page.url.endswith("#/map?hazard=R")
    assert page.errors == []


def test_an_operator_has_no_data_quality_page(open_page, tokens) -> None:
    page = open_page(tokens["operator"])
    assert page.locator("#nav a[href='#/quality']").count() == 0
    go(page, "quality")
    page.wait_for_load_state("networkidle")
    assert "#/quality" not in page.url
