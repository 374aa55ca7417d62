"""Every treaty report shows the declared total of the hazards not mapped beside its mapped
figures, in JSON and in each of its files, and never adds it into them: the mapped figures
still agree with the independent reference replay of the mapped land alone."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest

from tests.support import two_treaties as data
from tests.test_treaty_reports import AP_REF, CCM_REF, both, exact  # noqa: F401 (a fixture)

NOT_MAPPED = [
    # reference, contamination, declared m², recorded on
    ("NM-C", "CMR", 4321.5, "2015-06-01"),
    ("NM-A", "AP mine", 987.0, "2015-06-01"),
    ("NM-LATE", "CMR", 50.0, "2017-06-01"),  # after the Article 7 year
    ("NM-T", "AT mine", 7000.0, "2015-06-01"),  # neither treaty's
]
LABEL_EN = "not mapped (declared), not in the figures"
LABEL_FR = "non cartographiée (déclarée), hors des chiffres"
# path, params, where the mapped remaining land is in the JSON, the reference, the date,
# the declared total and count expected, the table the row is in (CSV file name).
REPORTS = [
    (
        "/api/v1/reports/ccm/article-4-6",
        {"as_of": data.AS_OF.isoformat()},
        ("f", "remaining_m2"),
        CCM_REF,
        data.AS_OF,
        (2, 4321.5 + 50.0),
        "article-4-6",
    ),
    (
        "/api/v1/reports/ccm/article-7",
        {"year": 2016},
        ("remaining", "remaining_m2"),
        CCM_REF,
        date(2016, 12, 31),
        (1, 4321.5),
        "remaining",
    ),
    (
        "/api/v1/reports/apmbc/article-5",
        {"as_of": data.AS_OF.isoformat()},
        ("remaining", "remaining_m2"),
        AP_REF,
        data.AS_OF,
        (1, 987.0),
        "article-5",
    ),
    (
        "/api/v1/reports/apmbc/article-7",
        {"year": 2016},
        ("remaining", "remaining_m2"),
        AP_REF,
        date(2016, 12, 31),
        (1, 987.0),
        "remaining",
    ),
]


@pytest.fixture
def declared(call, both) -> None:  # noqa: F811 (the fixture imported above)
    for reference, contamination, m2, on in NOT_MAPPED:
        body = {
            "reference": reference,
            "hazard_class": "SHA",
            "contamination": contamination,
            "recorded_on": on,
            "declared_m2": m2,
        }
        response = call("authority").post("/api/v1/hazards/not-mapped", json=body)
        assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("path", "params", "remaining_at", "ref", "on", "expected", "table"), REPORTS
)
def test_the_declared_total_is_beside_the_figures_never_in_them(
    call, declared, path, params, remaining_at, ref, on, expected, table
) -> None:
    analyst = call("analyst")
    answer = analyst.get(path, params=params)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    hazards, declared_m2 = expected
    assert report["not_mapped"] == {"hazards": hazards, "declared_m2": declared_m2}
    part, key = remaining_at
    mapped = ref.totals(on)
    assert exact(report[part][key], mapped["SHA"] + mapped["CHA"])
    # The tables: the row beside the mapped total, in the reader's language.
    files = analyst.get(path, params={**params, "format": "csv"})
    with zipfile.ZipFile(io.BytesIO(files.content)) as archive:
        rows = list(csv.reader(io.StringIO(archive.read(f"{table}.csv").decode())))
    [row] = [r for r in rows if r[0] == LABEL_EN]
    assert float(row[1]) == pytest.approx(declared_m2)
    page = analyst.get(path, params={**params, "format": "html"}, headers={"Accept-Language": "fr"})
    assert page.status_code == 200 and LABEL_FR in page.text
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(analyst.get(path, params={**params, "format": "xlsx"}).content))
    cells = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) if row]
    [found] = [row for row in cells if row[0] == LABEL_EN]
    assert found[1] == pytest.approx(declared_m2)
