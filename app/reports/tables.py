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


@dataclass(frozen=True)
class Table:
    name: str
    headers: list[str]
    rows: list[list[Any]]


def article_4_6_tables(report: dict) -> list[Table]:
    d, e, f, check = report["d"], report["e"], report["f"], report["check"]
    summary = [
        ["(d) area containing CMR at entry into force", d["baseline_at_eif_m2"]],
        ["(d) discovered after entry into force", d["discovered_after_eif_m2"]],
        ["(d) total", d["total_m2"]],
        ["(e) cleared since entry into force", e["cleared_since_eif_m2"]],
        ["(e) cancelled (non-technical survey)", e["cancelled_since_eif_m2"]],
        ["(e) reduced (technical survey)", e["reduced_since_eif_m2"]],
        ["corrected (not a release)", e["corrected_since_eif_m2"]],
        ["(f) remaining: suspected (SHA)", f["remaining_sha_m2"]],
        ["(f) remaining: confirmed (CHA)", f["remaining_cha_m2"]],
        ["(f) remaining", f["remaining_m2"]],
        ["check: (d) - released - corrected", check["equals_m2"]],
        ["check: difference with (f)", check["difference_m2"]],
    ]
    annual_headers = [
        "year",
        "discovered (m²)",
        "confirmed (m²)",
        "cancelled (m²)",
        "reduced (m²)",
        "cleared (m²)",
        "corrected (m²)",
        "remaining SHA at 31 December (m²)",
        "remaining CHA at 31 December (m²)",
        "items destroyed",
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
    return [
        Table("Article 4.6", ["figure", "area (m²)"], summary),
        _regions_table("(f) by region", f["by_region"]),
        Table("annual", annual_headers, annual),
        Table(
            "work plan",
            [
                "year",
                "cancel (m²)",
                "reduce (m²)",
                "clear (m²)",
                "remaining SHA (m²)",
                "remaining CHA (m²)",
                "cost",
            ],
            plan_rows,
        ),
        Table(
            "deadlines",
            ["item", "value"],
            [
                ["entry into force", report["eif"]],
                ["deadline in force", report["deadline_in_force"]],
                ["completion year (work plan)", plan["completion_year"]],
                ["within the deadline", plan["within_deadline"]],
                ["extension needed (years)", plan["extension_years_needed"]],
                ["capacities", plan["capacity_basis"]],
            ],
        ),
    ]


def article_7_tables(report: dict) -> list[Table]:
    remaining, released = report["remaining"], report["released"]
    return [
        Table(
            "remaining",
            ["class", "area at 31 December (m²)"],
            [
                ["SHA", remaining["sha_m2"]],
                ["CHA", remaining["cha_m2"]],
                ["total", remaining["remaining_m2"]],
            ],
        ),
        _regions_table("by region", report["remaining_by_region"]),
        Table(
            "by contamination",
            ["contamination", "SHA (m²)", "CHA (m²)", "remaining (m²)"],
            [
                [c, t["sha_m2"], t["cha_m2"], t["remaining_m2"]]
                for c, t in report["remaining_by_contamination"].items()
            ],
        ),
        Table(
            "released",
            ["method", "area (m²)"],
            [
                ["cancelled (non-technical survey)", released["cancelled_m2"]],
                ["reduced (technical survey)", released["reduced_m2"]],
                ["cleared", released["cleared_m2"]],
                ["total released", released["released_m2"]],
            ],
        ),
        Table("items destroyed", ["type", "count"], list(report["items_destroyed"].items())),
        Table(
            "areas",
            [
                "reference",
                "region",
                "contamination",
                "class",
                "remaining SHA (m²)",
                "remaining CHA (m²)",
                "remaining (m²)",
                "centroid longitude",
                "centroid latitude",
                "munitions",
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


def _regions_table(name: str, rows: list[dict]) -> Table:
    """Remaining land per region, with the total: the same as the national figure."""
    body = [[r["code"], r["name"], r["sha_m2"], r["cha_m2"], r["remaining_m2"]] for r in rows]
    body.append(
        [
            "total",
            "all regions",
            sum(r["sha_m2"] for r in rows),
            sum(r["cha_m2"] for r in rows),
            sum(r["remaining_m2"] for r in rows),
        ]
    )
    return Table(name, ["code", "region", "SHA (m²)", "CHA (m²)", "remaining (m²)"], body)


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
            archive.writestr(
                f"{table.name.replace(' ', '-').replace('.', '-')}.csv", text.getvalue()
            )
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


def to_html(title: str, tables: list[Table]) -> str:
    def number(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:,.0f}" if abs(value) >= 1 else f"{value:.6f}"
        return html.escape(str(_cell(value)) if value is not None else "")

    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
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
