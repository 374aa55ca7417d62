"""Loading many hazards and events at once (the demo data set, a migration from another
system): rows are written in bulk and the land state is replayed once at the end."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import cast

from shapely.geometry import MultiPolygon, shape
from sqlalchemy import Connection, text

from app.errors import InvalidInput, LandReleaseError
from app.geo.area import geodesic_areas
from app.geo.polygons import checked_footprint, ledger_footprints
from app.ledger.states import Contamination, EventKind, HazardClass
from app.services.land_rebuild import begin_write, rebuild_all
from app.storage import audit


@dataclass(frozen=True)
class LoadSummary:
    hazards: int
    events: int
    land_rows: int


def load_features(conn: Connection, hazards: Iterable[dict], events: Iterable[dict]) -> LoadSummary:
    """Record GeoJSON hazard features and event features (whose ``hazard`` property names the
    hazard's reference), then rebuild the land state. Runs in the caller's transaction."""
    at = begin_write(conn)
    hazard_rows = _measured(
        [_named(_hazard_row, i, f, "hazard") for i, f in enumerate(hazards)], "hazard"
    )
    if hazard_rows:
        conn.execute(
            text(
                """
                INSERT INTO hazards (reference, hazard_class, contamination, munitions,
                                     recorded_on, region, notes, footprint, footprint_m2,
                                     recorded_at, reviewed_at)
                VALUES (:reference, :hazard_class, :contamination, :munitions, :recorded_on,
                        :region, :notes, ST_GeomFromWKB(:footprint, 4326), :area_m2, :at, :at)
                """
            ),
            [{**row, "at": at} for row in hazard_rows],
        )
    ids: dict[str, int] = dict(conn.execute(text("SELECT reference, id FROM hazards")).all())
    event_rows = _measured(
        [_named(lambda f: _event_row(f, ids), i, f, "event") for i, f in enumerate(events)],
        "event",
    )
    if event_rows:
        conn.execute(
            text(
                """
                INSERT INTO events (hazard_id, kind, occurred_on, footprint, requested_m2,
                                    operator, method, items, report_ref, recorded_at,
                                    reviewed_at)
                VALUES (:hazard_id, :kind, :occurred_on, ST_GeomFromWKB(:footprint, 4326),
                        :area_m2, :operator, :method, CAST(:items AS jsonb), :report_ref, :at,
                        :at)
                """
            ),
            [{**row, "at": at} for row in event_rows],
        )
    summary = LoadSummary(len(hazard_rows), len(event_rows), rebuild_all(conn, at))
    audit.append(conn, None, "load", "ledger", None, asdict(summary))
    return summary


def _named(make_row: Callable[[dict], dict], index: int, feature: dict, what: str) -> dict:
    """Build a row; any problem is reported with the feature it comes from."""
    try:
        return make_row(feature)
    except (LandReleaseError, KeyError, ValueError, TypeError) as error:
        reference = (feature.get("properties") or {}).get("reference")
        name = f"{what} feature {index}" + (f" ({reference})" if reference else "")
        message = error.message if isinstance(error, LandReleaseError) else repr(error)
        raise InvalidInput(f"{name}: {message}", field=getattr(error, "field", None)) from error


def _footprint(feature: dict) -> dict:
    """The feature's polygon, checked (densified and measured later, many at once)."""
    return {"polygon": checked_footprint(shape(feature["geometry"]), field="geometry", repair=True)}


# Rows whose polygons are densified and measured together (bounds the memory they take).
_CHUNK = 10_000


def _measured(rows: list[dict], what: str) -> list[dict]:
    """Each row with its polygon as the ledger keeps it (WKB) and its geodesic area."""
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        footprints = ledger_footprints([row.pop("polygon") for row in chunk])
        for index, footprint in enumerate(footprints, start):
            if isinstance(footprint, LandReleaseError):
                reference = chunk[index - start].get("reference")
                name = f"{what} feature {index}" + (f" ({reference})" if reference else "")
                raise InvalidInput(f"{name}: {footprint.message}", field="geometry")
        valid = cast(list[MultiPolygon], footprints)  # every problem was raised above
        areas = geodesic_areas(valid).tolist()
        for row, footprint, area in zip(chunk, valid, areas, strict=True):
            row.update(footprint=footprint.wkb, area_m2=area)
    return rows


def _hazard_row(feature: dict) -> dict:
    p = feature["properties"]
    return {
        "reference": p["reference"],
        "hazard_class": HazardClass(p["hazard_class"]).value,
        "contamination": Contamination(p["contamination"]).value,
        "munitions": list(p.get("munitions") or []),
        "recorded_on": date.fromisoformat(p["recorded_on"]),
        "region": p.get("region"),
        "notes": p.get("notes"),
        **_footprint(feature),
    }


def _event_row(feature: dict, hazard_ids: dict[str, int]) -> dict:
    p = feature["properties"]
    return {
        "hazard_id": hazard_ids[p["hazard"]],
        "kind": EventKind(p["kind"]).value,
        "occurred_on": date.fromisoformat(p["date"]),
        "operator": p.get("operator"),
        "method": p.get("method"),
        "items": json.dumps(p.get("items") or {}),
        "report_ref": p.get("report_ref"),
        **_footprint(feature),
    }
