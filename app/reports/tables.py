"""Reports as tables, and tables as CSV (a zip, one file per table), XLSX and printable HTML.

Numbers stay numbers (XLSX cells are numeric, in the number format of their unit), units are
in the column headers; every file starts with the report's heading.
"""

from __future__ import annotations

import csv
import html
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from app.i18n.catalogue import number as written
from app.reports.heading import Heading
from app.reports.labels import Labels
from app.treaty.treaties import RULES, ClearanceRules, Treaty


@dataclass(frozen=True)
class Table:
    key: str  # stable: names the table's file in a CSV zip
    name: str  # in the reader's language: the sheet, the heading
    headers: list[str]
    rows: list[list[Any]]
    # How each column is written (see _kind); left out: from the type of its values.
    kinds: tuple[str, ...] = ()


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
        [labels("not_mapped_declared"), report["not_mapped"]["declared_m2"]],
        [labels("a46.check_d_total"), check["d_total_m2"]],
        [labels("a46.check_minus_released"), check["minus_released_m2"]],
        [labels("a46.check_minus_corrected"), check["minus_corrected_m2"]],
        [labels("a46.check_equals"), check["equals_m2"]],
        [labels("a46.check_f"), check["f_remaining_m2"]],
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
        Table("annual", labels("table.annual"), annual_headers, annual, ("year",)),
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
                cost_header(report.get("currency"), labels),
            ],
            plan_rows,
            ("year", "", "", "", "", "", "money"),
        ),
        Table(
            "deadlines",
            labels("table.deadlines"),
            [labels("column.item"), labels("column.value")],
            [
                [labels("deadlines.eif"), report["eif"]],
                [labels("deadlines.in_force"), report["deadline_in_force"]],
                [labels("deadlines.completion_year"), year_words(plan["completion_year"])],
                [labels("deadlines.within"), bool(plan["within_deadline"])],
                [
                    labels("deadlines.extension_years"),
                    extension_words(plan, RULES[Treaty(report["treaty"])], labels),
                ],
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
                [labels("not_mapped_declared"), report["not_mapped"]["declared_m2"]],
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
            ("", "", "", "", "area", "area", "area", "degrees", "degrees", ""),
        ),
    ]


def _regions_table(key: str, name: str, rows: list[dict], labels: Labels) -> Table:
    headers = [
        labels("column.code"),
        labels("column.region"),
        labels("column.sha_m2"),
        labels("column.cha_m2"),
        labels("column.remaining_m2"),
    ]
    return regions_table(key, name, rows, headers, [labels("total"), labels("all_regions")])


def regions_table(
    key: str, name: str, rows: list[dict], headers: list[str], total: list[str]
) -> Table:
    """Remaining land per region (code, name, SHA, CHA, remaining, under ``headers``), with
    the total row (its code and name given by ``total``): the same as the national figure."""
    body = [[r["code"], r["name"], r["sha_m2"], r["cha_m2"], r["remaining_m2"]] for r in rows]
    body.append(
        [
            *total,
            sum(r["sha_m2"] for r in rows),
            sum(r["cha_m2"] for r in rows),
            sum(r["remaining_m2"] for r in rows),
        ]
    )
    return Table(key, name, headers, body)


def cost_header(currency: str | None, labels: Labels) -> str:
    return labels("column.cost_in", currency=currency) if currency else labels("column.cost")


def year_words(year: int | None) -> str | None:
    """A year as text: no thousands separator, whatever the reader's language."""
    return None if year is None else str(year)


def extension_words(plan: dict, rules: ClearanceRules, labels: Labels) -> str:
    """The extension a plan needs, with the treaty's limit per request (CCM Article 4.5: five
    years; APMBC Article 5.3: ten)."""
    years = plan["extension_years_needed"]
    if years is None:
        return labels("extension.never")
    if years == 0:
        return labels("extension.none")
    return labels(
        "extension.years",
        count=years,
        years=years,
        requests=plan["extension_requests_needed"],
        limit=rules.max_extension_years,
        article=rules.extension_article,
    )


def _items(items: dict[str, int]) -> str:
    return "; ".join(f"{k}: {v}" for k, v in items.items())


# How a column's values are written: areas in whole m², degrees with 6 decimals, money with
# 2, counts whole, years without grouping, dates as dates, yes/no in words.
Kind = str
_XLSX_FORMATS: dict[Kind, str] = {
    "area": "#,##0",
    "degrees": "0.000000",
    "money": "#,##0.00",
    "count": "#,##0",
    "share": "0.0%",
    "year": "0",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
_DECIMALS: dict[Kind, str] = {
    "area": ".0f",
    "degrees": ".6f",
    "money": ".2f",
    "count": ".0f",
    "share": ".3f",
}


def _kind(table: Table, column: int, value: Any) -> Kind:
    if column < len(table.kinds) and table.kinds[column]:
        return table.kinds[column]
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, float):
        return "area"
    if isinstance(value, int):
        return "count"
    return "text"


def _words(value: Any, kind: Kind, labels: Labels) -> str:
    """A cell as the printed page writes it, in the reader's language."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return labels("yes") if value else labels("no")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and kind in _DECIMALS:
        if kind == "money" and float(value).is_integer():
            return written(value, labels.language, ".0f")
        return written(value, labels.language, _DECIMALS[kind])
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _cell(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
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


def header_row(heading: Heading, labels: Labels) -> int:
    """The row of an XLSX sheet that holds the column headers: after the title block and a
    blank row."""
    return 1 + len(heading.lines(labels)) + 2


def to_xlsx(tables: list[Table], heading: Heading, labels: Labels) -> bytes:
    """A sheet per table: the title block (title, country, as-of date, scope, generation
    time) above the table, headers frozen, each column in the number format of its unit."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.worksheets[0])  # a new workbook's one empty sheet
    first = header_row(heading, labels)
    for table in tables:
        sheet = book.create_sheet(table.name[:31])
        sheet.append([heading.title])
        sheet["A1"].font = Font(bold=True, size=14)
        for label, value in heading.lines(labels):
            sheet.append([label, _naive(value)])
            _date_format(sheet.cell(sheet.max_row, 2), value)
        sheet.append([])
        sheet.append(table.headers)
        for cell in sheet[first]:
            cell.font = Font(bold=True)
        for row in table.rows:
            values = [_xlsx_value(v, labels) for v in row]
            sheet.append(values)
            for column, value in enumerate(row):
                cell = sheet.cell(sheet.max_row, column + 1)
                number_format = _XLSX_FORMATS.get(_kind(table, column, value))
                if number_format and not isinstance(value, bool | str):
                    cell.number_format = number_format
        sheet.freeze_panes = sheet.cell(first + 1, 1)
        for column in sheet.iter_cols(min_row=first):
            width = max(len(_words(c.value, "text", labels)) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width, 10) + 2, 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _naive(value: Any) -> Any:
    """XLSX cells hold no time zone: times are written in UTC."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _date_format(cell: Any, value: Any) -> None:
    if isinstance(value, datetime):
        cell.number_format = _XLSX_FORMATS["datetime"]
    elif isinstance(value, date):
        cell.number_format = _XLSX_FORMATS["date"]


def _xlsx_value(value: Any, labels: Labels) -> Any:
    if isinstance(value, bool):
        return labels("yes") if value else labels("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return _naive(value)


_STYLE = (
    "body{font-family:'DejaVu Sans',sans-serif;margin:2em;color:#111;font-size:10pt}"
    "table{border-collapse:collapse;margin:.5em 0 2em}"
    "th,td{border:1px solid #999;padding:.25em .5em}td.n{text-align:right;white-space:nowrap}"
    "thead{display:table-header-group}tr{page-break-inside:avoid}"
    "dl.heading{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;margin:0 0 1.5em}"
    "dl.heading dt{font-weight:bold}dl.heading dd{margin:0}"
    "p.count{color:#444;font-style:italic}"
    "@page{size:A4;margin:1.6cm 1.4cm 2cm;"
    "@bottom-left{content:var(--footer);font-size:8pt;color:#555}"
    "@bottom-right{content:counter(page) ' / ' counter(pages);font-size:8pt;color:#555}}"
    "@media print{body{margin:0}}"
)


def to_html(tables: list[Table], heading: Heading, labels: Labels) -> str:
    """The printable page: title, the heading's lines, then each table with how many rows
    it has; the PDF is made from this same page."""
    title = html.escape(heading.title)
    footer = html.escape(f"{heading.title} · {heading.country}").replace("'", "&#39;")
    parts = [
        f"<!doctype html><html lang='{html.escape(labels.language)}'><head><meta charset='utf-8'>",
        f"<title>{title}</title>",
        f"<style>{_STYLE}:root{{--footer:'{footer}'}}</style></head><body>",
        f"<h1>{title}</h1><dl class='heading'>",
    ]
    for label, value in heading.lines(labels):
        parts.append(
            f"<dt>{html.escape(label)}</dt><dd>{html.escape(_words(value, 'text', labels))}</dd>"
        )
    parts.append("</dl>")
    for table in tables:
        parts.append(f"<h2>{html.escape(table.name)}</h2>")
        if len(table.rows) > LONG_TABLE_ROWS:
            count = labels("rows_listed", count=len(table.rows))
            parts.append(f"<p class='count'>{html.escape(count)}</p>")
        parts.append("<table><thead><tr>")
        parts.extend(f"<th>{html.escape(h)}</th>" for h in table.headers)
        parts.append("</tr></thead><tbody>")
        for row in table.rows:
            cells = []
            for column, value in enumerate(row):
                kind = _kind(table, column, value)
                numeric = kind in _DECIMALS or kind == "year"
                words = html.escape(_words(value, kind, labels))
                cells.append(f"<td class='n'>{words}</td>" if numeric else f"<td>{words}</td>")
            parts.append(f"<tr>{''.join(cells)}</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts)


LONG_TABLE_ROWS = 50  # a table longer than this says how many rows it has


def to_pdf(page: str) -> bytes:
    """The printable page as PDF (WeasyPrint: the layout of the page's CSS, A4, numbered)."""
    from weasyprint import HTML

    return bytes(HTML(string=page).write_pdf())
