"""The APMBC reports as tables (written as CSV, XLSX or HTML by app.reports.tables), in the
reader's language: the Article 5 extension-request figures and the Article 7 tables.

Numbers stay numbers (each column in the number format of its unit), units are in the
column headers.
"""

from __future__ import annotations

from typing import Any

from app.i18n.catalogue import told
from app.reports import tables
from app.reports.labels import Label, Labels, labels
from app.reports.tables import Table, cost_header, extension_words, year_words
from app.treaty.treaties import APMBC


def article_5_tables(report: dict[str, Any], language: str) -> list[Table]:
    label = labels(language)
    areas, since, remaining, check = (
        report["mined_areas"],
        report["since_eif"],
        report["remaining"],
        report["check"],
    )
    area = label("report.col.area_m2")
    summary = [
        [label("report.apmbc.at_eif"), areas["at_eif_m2"]],
        [label("report.apmbc.identified_after_eif"), areas["identified_after_eif_m2"]],
        [label("report.apmbc.total"), areas["total_m2"]],
        [label("report.apmbc.cancelled_since_eif"), since["cancelled_m2"]],
        [label("report.apmbc.reduced_since_eif"), since["reduced_m2"]],
        [label("report.apmbc.cleared_since_eif"), since["cleared_m2"]],
        [label("report.apmbc.released_since_eif"), since["released_m2"]],
        [label("report.apmbc.confirmed_since_eif"), since["confirmed_m2"]],
        [label("report.apmbc.corrected_since_eif"), since["corrected_m2"]],
        [label("report.apmbc.remaining_sha"), remaining["sha_m2"]],
        [label("report.apmbc.remaining_cha"), remaining["cha_m2"]],
        [label("report.apmbc.remaining"), remaining["remaining_m2"]],
        [label("report.not_mapped_declared"), report["not_mapped"]["declared_m2"]],
        [label("report.apmbc.check_equals"), check["equals_m2"]],
        [label("report.apmbc.check_difference"), check["difference_m2"]],
    ]
    plan = report["work_plan"]
    request = report["next_extension_request"]
    deadlines = [
        [label("report.apmbc.treaty"), label("report.apmbc.treaty_name")],
        [label("report.col.contamination"), report["contamination"]],
        [label("report.apmbc.eif"), report["eif"]],
        [label("report.apmbc.original_deadline"), report["original_deadline"]],
        *[
            [label("report.apmbc.extended_by", meeting=e["meeting"]), e["new_deadline"]]
            for e in report["extensions_granted"]
        ],
        [label("report.apmbc.deadline_in_force"), report["deadline_in_force"]],
        [
            label("report.apmbc.next_request"),
            f"{request['meeting']}: {request['request_due'].isoformat()}" if request else None,
        ],
        [label("report.plan.completion_year"), year_words(plan["completion_year"])],
        [label("report.plan.within_deadline"), bool(plan["within_deadline"])],
        [label("report.plan.extension_years"), extension_words(plan, APMBC, Labels(language))],
        [label("report.plan.capacities"), told(plan["capacity_basis"], language)],
    ]
    return [
        Table(
            "article-5",
            label("report.apmbc.sheet_article_5"),
            [label("report.col.figure"), area],
            summary,
        ),
        regions_table(label("report.sheet.by_region"), remaining["by_region"], label),
        annual_table(report["annual"], label),
        plan_table(plan, report.get("currency"), language),
        Table(
            "deadlines",
            label("report.sheet.deadlines"),
            [label("report.col.item"), label("report.col.value")],
            deadlines,
        ),
    ]


def article_7_tables(report: dict[str, Any], language: str) -> list[Table]:
    label = labels(language)
    remaining, released = report["remaining"], report["released"]
    area = label("report.col.area_m2")
    return [
        Table(
            "mined-areas",
            label("report.apmbc.sheet_mined_areas"),
            [
                label("report.col.reference"),
                label("report.col.region"),
                label("report.col.class"),
                label("report.col.remaining_sha_m2"),
                label("report.col.remaining_cha_m2"),
                label("report.col.remaining_m2"),
                label("report.col.centroid_lon"),
                label("report.col.centroid_lat"),
                label("report.apmbc.col.mine_types"),
                label("report.col.recorded_on"),
            ],
            [
                [
                    a["reference"],
                    a["region"],
                    a["hazard_class"],
                    a["remaining_sha_m2"],
                    a["remaining_cha_m2"],
                    a["remaining_m2"],
                    a["centroid_lon"],
                    a["centroid_lat"],
                    a["munitions"],
                    a["recorded_on"],
                ]
                for a in report["areas"]
            ],
            ("", "", "", "area", "area", "area", "degrees", "degrees", "", ""),
        ),
        Table(
            "remaining",
            label("report.sheet.remaining"),
            [label("report.col.class"), label("report.col.area_31_december_m2")],
            [
                ["SHA", remaining["sha_m2"]],
                ["CHA", remaining["cha_m2"]],
                [label("report.total"), remaining["remaining_m2"]],
                [label("report.not_mapped_declared"), report["not_mapped"]["declared_m2"]],
            ],
        ),
        regions_table(label("report.sheet.by_region"), report["remaining_by_region"], label),
        Table(
            "released",
            label("report.apmbc.sheet_released"),
            [label("report.col.method"), area],
            [
                [label("report.method.cancelled"), released["cancelled_m2"]],
                [label("report.method.reduced"), released["reduced_m2"]],
                [label("report.method.cleared"), released["cleared_m2"]],
                [label("report.method.released"), released["released_m2"]],
            ],
        ),
        Table(
            "mines-destroyed",
            label("report.apmbc.sheet_mines_destroyed"),
            [label("report.col.type"), label("report.col.count")],
            [[kind, count] for kind, count in report["items_destroyed"].items()],
        ),
    ]


def regions_table(name: str, rows: list[dict[str, Any]], label: Label) -> Table:
    """Remaining land per region, with the total: the same as the national figure."""
    headers = [
        label("report.col.code"),
        label("report.col.region"),
        label("report.col.sha_m2"),
        label("report.col.cha_m2"),
        label("report.col.remaining_m2"),
    ]
    total = [label("report.total"), label("report.all_regions")]
    return tables.regions_table("by-region", name, rows, headers, total)


def annual_table(rows: list[dict[str, Any]], label: Label) -> Table:
    headers = [
        label("report.col.year"),
        *(
            label(f"report.col.{flow}_m2")
            for flow in ("discovered", "confirmed", "cancelled", "reduced", "cleared", "corrected")
        ),
        label("report.col.sha_31_december_m2"),
        label("report.col.cha_31_december_m2"),
        label("report.apmbc.col.mines_destroyed"),
    ]
    body = [
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
            "; ".join(f"{k}: {v}" for k, v in r["items_destroyed"].items()),
        ]
        for r in rows
    ]
    return Table("annual", label("report.sheet.annual"), headers, body, ("year",))


def plan_table(plan: dict[str, Any], currency: str | None, language: str) -> Table:
    label = labels(language)
    headers = [
        label("report.col.year"),
        label("report.col.cancel_m2"),
        label("report.col.reduce_m2"),
        label("report.col.clear_m2"),
        label("report.col.remaining_sha_m2"),
        label("report.col.remaining_cha_m2"),
        cost_header(currency, Labels(language)),
    ]
    body = [
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
    kinds = ("year", "", "", "", "", "", "money")
    return Table("work-plan", label("report.sheet.work_plan"), headers, body, kinds)
