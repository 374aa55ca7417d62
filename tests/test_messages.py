"""Every message the server sends, in the reader's language (Accept-Language), with its code:
import reports kept and read back in another language, not found, permissions, validation,
the OGC API and its filters, the command line's own words, the reports as files and the
chart."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from shapely.geometry import Polygon

from tests import test_reports
from tests.support.files import write_layer
from tests.support.shapes import new_hazard, rect

worked_example = test_reports.worked_example  # the worked example with its programme

FR = {"Accept-Language": "fr-FR,fr;q=0.9"}


def _bowtie():
    a, b = rect(0, 0, 100, 100).exterior.coords[0], rect(0, 0, 100, 100).exterior.coords[2]
    return Polygon([a, b, (a[0], b[1]), (b[0], a[1])])


def _survey(tmp_path: Path) -> Path:
    records = [
        {"reference": f"M-{i}", "hazard_class": "SHA" if i else "Suspected",
         "contamination": "CMR", "recorded_on": "2015-03-01"}
        for i in range(3)
    ]  # fmt: skip
    polygons = [rect(0, 0, 100, 100), _bowtie(), rect(500, 0, 600, 100)]
    return write_layer(tmp_path / "survey.geojson", "GeoJSON", polygons, records)


def test_a_kept_import_report_is_read_in_the_readers_language(client, tmp_path) -> None:
    path = _survey(tmp_path)
    with path.open("rb") as f:
        sent = client.post(
            "/api/v1/imports", files={"file": (path.name, f)}, data={"target": "hazards"},
            headers=FR,
        )  # fmt: skip
    assert sent.status_code == 422
    french = sent.json()
    problems = {p["index"]: p for p in french["problems"]}
    assert problems[0]["code"] == "feature.not_one_of"
    assert problems[0]["message"] == (
        "hazard_class « Suspected » n’est pas une de ces valeurs : SHA, CHA"
    )
    assert problems[1]["code"] == "geometry.invalid_at" and problems[1]["hint"] == "hint.repair"
    assert problems[1]["message"].startswith("polygone invalide : le contour se croise lui-même")
    assert problems[1]["hint_text"] == "envoyez repair=true pour le réparer"
    assert french["detail"] == "2 entités sur 3 sont refusées : rien n’a été importé"

    english = client.get(f"/api/v1/imports/{french['id']}").json()
    assert english["detail"] == "2 of 3 features are refused: nothing was imported"
    problems = {p["index"]: p for p in english["problems"]}
    assert problems[0]["message"] == "hazard_class 'Suspected' is not one of SHA, CHA"
    assert problems[1]["hint_text"] == "send repair=true to repair it"
    again = client.get(f"/api/v1/imports/{french['id']}", headers=FR).json()
    assert again["problems"] == french["problems"]


def test_not_found_permissions_and_validation_in_french(call) -> None:
    authority = call("authority")
    missing = authority.get("/api/v1/events/999999", headers=FR)
    assert missing.status_code == 404
    assert missing.json()["code"] == "event.not_found"
    assert missing.json()["detail"] == "aucun événement n’a l’identifiant 999999"
    anonymous = call("anonymous").get("/api/v1/hazards", headers=FR)
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "access.sign_in"
    assert anonymous.json()["detail"] == (
        "connectez-vous pour lire les zones dangereuses et leur géométrie"
    )
    refused = call("operator").post("/api/v1/review/hazards/X/approve", headers=FR)
    assert refused.status_code == 403 and refused.json()["params"]["role"] == "operator"
    assert refused.json()["detail"] == (
        "le rôle opérateur ne donne pas le droit de faire ceci : "
        "approuver ou rejeter des soumissions"
    )
    body = new_hazard("V-1", rect(0, 0, 100, 100))
    body["properties"]["colour"] = "red"
    invalid = authority.post("/api/v1/hazards", json=body, headers=FR)
    assert invalid.status_code == 422
    answer = invalid.json()
    assert answer["code"] == "request.invalid" and answer["field"] == "properties.colour"
    assert answer["detail"] == "properties.colour : ce champ n’est pas attendu ici"
    assert answer["problems"][0]["code"] == "validation.extra_forbidden"
    bad_date = authority.get("/api/v1/totals", params={"as_of": "2020-13-01"}, headers=FR)
    assert bad_date.json()["detail"].startswith("as_of : donnez une date au format AAAA-MM-JJ")


def test_ogc_errors_and_filters_in_french(call) -> None:
    analyst = call("analyst")
    missing = analyst.get("/ogc/collections/nope", headers=FR)
    assert missing.status_code == 404
    assert missing.json() == {
        "code": "NotFound", "description": "il n’y a pas de collection « nope »",
    }  # fmt: skip
    bad = analyst.get(
        "/ogc/collections/hazards/items", params={"filter": "reference != 'A'"}, headers=FR
    )
    assert bad.status_code == 400
    assert bad.json()["description"] == (
        "filter : « != » n’est pas du CQL2 : écrivez <> pour « différent de » (au caractère 11)"
    )
    english = analyst.get("/ogc/collections/hazards/items", params={"filter": "reference != 'A'"})
    assert english.json()["description"] == (
        "filter: '!=' is not CQL2: write <> for 'not equal to' (at character 11)"
    )


def test_the_command_line_says_what_to_do_in_its_own_words(tmp_path, tokens) -> None:
    import shutil
    import subprocess
    import sys

    folder = tmp_path / "shp"
    folder.mkdir()
    write_layer(folder / "h.shp", "ESRI Shapefile", [rect(0, 0, 100, 100)],
                [{"reference": "C-1", "hazard_class": "SHA", "contamination": "CMR",
                  "recorded_on": "2015-03-01"}])  # fmt: skip
    (folder / "h.prj").unlink()
    archive = Path(shutil.make_archive(str(tmp_path / "h"), "zip", folder))
    done = subprocess.run(
        [sys.executable, "-m", "app", "import", str(archive), "--target", "hazards"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 1
    assert "error (crs): h.zip does not say which coordinate system it uses (no .prj)" in (
        done.stderr
    )
    assert "give --crs, for example --crs EPSG:4326" in done.stderr
    assert "crs=" not in done.stderr.replace("--crs", "")


def test_reports_as_files_and_the_chart_follow_the_language(call, worked_example) -> None:
    from openpyxl import load_workbook

    client = call("analyst")
    params = {"as_of": "2016-12-31"}
    xlsx = client.get(
        "/api/v1/reports/article-4-6", params={**params, "format": "xlsx"}, headers=FR
    )
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == [
        "Article 4.6", "(f) par région", "par année", "plan de travail", "échéances",
    ]  # fmt: skip
    head = int(book["Article 4.6"].freeze_panes[1:]) - 1  # the headers, above the rows
    assert book["Article 4.6"].cell(head, 2).value == "superficie (m²)"
    deadlines = dict(book["échéances"].iter_rows(min_row=head + 1, values_only=True))
    assert deadlines["capacités"].startswith("moyenne de ce qui a réellement été remis")
    assert deadlines["dans l’échéance"] in ("oui", "non")
    archive = client.get(
        "/api/v1/reports/article-4-6", params={**params, "format": "csv"}, headers=FR
    )
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        assert zipped.read("annual.csv").decode().startswith("année,découverte (m²)")
    page = client.get(
        "/api/v1/reports/article-7", params={"year": 2015, "format": "html"}, headers=FR
    )
    assert "<html lang='fr'>" in page.text and "<h2>zones</h2>" in page.text
    plan = client.get("/api/v1/reports/work-plan", params=params, headers=FR).json()
    assert plan["capacity_basis"] == (
        "moyenne de ce qui a réellement été remis à disposition en 2014-2016"
    )
    svg = call("anonymous").get("/api/v1/reports/burndown.svg", params=params, headers=FR).text
    assert "superficie restante (km²)" in svg and "échéance initiale" in svg
    assert "remaining area" not in svg


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_code_of_an_answer_is_in_the_catalogue_of_its_language(client, language) -> None:
    from app.i18n.catalogue import has_message

    answers = [
        client.get("/api/v1/hazards/NOPE", headers={"Accept-Language": language}),
        client.get("/api/v1/hazards", params={"limit": 100000}),
        client.post("/api/v1/hazards", json={"type": "Feature"}),
    ]
    for answer in answers:
        assert has_message(answer.json()["code"], language), answer.json()
