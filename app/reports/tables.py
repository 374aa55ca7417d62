"""Reports as tables, and tables as CSV (a zip, one file per table), XLSX and printable HTML.

Numbers stay numbers (XLSX cells are numeric), units are in the column headers.
"""

from __future__ import annotations

import csv
import html
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.i18n.catalogue import number as written
from app.reports.labels import Labels


@dataclass(frozen=True)
class Table:
    key: str  # stable: names the table's file in a CSV zip
    name: str  # in the reader's language: the sheet, the heading
    headers: list[str]
    rows: list[list[Any]]


def article_4_6_tables(report: dict, labels: Labels) -> list[Table]:
    d, e, f, check = report["d"], report["e"], report["f"], report["check"]
    summary = [
        [labels("a46.d_baseline"), d["baseline_at_eif_m2"]],
        [labels("a46.d_discovered"), d["discovered_after_eif_m2"]],
        [labels("a46.d_total"), d["total_m2"]],
        [labels("a46.e_cleared"), e["cleared_since_eif_m2"]],
        [labels("a46.e_cancelled"), e["cancelled_since_eif_m2"]],
        [labels("a46.e_reduced"), e["reduced_since_eif_m2"]],
        [labels("a46.corrected"), e["corrected_since_eif_m2"]],
        [labels("a46.f_sha"), f["remaining_sha_m2"]],
        [labels("a46.f_cha"), f["remaining_cha_m2"]],
        [labels("a46.f_total"), f["remaining_m2"]],
        [labels("a46.check_equals"), check["equals_m2"]],
        [labels("a46.check_difference"), check["difference_m2"]],
    ]
    annual_headers = [
        labels("column.year"),
        labels("column.discovered_m2"),
        labels("column.confirmed_m2"),
        labels("column.cancelled_m2"),
        labels("column.reduced_m2"),
        labels("column.cleared_m2"),
        labels("column.corrected_m2"),
        labels("column.sha_31_december_m2"),
        labels("column.cha_31_december_m2"),
        labels("column.items_destroyed"),
    ]
    annual = [
        [
            r["year"],
            r["discovered_m2"],
            r["confirmed_m2"],
            r["cancelled_m2"],
            r["reduced_m2"],
            r["cleared_m2"],
            r["corrected_m2"],
            r["remaining_sha_m2"],
            r["remaining_cha_m2"],
            _items(r["items_destroyed"]),
        ]
        for r in report["annual"]
    ]
    plan = report["work_plan"]
    plan_rows = [
        [
            y["year"],
            y["cancelled_m2"],
            y["reduced_m2"],
            y["cleared_m2"],
            y["remaining_sha_m2"],
            y["remaining_cha_m2"],
            y["cost"],
        ]
        for y in plan["years"]
    ]
    basis = plan["capacity_basis"]
    return [
        Table(
            "article-4-6",
            labels("table.article_4_6"),
            [labels("column.figure"), labels("column.area_m2")],
            summary,
        ),
        _regions_table("f-by-region", labels("table.f_by_region"), f["by_region"], labels),
        Table("annual", labels("table.annual"), annual_headers, annual),
        Table(
            "work-plan",
            labels("table.work_plan"),
            [
                labels("column.year"),
                labels("column.cancel_m2"),
                labels("column.reduce_m2"),
                labels("column.clear_m2"),
                labels("column.sha_m2"),
                labels("column.cha_m2"),
                labels("column.cost"),
            ],
            plan_rows,
        ),
        Table(
            "deadlines",
            labels("table.deadlines"),
            [labels("column.item"), labels("column.value")],
            [
                [labels("deadlines.eif"), report["eif"]],
                [labels("deadlines.in_force"), report["deadline_in_force"]],
                [labels("deadlines.completion_year"), plan["completion_year"]],
                [
                    labels("deadlines.within"),
                    labels("yes") if plan["within_deadline"] else labels("no"),
                ],
                [labels("deadlines.extension_years"), plan["extension_years_needed"]],
                [
                    labels("deadlines.capacities"),
                    labels.told(basis) if isinstance(basis, dict) else basis,
                ],
            ],
        ),
    ]


def article_7_tables(report: dict, labels: Labels) -> list[Table]:
    remaining, released = report["remaining"], report["released"]
    return [
        Table(
            "remaining",
            labels("table.remaining"),
            [labels("column.class"), labels("column.area_31_december_m2")],
            [
                ["SHA", remaining["sha_m2"]],
                ["CHA", remaining["cha_m2"]],
                [labels("total"), remaining["remaining_m2"]],
            ],
        ),
        _regions_table(
            "by-region", labels("table.by_region"), report["remaining_by_region"], labels
        ),
        Table(
            "by-contamination",
            labels("table.by_contamination"),
            [
                labels("column.contamination"),
                labels("column.sha_m2"),
                labels("column.cha_m2"),
                labels("column.remaining_m2"),
            ],
            [
                [c, t["sha_m2"], t["cha_m2"], t["remaining_m2"]]
                for c, t in report["remaining_by_contamination"].items()
            ],
        ),
        Table(
            "released",
            labels("table.released"),
            [labels("column.method"), labels("column.area_m2")],
            [
                [labels("released.cancelled"), released["cancelled_m2"]],
                [labels("released.reduced"), released["reduced_m2"]],
                [labels("released.cleared"), released["cleared_m2"]],
                [labels("released.total"), released["released_m2"]],
            ],
        ),
        Table(
            "items-destroyed",
            labels("table.items_destroyed"),
            [labels("column.type"), labels("column.count")],
            list(report["items_destroyed"].items()),
        ),
        Table(
            "areas",
            labels("table.areas"),
            [
                labels("column.reference"),
                labels("column.region"),
                labels("column.contamination"),
                labels("column.class"),
                labels("column.sha_m2"),
                labels("column.cha_m2"),
                labels("column.remaining_m2"),
                labels("column.centroid_lon"),
                labels("column.centroid_lat"),
                labels("column.munitions"),
            ],
            [
                [
                    a["reference"],
                    a["region"],
                    a["contamination"],
                    a["hazard_class"],
                    a["remaining_sha_m2"],
                    a["remaining_cha_m2"],
                    a["remaining_m2"],
                    a["centroid_lon"],
                    a["centroid_lat"],
                    a["munitions"],
                ]
                for a in report["areas"]
            ],
        ),
    ]


def _regions_table(key: str, name: str, rows: list[dict], labels: Labels) -> Table:
    """Remaining land per region, with the total: the same as the national figure."""
    body = [[r["code"], r["name"], r["sha_m2"], r["cha_m2"], r["remaining_m2"]] for r in rows]
    body.append(
        [
            labels("total"),
            labels("all_regions"),
            sum(r["sha_m2"] for r in rows),
            sum(r["cha_m2"] for r in rows),
            sum(r["remaining_m2"] for r in rows),
        ]
    )
    headers = [
        labels("column.code"),
        labels("column.region"),
        labels("column.sha_m2"),
        labels("column.cha_m2"),
        labels("column.remaining_m2"),
    ]
    return Table(key, name, headers, body)


def _items(items: dict[str, int]) -> str:
    return "; ".join(f"{k}: {v}" for k, v in items.items())


def _cell(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def to_csv_zip(tables: list[Table]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(table.headers)
            writer.writerows([[_cell(v) for v in row] for row in table.rows])
            archive.writestr(f"{table.key}.csv", text.getvalue())
    return buffer.getvalue()


def to_xlsx(tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.worksheets[0])  # a new workbook's one empty sheet
    for table in tables:
        sheet = book.create_sheet(table.name[:31])
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_html(title: str, tables: list[Table], language: str = "en") -> str:
    def number(value: Any) -> str:
        if isinstance(value, float):
            return written(value, language, ".0f" if abs(value) >= 1 else ".6f")
        return html.escape(str(_cell(value)) if value is not None else "")

    parts = [
        f"<!doctype html><html lang='{html.escape(language)}'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em;color:#111}"
        "table{border-collapse:collapse;margin:1em 0 2em}"
        "th,td{border:1px solid #999;padding:.3em .6em}td.n{text-align:right}"
        "@media print{h2{page-break-before:auto}}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for table in tables:
        parts.append(f"<h2>{html.escape(table.name)}</h2><table><thead><tr>")
        parts.extend(f"<th>{html.escape(h)}</th>" for h in table.headers)
        parts.append("</tr></thead><tbody>")
        for row in table.rows:
            cells = "".join(
                f"<td class='n'>{number(v)}</td>"
                if isinstance(v, int | float) and not isinstance(v, bool)
                else f"<td>{number(v)}</td>"
                for v in row
            )
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts)
