"""The Phones page in the browser (Chromium): a team leader makes the team's phone account and
gets a QR code that a QR reader (zbarimg) decodes into the settings Collect reads, with the
account's server, user name and password; an account made before phones says what to do.

``DOCS_SCREENSHOTS=1`` also writes the page's picture into docs/images/phone-setup.png."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import zlib
from pathlib import Path

import httpx

from app.auth.principal import Role
from app.auth.secrets import hash_password
from app.db import engine
from app.storage.accounts import insert_user, organisation_id
from tests import test_web
from tests.support.clients import QR_READER, ensure_installed
from tests.test_web import go, shot

open_page = test_web.open_page
DOCS_IMAGE = Path(__file__).resolve().parents[1] / "docs" / "images" / "phone-setup.png"


def _save_for_docs(png: bytes, path: Path) -> None:
    """A page's picture in few colours (a page is text and flat colour): a small file."""
    import io

    from PIL import Image

    Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64).save(path, optimize=True)


def _phones_page(page) -> None:
    """The Phones page, once it has read the team's accounts."""
    go(page, "phones")
    page.wait_for_selector("#digest-state[data-digest]")


def _decoded(png: Path) -> str:
    """What a QR reader reads from a picture of the code."""
    ensure_installed(QR_READER)
    read = subprocess.run(
        ["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True, timeout=60
    )
    assert read.returncode == 0, read.stderr
    return read.stdout.strip()


def test_a_team_leader_makes_a_qr_code_that_sets_up_collect(
    open_page, tokens, server_url, tmp_path
) -> None:
    page = open_page(tokens["operator"])
    _phones_page(page)
    assert page.locator("#nav a[href='#/phones']").inner_text() == "Phones"
    assert page.locator("#digest-state").get_attribute("data-digest") == "new"
    page.get_by_label("Name of the new account").fill("npa-phone-1")
    page.click("#make-qr")
    page.wait_for_selector("#qr svg")
    assert "holds the account's password" in page.inner_text(".warning")
    assert page.locator(".steps li").count() == 5

    shown = {
        key: page.inner_text(f"[data-setting='{key}']")
        for key in ("server", "user", "password", "organisation")
    }
    assert shown["server"] == f"{server_url}/openrosa"
    assert (shown["user"], shown["organisation"]) == ("npa-phone-1", "NPA")
    payload = page.get_attribute("#qr", "data-payload")

    picture = tmp_path / "qr.png"
    page.locator("#qr svg").screenshot(path=str(picture))
    assert _decoded(picture) == payload
    general = json.loads(zlib.decompress(base64.b64decode(payload)))["general"]
    assert (general["server_url"], general["username"], general["password"]) == (
        shown["server"],
        shown["user"],
        shown["password"],
    )
    # What the code holds is what Collect signs in with (Digest over http).
    answer = httpx.get(
        f"{general['server_url']}/formList",
        auth=httpx.DigestAuth(general["username"], general["password"]),
        timeout=60,
    )
    assert answer.status_code == 200

    # The new account is in the list now, chosen: ready for the team's next phone.
    assert page.input_value("#phone-account") == "npa-phone-1"
    assert page.locator("#digest-state").get_attribute("data-digest") == "true"
    shot(page, "phone-setup")
    if os.environ.get("DOCS_SCREENSHOTS") == "1":
        _save_for_docs(page.locator("#main").screenshot(), DOCS_IMAGE)
    assert page.errors == []


def test_an_account_made_before_phones_says_what_to_do(open_page, tokens) -> None:
    with engine().begin() as conn:
        org = organisation_id(conn, "NPA")
        assert org is not None
        insert_user(conn, "npa-old", org, Role.OPERATOR.value, hash_password("an old one"))
    page = open_page(tokens["operator"], language="fr")
    _phones_page(page)
    page.select_option("#phone-account", "npa-old")
    state = page.locator("#digest-state")
    assert state.get_attribute("data-digest") == "false"
    assert "set-password npa-old" in state.inner_text()
    assert page.is_hidden("#renew-box")  # a team leader gives the password; an admin renews
    page.fill("#phone-password", "pas le bon")
    page.click("#make-qr")
    page.wait_for_selector("#phone-message:has-text('mot de passe')")
    assert page.is_hidden("#phone-result")
    page.fill("#phone-password", "an old one")
    page.click("#make-qr")
    page.wait_for_selector("#qr svg")
    assert page.inner_text("[data-setting='password']") == "an old one"
    page.reload()  # the list read anew
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector("#digest-state[data-digest]")
    page.select_option("#phone-account", "npa-old")
    assert page.locator("#digest-state").get_attribute("data-digest") == "true"

    page.select_option("#phone-account", "olga")  # the leader's own: tokens only here
    assert "pas de mot de passe" in page.inner_text("#digest-state")

    analyst = open_page(tokens["analyst"])
    go(analyst, "phones")
    assert analyst.locator("#nav a[href='#/phones']").count() == 0
    assert "phones" not in analyst.url
    assert page.errors == [] and analyst.errors == []


def test_the_map_panel_shows_the_photos_sent_with_a_fact(
    open_page, tokens, call, server_url
) -> None:
    import io

    from PIL import Image

    from app.formats.xforms import forms
    from app.services.accounts import create_user
    from tests.support.phones import geoshape, instance
    from tests.support.shapes import new_hazard, rect

    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(picture, format="JPEG")
    assert call("authority").post("/api/v1/hazards", json=new_hazard("H-9", rect(0, 0, 400, 300)))
    with engine().begin() as conn:
        create_user(conn, "npa-phone", "NPA", Role.OPERATOR, "field-team-2026")
    answers = {
        "hazard": "H-9",
        "date": "2026-03-18",
        "area": geoshape(rect(0, 0, 100, 300)),
        "photo": "cleared.jpg",
    }
    sent = httpx.post(
        f"{server_url}/openrosa/submission",
        auth=httpx.DigestAuth("npa-phone", "field-team-2026"),
        files=[
            ("xml_submission_file", ("i.xml", instance(forms()["clearance"], answers), "text/xml")),
            ("cleared.jpg", ("cleared.jpg", picture.getvalue(), "image/jpeg")),
        ],
        timeout=60,
    )
    assert sent.status_code == 201, sent.text

    def thumbnails(token: str) -> list[int]:
        page = open_page(token)
        go(page, "map")
        page.fill("#find-reference", "H-9")
        page.press("#find-reference", "Enter")
        try:
            page.wait_for_selector("#panel-title:has-text('H-9')")
        except Exception as late:  # say what the page shows instead
            shown = page.inner_text("#main")[-800:]
            raise AssertionError(f"no panel for H-9: {shown} {page.errors}") from late
        page.wait_for_load_state("networkidle")
        images = page.locator("#timeline .photos img")
        shown = page.locator("#timeline .photos img[src^='blob:']")  # read with the token
        for i in range(images.count()):
            shown.nth(i).wait_for()
        widths = [
            images.nth(i).evaluate("i => i.decode().then(() => i.naturalWidth)")
            for i in range(images.count())
        ]
        assert page.errors == []
        if widths:
            shot(page, "map-timeline-photos")
        return widths

    assert thumbnails(tokens["operator"]) == [40]  # the photo itself, read with the token
    assert thumbnails(tokens["other_operator"]) == []  # another team's pending fact: not shown
