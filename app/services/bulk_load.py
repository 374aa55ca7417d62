"""Loading many hazards and events at once (the demo data set, a migration from another
system): rows are written in bulk, approved, and the land state is replayed once at the end."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, cast

from shapely.geometry import MultiPolygon, shape
from sqlalchemy import Connection

from app.errors import InvalidInput, LandReleaseError
from app.geo.area import geodesic_areas
from app.geo.polygons import checked_footprints, ledger_footprints
from app.ledger.states import Contamination, EventKind, HazardClass
from app.services.land_rebuild import begin_write, rebuild_all
from app.storage import audit, records

Feature = dict[str, Any]  # a GeoJSON feature


@dataclass(frozen=True)
class LoadSummary:
    hazards: int
    events: int
    land_rows: int


def load_features(
    conn: Connection, hazards: Iterable[Feature], events: Iterable[Feature]
) -> LoadSummary:
    """Record GeoJSON hazard features and event features (whose ``hazard`` property names the
    hazard's reference), then rebuild the land state. Runs in the caller's transaction."""
    at = begin_write(conn)
    official = records.Review("approved", None, None, at)
    hazards = list(hazards)
    polygons = _checked_polygons(hazards)
    hazard_rows = _measured(
        [_named(_hazard_values, i, f, "hazard", polygons[i]) for i, f in enumerate(hazards)],
        "hazard",
        "footprint_m2",
    )
    records.insert_hazards(
        conn, [(values, footprint) for values, footprint in hazard_rows], official
    )
    ids = records.hazard_ids(conn)
    events = list(events)
    polygons = _checked_polygons(events)
    event_rows = _measured(
        [
            _named(lambda f: _event_values(f, ids), i, f, "event", polygons[i])
            for i, f in enumerate(events)
        ],
        "event",
        "requested_m2",
    )
    records.insert_events(
        conn,
        [
            (values.pop("hazard_id"), values, footprint, official)
            for values, footprint in event_rows
        ],
    )
    summary = LoadSummary(len(hazard_rows), len(event_rows), rebuild_all(conn, at))
    audit.append(conn, None, "load", "ledger", None, asdict(summary))
    return summary


def _in_feature(
    what: str, index: int, reference: object, problem: dict[str, Any], field: str | None
) -> InvalidInput:
    """A problem of a feature of the bulk load, naming the feature."""
    params = {"what": what, "index": index, "reference": str(reference or ""), "problem": problem}
    code = "bulk.feature_problem" if reference else "bulk.feature_problem_unnamed"
    return InvalidInput(code=code, params=params, field=field)


def _named(
    make_values: Callable[[Feature], dict[str, Any]],
    index: int,
    feature: Feature,
    what: str,
    polygon: MultiPolygon | Exception,
) -> dict[str, Any]:
    """Build a row's values, its checked polygon last; any problem is reported with the
    feature it comes from."""
    try:
        values = make_values(feature)
        if isinstance(polygon, Exception):
            raise polygon
        return {**values, "polygon": polygon}
    except _BAD_VALUES as error:
        reference = (feature.get("properties") or {}).get("reference")
        problem = (
            error.as_message()
            if isinstance(error, LandReleaseError)
            else {"code": "bulk.bad_value", "params": {"error": repr(error)}}
        )
        raise _in_feature(what, index, reference, problem, getattr(error, "field", None)) from error


_BAD_VALUES = (LandReleaseError, KeyError, ValueError, TypeError)


def _checked_polygons(features: list[Feature]) -> list[MultiPolygon | Exception]:
    """Each feature's polygon, checked (all at once: densified and measured later, many at
    once too), or what is wrong with it."""
    polygons: list[Any] = []
    for feature in features:
        try:
            polygons.append(shape(feature["geometry"]))
        except _BAD_VALUES as error:
            polygons.append(error)
    read = [i for i, polygon in enumerate(polygons) if not isinstance(polygon, Exception)]
    checked = checked_footprints([polygons[i] for i in read], field="geometry", repair=True)
    for i, footprint in zip(read, checked, strict=True):
        polygons[i] = footprint
    return polygons


# Rows whose polygons are densified and measured together (bounds the memory they take).
_CHUNK = 10_000


def _measured(
    rows: list[dict[str, Any]], what: str, area_field: str
) -> list[tuple[dict[str, Any], MultiPolygon]]:
    """Each row's values with the geodesic area of its polygon (as ``area_field``), and the
    polygon as the ledger keeps it."""
    measured: list[tuple[dict[str, Any], MultiPolygon]] = []
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        footprints = ledger_footprints([row.pop("polygon") for row in chunk])
        for index, footprint in enumerate(footprints, start):
            if isinstance(footprint, LandReleaseError):
                reference = chunk[index - start].get("reference")
                raise _in_feature(what, index, reference, footprint.as_message(), "geometry")
        valid = cast(list[MultiPolygon], footprints)  # every problem was raised above
        areas = geodesic_areas(valid).tolist()
        for row, footprint, area in zip(chunk, valid, areas, strict=True):
            measured.append(({**row, area_field: area}, footprint))
    return measured


def _hazard_values(feature: Feature) -> dict[str, Any]:
    p = feature["properties"]
    return {
        "reference": p["reference"],
        "hazard_class": HazardClass(p["hazard_class"]).value,
        "contamination": Contamination(p["contamination"]).value,
        "munitions": list(p.get("munitions") or []),
        "recorded_on": date.fromisoformat(p["recorded_on"]),
        "region": p.get("region"),
        "notes": p.get("notes"),
    }


def _event_values(feature: Feature, hazard_ids: dict[str, int]) -> dict[str, Any]:
    p = feature["properties"]
    return {
        "hazard_id": hazard_ids[p["hazard"]],
        "kind": EventKind(p["kind"]).value,
        "occurred_on": date.fromisoformat(p["date"]),
        "operator": p.get("operator"),
        "method": p.get("method"),
        "items": p.get("items") or {},
        "report_ref": p.get("report_ref"),
    }
