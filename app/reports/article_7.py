"""The figures of an Article 7 transparency report for one calendar year, under either treaty.

On the scope of the treaty's contamination: the land remaining at 31 December by class, region
and contamination type, the list of contaminated areas with their location, the land released
during the year by method and the items destroyed by type. For the CCM these answer Article
7.1(h) and (i); for the APMBC, 7.1(c) (the location of mined areas), 7.1(f) (the status of
the destruction programmes: land released by method) and 7.1(g) (mines destroyed by type).
"""

from __future__ import annotations

from datetime import date, datetime

import shapely
from sqlalchemy import Connection

from app.accounting import by_region, figures
from app.ledger.remaining import land_class, remaining_m2
from app.ledger.states import Contamination
from app.storage import event_queries, hazard_queries, regions, unmapped
from app.storage.conditions import View
from app.treaty.treaties import CCM, Treaty


def report(
    conn: Connection,
    year: int,
    scope: str = CCM.scope,
    known_at: datetime | None = None,
    treaty: Treaty = Treaty.CCM,
) -> dict:
    end = date(year, 12, 31)
    start = date(year - 1, 12, 31)
    period = figures.land_release(conn, start, end, scope, known_at)
    view = View(end, scope, known_at, frozenset())
    provinces = regions.top_regions(conn)
    areas = []
    for row in hazard_queries.remaining_areas(conn, view, None, with_regions=True):
        centroid = shapely.from_wkb(row["geometry"]).centroid
        shares = by_region.shares(row["region_m2"], provinces)
        areas.append(
            {
                "reference": row["reference"],
                # Where the land lies (largest part first), not what the field team typed.
                "region": shares[0]["name"] if shares else None,
                "regions": shares,
                "contamination": row["contamination"],
                "hazard_class": land_class(row["cha_m2"]).value,
                "remaining_sha_m2": row["sha_m2"],
                "remaining_cha_m2": row["cha_m2"],
                "remaining_m2": remaining_m2(row["sha_m2"], row["cha_m2"]),
                "centroid_lon": centroid.x,
                "centroid_lat": centroid.y,
                "munitions": row["munitions"] or None,
                "recorded_on": row["recorded_on"],
            }
        )
    items: dict[str, int] = {}
    for _, kind, count in event_queries.items_destroyed(conn, view, start, end):
        items[kind] = items.get(kind, 0) + count
    return {
        "treaty": treaty.value,
        "year": year,
        "contamination": None if scope == "all" else scope,
        "known_at": known_at,
        "remaining": {
            "sha_m2": period.end.sha_m2,
            "cha_m2": period.end.cha_m2,
            "remaining_m2": period.end.remaining_m2,
        },
        # Beside the remaining land, never in it: land the records declare but nobody mapped.
        "not_mapped": unmapped.declared(conn, end, scope, known_at).as_dict(),
        "remaining_by_region": by_region.totals(conn, end, 1, scope, known_at),
        "remaining_by_contamination": {
            c.value: figures.totals(conn, end, c.value, known_at).as_dict() for c in Contamination
        },
        "released": {
            "cancelled_m2": period.flows_m2["cancelled"],
            "reduced_m2": period.flows_m2["reduced"],
            "cleared_m2": period.flows_m2["cleared"],
            "released_m2": period.released_m2,
            "discovered_m2": period.flows_m2["discovered"],
            "corrected_m2": period.flows_m2["corrected"],
        },
        "items_destroyed": items,
        "areas": areas,
        "national_resources": None,  # not recorded by the system yet
    }
