"""ODK Collect and KoboCollect speaking to the service: the forms, the form list and
manifest with the team's hazards, and submissions over HTTP as Collect sends them (Digest
over http), which become pending submissions reviewed and counted like any upload."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zlib
from xml.etree import ElementTree

import httpx
import pytest
from shapely.geometry import mapping
from sqlalchemy import text

from app.auth.principal import Role
from app.db import engine
from app.formats.xforms import forms
from app.services.accounts import create_user, revoke_token
from tests.support.phones import geoshape, instance
from tests.support.reference import area_m2
from tests.support.shapes import new_event, new_hazard, rect

PASSWORD = "field-team-2026"
H = rect(0, 0, 400, 300)
PHOTO = b"\xff\xd8\xff\xe0 a photo of the cleared area \xff\xd9"
XFORMS_LIST = "{http://openrosa.org/xforms/xformsList}"
MANIFEST = "{http://openrosa.org/xforms/xformsManifest}"


@pytest.fixture
def phone(server_url: str, tokens: dict[str, str]):
    """A phone of the operator's team (NPA), signed in as Collect signs in over http."""
    with engine().begin() as conn:
        create_user(conn, "npa-phone", "NPA", Role.OPERATOR, PASSWORD)
    with httpx.Client(
        base_url=f"{server_url}/openrosa",
        auth=httpx.DigestAuth("npa-phone", PASSWORD),
        headers={"X-OpenRosa-Version": "1.0"},
        timeout=60,
    ) as client:
        yield client


def _count(table: str) -> int:
    with engine().connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _ledger() -> tuple[int, ...]:
    return tuple(
        _count(t) for t in ("hazards", "events", "imports", "phone_submissions", "audit_log")
    )


def _send(
    phone: httpx.Client,
    xml: bytes,
    photos: dict[str, bytes] | None = None,
    headers: dict[str, str] | None = None,
):
    files = [("xml_submission_file", ("instance.xml", xml, "text/xml"))]
    files += [(name, (name, content, "image/jpeg")) for name, content in (photos or {}).items()]
    return phone.post(
        "/submission",
        params={"deviceID": "collect:Xq3b7Kp2LmN9vW4z"},
        files=files,
        headers=headers or {},
    )


def _message(answer: httpx.Response) -> str:
    found = re.search(r"<message[^>]*>(.*)</message>", answer.text)
    assert found, answer.text
    return found[1]


def _totals(client) -> dict:
    return client.get("/api/v1/totals", params={"as_of": "2030-01-01"}).json()


def test_every_form_is_read_by_the_service() -> None:
    from app.formats.phone_instances import _FORMS

    assert (
        sorted(forms())
        == sorted(_FORMS)
        == [
            "clearance",
            "non_technical_survey",
            "technical_survey",
        ]
    )
    for form in forms().values():
        assert form.media == ("hazards.csv",) and form.version


def test_the_form_list_manifest_and_choice_list_are_what_collect_checks(phone, call) -> None:
    authority, other = call("authority"), call("other_operator")
    assert authority.post("/api/v1/hazards", json=new_hazard("OFFICIAL-1", H)).status_code == 201
    assert other.post("/api/v1/hazards", json=new_hazard("HALO-9", rect(900, 0, 990, 90))).json()
    assert call("operator").post("/api/v1/hazards", json=new_hazard("NPA-3", rect(500, 0, 590, 90)))

    listed = phone.get("/formList", params={"deviceID": "collect:abc"})
    assert listed.status_code == 200
    assert listed.headers["x-openrosa-version"] == "1.0"
    assert listed.headers["content-type"].startswith("text/xml")
    entries = ElementTree.fromstring(listed.content).findall(f"{XFORMS_LIST}xform")
    assert sorted(e.findtext(f"{XFORMS_LIST}formID") for e in entries) == sorted(forms())
    for entry in entries:
        url = entry.findtext(f"{XFORMS_LIST}downloadUrl")
        assert url.startswith(str(phone.base_url).rstrip("/") + "/forms/")
        form = phone.get(url, params={"deviceID": "collect:abc"})
        assert form.status_code == 200
        assert (
            entry.findtext(f"{XFORMS_LIST}hash") == "md5:" + hashlib.md5(form.content).hexdigest()
        )
        manifest = phone.get(entry.findtext(f"{XFORMS_LIST}manifestUrl"))
        assert manifest.headers["x-openrosa-version"] == "1.0"
        (media,) = ElementTree.fromstring(manifest.content).findall(f"{MANIFEST}mediaFile")
        assert media.findtext(f"{MANIFEST}filename") == "hazards.csv"
        csv = phone.get(media.findtext(f"{MANIFEST}downloadUrl"))
        assert media.findtext(f"{MANIFEST}hash") == "md5:" + hashlib.md5(csv.content).hexdigest()
    names = [line.split(",")[0] for line in csv.text.splitlines()]
    # The official hazards and the team's own awaiting review; not another team's.
    assert names == ["name", "NPA-3", "OFFICIAL-1", "other"]

    one = phone.get("/formList", params={"formID": "clearance"})
    assert (
        ElementTree.fromstring(one.content)
        .findall(f"{XFORMS_LIST}xform")[0]
        .findtext(f"{XFORMS_LIST}formID")
        == "clearance"
    )
    assert len(ElementTree.fromstring(one.content)) == 1


def test_a_clearance_from_a_phone_is_reviewed_and_counted_once(phone, call) -> None:
    authority = call("authority")
    assert authority.post("/api/v1/hazards", json=new_hazard("OFFICIAL-1", H)).status_code == 201
    before = _totals(authority)
    probe = phone.head("/submission")
    assert probe.status_code == 204 and "x-openrosa-accept-content-length" in probe.headers

    cleared = rect(0, 0, 250, 300)
    answers = {
        "hazard": "OFFICIAL-1",
        "date": "2026-03-18",
        "operator": "NPA",
        "method": "manual",
        "report_ref": "CR-2026-014",
        "area": geoshape(cleared),
        "photo": "1742301234567.jpg",
        "_name": "2026-03-18 CR-2026-014",
    }
    items = [
        {"munition": "PMN-2", "found": "3", "destroyed": "3", "item_photo": ""},
        {"munition": "other", "munition_typed": "RPG-7", "found": "1", "destroyed": "1"},
        {"munition": "PMN-2", "found": "2", "destroyed": "2"},
    ]
    xml = instance(forms()["clearance"], answers, {"items": items})
    sent = _send(phone, xml, {"1742301234567.jpg": PHOTO, "not-named.jpg": b"x"})
    assert sent.status_code == 201, sent.text
    assert _message(sent) == "Received for review: 2026-03-18 CR-2026-014"

    # Phones resend what they are not sure arrived: recorded once, the photo kept once.
    state = _ledger()
    again = _send(phone, xml, {"1742301234567.jpg": PHOTO})
    assert again.status_code == 201 and "kept once" in _message(again)
    assert _ledger() == state
    changed = _send(phone, xml.replace(b"CR-2026-014", b"CR-2026-015"))
    assert changed.status_code == 409 and _ledger() == state

    queue = authority.get("/api/v1/review/uploads").json()
    (upload,) = queue["uploads"]
    import_id = upload["id"]
    assert upload["file_name"] == "clearance 2026-03-18 CR-2026-014.geojson"
    facts = call("operator").get("/api/v1/submissions/facts", params={"import_id": import_id})
    (fact,) = facts.json()["facts"]
    assert (fact["type"], fact["status"], fact["hazard_reference"]) == (
        "event",
        "pending",
        "OFFICIAL-1",
    )
    assert _totals(authority) == before  # pending: not official yet
    photos = call("operator").get(f"/api/v1/imports/{import_id}/photos").json()
    assert [p["name"] for p in photos["photos"]] == ["1742301234567.jpg"]
    image = call("operator").get(f"/api/v1/imports/{import_id}/photos/1742301234567.jpg")
    assert image.content == PHOTO and image.headers["content-type"] == "image/jpeg"
    assert call("other_operator").get(f"/api/v1/imports/{import_id}/photos").json()["photos"] == []

    approved = authority.post(f"/api/v1/review/uploads/{import_id}/approve")
    assert approved.status_code == 200, approved.text
    after = _totals(authority)
    # What is left is the rest of the hazard, measured on the WGS 84 ellipsoid (pyproj Geod).
    assert before["remaining_m2"] == pytest.approx(area_m2(H), rel=1e-6)
    assert after["remaining_m2"] == pytest.approx(area_m2(rect(250, 0, 400, 300)), rel=1e-6)
    events = authority.get("/api/v1/hazards/OFFICIAL-1/events").json()
    (recorded,) = [e for e in events["features"] if e["properties"]["kind"] == "clear"]
    assert recorded["properties"]["items"] == {"PMN-2": 5, "RPG-7": 1}
    assert recorded["properties"]["report_ref"] == "CR-2026-014"


def test_a_new_hazard_from_a_survey_becomes_a_pending_sha(phone, call) -> None:
    authority = call("authority")
    area = rect(0, 0, 120, 80)
    answers = {
        "finding": "new_hazard",
        "reference": "NPA-NTS-1",
        "contamination": "ap_mine",
        "date": "2026-02-01",
        "area": geoshape(area),
        "_name": "new_hazard 2026-02-01",
    }
    answers["photo"] = "sign.jpg"
    sent = _send(phone, instance(forms()["non_technical_survey"], answers), {"sign.jpg": PHOTO})
    assert sent.status_code == 201, sent.text
    hazard = call("operator").get("/api/v1/hazards/NPA-NTS-1").json()["properties"]
    assert hazard["status"] == "pending" and hazard["contamination"] == "AP mine"
    (photo,) = hazard["photos"]
    assert photo["href"] == "/api/v1/hazards/NPA-NTS-1/photos/sign.jpg"
    assert call("operator").get(photo["href"]).content == PHOTO
    # Another team sees neither the pending hazard nor its photo; once approved, both.
    assert call("other_operator").get(photo["href"]).status_code == 404
    assert authority.post("/api/v1/review/hazards/NPA-NTS-1/approve").status_code == 200
    assert call("other_operator").get(photo["href"]).content == PHOTO
    assert _totals(authority)["sha_m2"] == pytest.approx(area_m2(area), rel=1e-6)


def test_refused_submissions_change_nothing_and_say_why(phone, call, server_url, tokens) -> None:
    authority = call("authority")
    assert authority.post("/api/v1/hazards", json=new_hazard("OFFICIAL-1", H)).status_code == 201
    state = _ledger()
    good = {
        "hazard": "OFFICIAL-1",
        "kind": "reduce",
        "date": "2026-01-10",
        "area": geoshape(rect(0, 0, 100, 100)),
    }
    form = forms()["technical_survey"]

    anonymous = httpx.post(
        f"{server_url}/openrosa/submission",
        files={"xml_submission_file": ("i.xml", instance(form, good), "text/xml")},
    )
    assert anonymous.status_code == 401
    challenges = anonymous.headers.get_list("www-authenticate")
    assert challenges[0].startswith("Digest ") and 'qop="auth"' in challenges[0]
    wrong = httpx.head(
        f"{server_url}/openrosa/submission", auth=httpx.DigestAuth("npa-phone", "guess")
    )
    assert wrong.status_code == 401
    no_password = httpx.get(f"{server_url}/openrosa/formList", auth=("anna", "x"))
    assert no_password.status_code == 401
    revoked_key = httpx.get(f"{server_url}/openrosa/key/lr_not-a-token/formList")
    assert revoked_key.status_code == 403 and "QR" in _message(revoked_key)
    read_only = httpx.get(f"{server_url}/openrosa/key/{tokens['analyst']}/formList")
    assert read_only.status_code == 403

    malformed = _send(phone, b"<data id='technical_survey'><kind>reduce")
    assert malformed.status_code == 422 and "not readable XML" in _message(malformed)
    unknown = _send(phone, instance(form, {**good, "hazard": "other", "hazard_typed": "NOPE"}))
    assert unknown.status_code == 422 and "NOPE" in _message(unknown)
    outside = _send(phone, instance(form, {**good, "area": geoshape(rect(5000, 0, 5100, 100))}))
    assert outside.status_code == 422, outside.text
    two_points = _send(phone, instance(form, {**good, "area": "19.4 102.1 0 4; 19.5 102.1 0 4"}))
    assert two_points.status_code == 422 and "at least 3" in _message(two_points)
    french = phone.post(
        "/submission",
        files={"nothing": ("a.jpg", b"x", "image/jpeg")},
        headers={"Accept-Language": "fr"},
    )
    assert french.status_code == 422 and "xml_submission_file" in _message(french)
    assert _ledger() == state


def test_a_phone_set_up_by_a_qr_code_uses_its_key(server_url, tokens, call) -> None:
    base = f"{server_url}/openrosa/key/{tokens['operator']}"
    listed = httpx.get(f"{base}/formList")
    assert listed.status_code == 200
    url = ElementTree.fromstring(listed.content)[0].findtext(f"{XFORMS_LIST}downloadUrl")
    assert url.startswith(base + "/forms/")
    answers = {
        "finding": "new_hazard",
        "reference": "NPA-QR-1",
        "contamination": "cmr",
        "date": "2026-02-01",
        "area": geoshape(rect(0, 0, 50, 50)),
    }
    xml = instance(forms()["non_technical_survey"], answers)
    sent = httpx.post(
        f"{base}/submission", files={"xml_submission_file": ("i.xml", xml, "text/xml")}
    )
    assert sent.status_code == 201, sent.text
    assert call("operator").get("/api/v1/hazards/NPA-QR-1").json()["properties"]["status"] == (
        "pending"
    )


def test_kobo_and_central_exports_import_with_their_format(call, tmp_path) -> None:
    authority, operator = call("authority"), call("operator")
    assert authority.post("/api/v1/hazards", json=new_hazard("OFFICIAL-1", H)).status_code == 201
    reduced, cancelled = rect(0, 0, 100, 300), rect(100, 0, 200, 300)
    central = tmp_path / "technical_survey.csv"
    central.write_text(
        "SubmissionDate,survey-hazard,survey-kind,survey-date,survey-area,meta-instanceID,KEY\n"
        f'2026-01-11,OFFICIAL-1,reduce,2026-01-10,"{geoshape(reduced)}",uuid:a1,uuid:a1\n',
        encoding="utf-8",
    )
    kobo = tmp_path / "nts.geojson"
    kobo.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": mapping(cancelled),
                        "properties": {
                            "finding": "cancel",
                            "hazard": "other",
                            "hazard_typed": "OFFICIAL-1",
                            "date": "2026-01-12",
                            "_uuid": "b2",
                        },
                    }
                ],
            }
        )
    )
    for path, server in ((central, "odk-central"), (kobo, "kobo")):
        with path.open("rb") as f:
            sent = operator.post(
                "/api/v1/imports",
                files={"file": (path.name, f)},
                data={"target": "events", "format": server},
            )
        assert sent.status_code == 201, sent.text
        assert sent.json()["pending"] == 1
    for upload in authority.get("/api/v1/review/uploads").json()["uploads"]:
        assert authority.post(f"/api/v1/review/uploads/{upload['id']}/approve").status_code == 200
    assert _totals(authority)["remaining_m2"] == pytest.approx(
        area_m2(rect(200, 0, 400, 300)), rel=1e-6
    )
    with central.open("rb") as f:
        wrong = operator.post(
            "/api/v1/imports",
            files={"file": ("again.csv", f)},
            data={"target": "hazards", "format": "kobo"},
        )
    assert wrong.status_code == 422 and "target=events" in wrong.json()["detail"]


def test_the_qr_code_sets_up_collect_with_a_key_that_can_be_revoked(call) -> None:
    operator = call("operator")
    setup = operator.post("/api/v1/phones/setup")
    assert setup.status_code == 201, setup.text
    body = setup.json()
    settings = json.loads(zlib.decompress(base64.b64decode(body["payload"])))
    assert settings["general"]["server_url"] == body["server_url"]
    assert set(settings) >= {"general", "admin"} and body["svg"].startswith("<svg")
    assert httpx.get(f"{body['server_url']}/formList").status_code == 200
    with engine().begin() as conn:  # as `python -m app tokens revoke <id>` does
        revoke_token(conn, body["token_id"])
    assert httpx.get(f"{body['server_url']}/formList").status_code == 403
    assert call("analyst").post("/api/v1/phones/setup").status_code == 403


def test_photos_are_in_the_timeline_for_whoever_may_see_the_fact(phone, call) -> None:
    authority, operator, other = call("authority"), call("operator"), call("other_operator")
    assert authority.post("/api/v1/hazards", json=new_hazard("OFFICIAL-1", H)).status_code == 201
    answers = {
        "hazard": "OFFICIAL-1",
        "date": "2026-03-18",
        "area": geoshape(rect(0, 0, 100, 300)),
        "photo": "1742301234567.jpg",
    }
    items = [{"munition": "PMN-2", "found": "1", "destroyed": "1", "item_photo": "item.png"}]
    xml = instance(forms()["clearance"], answers, {"items": items})
    photos = {"1742301234567.jpg": PHOTO, "item.png": b"\x89PNG an item"}
    assert _send(phone, xml, photos).status_code == 201

    def timeline(client) -> list[dict]:
        events = client.get("/api/v1/hazards/OFFICIAL-1/events").json()["features"]
        return [e["properties"] for e in events]

    (pending,) = timeline(operator)
    assert pending["status"] == "pending"
    listed = {p["name"]: p for p in pending["photos"]}
    assert sorted(listed) == ["1742301234567.jpg", "item.png"]
    assert listed["1742301234567.jpg"]["size_bytes"] == len(PHOTO)
    href = listed["1742301234567.jpg"]["href"]
    assert href == f"/api/v1/events/{pending['id']}/photos/1742301234567.jpg"
    seen = operator.get(href)
    assert seen.status_code == 200 and seen.content == PHOTO
    assert seen.headers["content-type"] == "image/jpeg"
    assert operator.get(listed["item.png"]["href"]).content == photos["item.png"]
    assert authority.get(href).content == PHOTO  # the reviewer sees what it reviews
    # Another team sees neither the pending fact nor its photos.
    assert timeline(other) == []
    assert other.get(href).status_code == 404
    assert operator.get(href.replace("1742301234567", "none")).status_code == 404

    import_id = pending["import_id"]
    assert authority.post(f"/api/v1/review/uploads/{import_id}/approve").status_code == 200
    (approved,) = timeline(other)  # official now: everyone's to see, with its photos
    assert [p["name"] for p in approved["photos"]] == ["1742301234567.jpg", "item.png"]
    assert other.get(href).content == PHOTO
    assert call("anonymous").get(href).status_code == 401
    # Events that came with no phone have no photos.
    typed = authority.post(
        "/api/v1/hazards/OFFICIAL-1/events",
        json=new_event(rect(100, 0, 200, 300), "clear", "2026-04-01"),
    )
    assert typed.status_code == 201, typed.text
    assert [e["photos"] for e in timeline(other)] == [approved["photos"], []]


def _clearance(area, report_ref: str, instance_id: str, deprecated_id: str | None = None):
    answers = {
        "hazard": "OFFICIAL-1",
        "date": "2026-03-18",
        "report_ref": report_ref,
        "area": geoshape(area),
        "_name": report_ref,
    }
    return instance(forms()["clearance"], answers, {}, instance_id, deprecated_id)


def _facts(client, status: str | None = None) -> list[dict]:
    params = {"status": status} if status else {}
    return client.get("/api/v1/submissions/facts", params=params).json()["facts"]


def test_an_edited_form_replaces_a_pending_submission(phone, call) -> None:
    authority, operator = call("authority"), call("operator")
    assert authority.post("/api/v1/hazards", json=new_hazard("OFFICIAL-1", H)).status_code == 201
    first = _clearance(rect(0, 0, 100, 300), "CR-1", "uuid:first")
    assert _send(phone, first).status_code == 201
    edited = _clearance(rect(0, 0, 150, 300), "CR-1 edited", "uuid:second", "uuid:first")
    sent = _send(phone, edited, {"1742301234567.jpg": PHOTO})
    assert sent.status_code == 201, sent.text
    assert "in place of the copy sent before" in _message(sent)

    queue = authority.get("/api/v1/review/uploads").json()["uploads"]
    (waiting,) = queue  # only the edit awaits review
    assert waiting["file_name"] == "clearance CR-1 edited.geojson"
    uploads = {
        u["file_name"]: u for u in operator.get("/api/v1/submissions/uploads").json()["uploads"]
    }
    old = uploads["clearance CR-1.geojson"]
    assert old["status"] == "withdrawn"
    assert old["reasons"] == ["replaced by the edited form uuid:second"]
    assert waiting["edit_of"] == old["id"] and old["edit_of"] is None
    # A resend of the edit is the edit, kept once; an edit of the copy replaced is refused.
    state = _ledger()
    assert _send(phone, edited).status_code == 201 and _ledger() == state
    stale = _clearance(rect(0, 0, 120, 300), "CR-1 other", "uuid:third", "uuid:first")
    refused = _send(phone, stale)
    assert refused.status_code == 409 and "uuid:second" in _message(refused)
    unknown = _send(phone, _clearance(rect(0, 0, 90, 300), "CR-9", "uuid:x", "uuid:never"))
    assert unknown.status_code == 404 and "uuid:never" in _message(unknown)
    assert _ledger() == state

    assert authority.post(f"/api/v1/review/uploads/{waiting['id']}/approve").status_code == 200
    # Only the edit counts: the hazard lost the edited area, not the first one's too.
    assert _totals(authority)["remaining_m2"] == pytest.approx(
        area_m2(rect(150, 0, 400, 300)), rel=1e-6
    )


def test_an_edit_of_an_approved_form_is_a_correction_for_the_authority(phone, call) -> None:
    authority = call("authority")
    assert authority.post("/api/v1/hazards", json=new_hazard("OFFICIAL-1", H)).status_code == 201
    assert _send(phone, _clearance(rect(0, 0, 100, 300), "CR-2", "uuid:a")).status_code == 201
    (first,) = authority.get("/api/v1/review/uploads").json()["uploads"]
    assert authority.post(f"/api/v1/review/uploads/{first['id']}/approve").status_code == 200
    approved = _totals(authority)

    edit = _clearance(rect(0, 0, 200, 300), "CR-2 corrected", "uuid:b", "uuid:a")
    sent = _send(phone, edit, headers={"Accept-Language": "fr"})
    assert sent.status_code == 201, sent.text
    assert "correction de la soumission" in _message(sent)
    (correction,) = authority.get("/api/v1/review/uploads").json()["uploads"]
    assert correction["edit_of"] == first["id"]
    # The approved fact stands (facts are not changed) until the authority decides.
    assert _totals(authority) == approved
    statuses = sorted(f["status"] for f in _facts(call("operator")))
    assert statuses == ["approved", "pending"]


def test_an_edit_of_a_rejected_form_is_a_new_submission(phone, call) -> None:
    authority = call("authority")
    assert authority.post("/api/v1/hazards", json=new_hazard("OFFICIAL-1", H)).status_code == 201
    assert _send(phone, _clearance(rect(0, 0, 100, 300), "CR-3", "uuid:r1")).status_code == 201
    (first,) = authority.get("/api/v1/review/uploads").json()["uploads"]
    rejected = authority.post(
        f"/api/v1/review/uploads/{first['id']}/reject", json={"reason": "no report reference"}
    )
    assert rejected.status_code == 200, rejected.text
    edit = _clearance(rect(0, 0, 100, 300), "CR-3 with ref", "uuid:r2", "uuid:r1")
    sent = _send(phone, edit)
    assert sent.status_code == 201 and _message(sent) == "Received for review: CR-3 with ref"
    (again,) = authority.get("/api/v1/review/uploads").json()["uploads"]
    assert again["edit_of"] == first["id"]


def test_an_edited_survey_keeps_the_new_hazards_reference(phone, call) -> None:
    def survey(area, instance_id: str, deprecated_id: str | None = None) -> bytes:
        answers = {
            "finding": "new_hazard",
            "reference": "NPA-NTS-7",
            "contamination": "cmr",
            "date": "2026-02-01",
            "area": geoshape(area),
        }
        return instance(forms()["non_technical_survey"], answers, {}, instance_id, deprecated_id)

    assert _send(phone, survey(rect(0, 0, 100, 100), "uuid:s1")).status_code == 201
    sent = _send(phone, survey(rect(0, 0, 140, 100), "uuid:s2", "uuid:s1"))
    assert sent.status_code == 201, sent.text
    hazard = call("operator").get("/api/v1/hazards/NPA-NTS-7").json()
    assert hazard["properties"]["status"] == "pending"
    assert hazard["properties"]["footprint_m2"] == pytest.approx(
        area_m2(rect(0, 0, 140, 100)), rel=1e-6
    )
    # Once approved, the hazard is a fact: an edit that records it again is refused.
    assert call("authority").post("/api/v1/review/hazards/NPA-NTS-7/approve").status_code == 200
    again = _send(phone, survey(rect(0, 0, 160, 100), "uuid:s3", "uuid:s2"))
    assert again.status_code in (409, 422) and "NPA-NTS-7" in _message(again), again.text
