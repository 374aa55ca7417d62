"""Importing a field file: every feature checked, recorded through the same use cases as the
API, and a report that says, feature by feature, what was accepted and what is wrong.

With ``on_error=reject`` (the default) an import is all or nothing; with ``skip`` the good
features are applied and the bad ones reported. A dry run records nothing. Either way the
report is kept. The whole import runs in a savepoint of the caller's transaction, each
feature in a savepoint of its own, so a refused feature or import leaves no row behind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
import shapely
from shapely.geometry import MultiPolygon
from sqlalchemy import Connection

from app.auth.policy import may_see
from app.auth.principal import Principal
from app.errors import Conflict, InvalidInput, LandReleaseError
from app.formats.features import (
    DECLARED,
    FeatureProblem,
    FieldMap,
    checked_footprints,
    event_from,
    hazard_from,
    unmapped_from,
    without_polygon,
)
from app.formats.phone_exports import ExportFormat, converted
from app.formats.read import (
    SourceFeature,
    SourceLayer,
    feature_batches,
    open_layer,
    read_ahead,
)
from app.formats.unpack import Limits, unpack
from app.geo.area import geodesic_area_m2
from app.geo.polygons import polygonal_part
from app.i18n.catalogue import DEFAULT_LANGUAGE
from app.ledger.facts import NewHazard, UnmappedHazard
from app.ledger.states import FactEffect, fact_areas
from app.services import import_report, recording
from app.services.cycles import collect_young, collector_paused
from app.services.fact_checks import prepare_hazards
from app.services.overlap_warnings import overlap_warnings
from app.services.overshoot import Overshoot
from app.services.recording import EventRecorded, HazardRecorded
from app.services.unmapped_hazards import record_unmapped
from app.services.workspace import temporary_folder
from app.settings import ImportSettings, LedgerSettings
from app.storage import audit, imports, land_state
from app.storage.effects import effects_of_records, seqs_of_records
from app.storage.statistics import Statistics, plan_for_batches

Target = Literal["hazards", "events"]


@dataclass(frozen=True)
class ImportOptions:
    target: Target
    layer: str | None = None
    crs: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    # The file's values -> ours, for the properties whose values are words of ours.
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    dry_run: bool = False
    on_error: Literal["reject", "skip"] = "reject"
    repair: bool = False
    # The server a file was exported from, for exports of our phone forms (None: a GIS file).
    export_of: ExportFormat | None = None

    # What becomes of the part of an event's polygon outside its hazard.
    overshoot: Overshoot = Overshoot.REFUSE
    # Hazards that duplicate a recorded polygon or lie mostly (this share or more) on land
    # other hazards hold: imported with a warning, or skipped.
    overlaps: Literal["warn", "skip"] = "warn"
    overlap_share: float = 0.5


def limits(settings: ImportSettings) -> Limits:
    """The limits an import is read under, from the settings."""
    return Limits(settings.max_zip_members, settings.max_unpacked_bytes, settings.max_vertices)


def _layer_and_fields(
    path: Path, file_name: str, options: ImportOptions
) -> tuple[SourceLayer, FieldMap]:
    """The layer to import and how its fields map to ours. A layer of points or without
    geometries is read for hazards when it declares their areas (hazards not mapped)."""
    try:
        layer = open_layer(path, file_name, options.layer, options.crs)
    except InvalidInput as refused:
        if options.target != "hazards":
            raise
        layer = open_layer(path, file_name, options.layer, options.crs, points=True)
        try:
            fields = FieldMap.build(options.target, layer.fields, options.mapping, options.values)
        except LandReleaseError:
            raise refused from None  # not hazards either: the layer is what is wrong
        if DECLARED not in fields.fields:
            raise refused from None
        return layer, fields
    return layer, FieldMap.build(options.target, layer.fields, options.mapping, options.values)


def file_digest(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def run_import(
    conn: Connection,
    upload: Path,
    file_name: str,
    options: ImportOptions,
    settings: LedgerSettings,
    limits: Limits,
    by: Principal | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Import ``upload`` (sent as ``file_name``); returns the report, also kept in the database.

    Problems with the file as a whole (format, layer, CRS, mapping) raise an error and keep
    nothing; problems with features are reported feature by feature.
    """
    size, sha256 = file_digest(upload)
    report: dict[str, Any] = {
        "file_name": file_name,
        "size_bytes": size,
        "sha256": sha256,
        "target": options.target,
        "dry_run": options.dry_run,
        "on_error": options.on_error,
        **(
            {"overshoot": options.overshoot.value}
            if options.target == "events"
            else {"overlaps": options.overlaps}
        ),
    }
    import_id = imports.reserve_id(conn)
    # A dry run of a file imported already says so; an import of it is refused below.
    earlier = imports.file_holder(conn, sha256, options.target) if options.dry_run else None
    with temporary_folder("landrelease-import-") as workdir:
        if options.export_of is not None:
            read_from = converted(upload, file_name, options.target, Path(workdir))
            unpacked = unpack(read_from, read_from.name, Path(workdir), limits)
        else:
            unpacked = unpack(upload, file_name, Path(workdir), limits)
        layer, fields = _layer_and_fields(unpacked.path, file_name, options)
        report.update(
            format=unpacked.format,
            layer=layer.name,
            source_crs=layer.crs,
            **({"declared_crs": layer.declared_crs} if layer.declared_crs else {}),
            transformation_message=layer.transformation,
            transformation_accuracy_m=layer.transformation_accuracy_m,
            fields={ours: theirs for ours, theirs in fields.fields.items()},
            **({"values": fields.values} if fields.values else {}),
        )
        whole = conn.begin_nested()
        if not options.dry_run:
            _hold_file(conn, file_name, sha256, options.target, import_id, by)
        tally, problems, skipped = _record_all(
            conn, layer, fields, options, settings, by, progress, import_id, limits.max_vertices
        )
        keep = (
            not options.dry_run
            and tally.count + len(tally.not_mapped) > 0
            and (options.on_error == "skip" or not problems)
        )
        if keep:
            whole.commit()
        else:
            whole.rollback()
            for row in tally.listed:  # rolled back: the ids would name no event
                row.pop("event_id", None)
    report.update(
        status="applied" if keep else "dry run" if options.dry_run else "rejected",
        features_read=layer.count,
        accepted=tally.count + len(tally.not_mapped),
        rejected=len(problems),
        refused_m2=sum(p.get("area_m2", 0.0) for p in problems),
        refused_unmeasured=sum("area_m2" not in p for p in problems),
        requested_m2=tally.requested_m2,
        effective_m2=tally.effective_m2,
        absorbed_m2=tally.absorbed_m2,
        # Recorded (or, in a dry run, would be) but awaiting review.
        pending=tally.pending if keep or options.dry_run else 0,
        pending_requested_m2=tally.pending_requested_m2 if keep or options.dry_run else 0.0,
        **(
            {"outside_m2": tally.outside_m2, "clipped_m2": tally.clipped_m2}
            if options.target == "events"
            else {
                "warned": tally.warned,
                "skipped": skipped,
                "not_mapped": tally.not_mapped,
                "not_mapped_m2": sum(row["declared_m2"] for row in tally.not_mapped),
            }
        ),
        problems=problems,
        repaired=tally.repaired if keep else 0,
        repaired_features=tally.repaired_listed if keep else [],
        accepted_features=tally.listed,
        accepted_features_listed=len(tally.listed),
    )
    if earlier is not None and may_see(by, "pending", earlier.organisation_id):
        report["earlier_import"] = earlier.import_id
    # Kept in English; written in the reader's language when it is read (import_report).
    report = import_report.localized(report, DEFAULT_LANGUAGE)
    report["id"] = imports.insert(conn, import_id, report, by)
    audit.append(
        conn,
        by,
        "import",
        "import",
        report["id"],
        {k: report[k] for k in ("file_name", "sha256", "target", "status", "accepted", "rejected")},
    )
    return report


def _hold_file(
    conn: Connection,
    file_name: str,
    sha256: str,
    target: Target,
    import_id: int,
    by: Principal | None,
) -> None:
    """One submission per file: the database refuses a second hold of the same file, even
    from an upload running at the same moment (it waits for the first one to end). Another
    organisation's import is not named to a caller who may not see it."""
    holder = imports.hold_file(conn, sha256, target, import_id)
    if holder is not None and not may_see(by, "pending", holder.organisation_id):
        raise Conflict(code="import.duplicate", params={"file": file_name}, field="file")
    if holder is not None:
        raise Conflict(
            code="import.file_imported",
            params={
                "file_name": file_name,
                "import_id": holder.import_id,
                "recorded_at": f"{holder.recorded_at:%Y-%m-%d %H:%M}",
            },
            field="file",
        )


LISTED_FEATURES = 10_000


@dataclass
class _Tally:
    """Accepted features: counted and summed in full, listed up to LISTED_FEATURES (a file of
    a million features must not hold a million report rows in memory)."""

    count: int = 0
    requested_m2: float = 0.0
    effective_m2: float = 0.0
    absorbed_m2: float = 0.0
    # Accepted features awaiting the authority's review: nothing of them is official yet.
    pending: int = 0
    pending_requested_m2: float = 0.0
    # Events: of the polygons as submitted, the part outside their hazard, and what the
    # overshoot policy cut off.
    outside_m2: float = 0.0
    clipped_m2: float = 0.0
    warned: int = 0  # hazards over land already recorded, imported with a warning
    # Hazards recorded without a polygon (kept apart, never in the figures of mapped land).
    not_mapped: list[dict[str, Any]] = field(default_factory=list)
    listed: list[dict[str, Any]] = field(default_factory=list)
    # The accepted facts in the land state (approved): the first one's record id, and the
    # land they changed, in m².
    first_in_ledger: int | None = None
    in_ledger_m2: float = 0.0
    absorbed_in_ledger_m2: float = 0.0
    listed_ids: list[int] = field(default_factory=list)
    # Accepted features whose geometry was repaired: counted, and listed like the others.
    repaired: int = 0
    repaired_listed: list[dict[str, Any]] = field(default_factory=list)

    def note_repaired(self, index: int, reference: str | None) -> None:
        self.repaired += 1
        if len(self.repaired_listed) < LISTED_FEATURES:
            self.repaired_listed.append({"index": index, "reference": reference})

    def add(self, row: dict[str, Any], record_id: int) -> None:
        self.count += 1
        self.requested_m2 += row["requested_m2"]
        self.effective_m2 += row["effective_m2"]
        self.absorbed_m2 += row["absorbed_m2"]
        if row["status"] == "pending":
            self.pending += 1
            self.pending_requested_m2 += row["requested_m2"]
        self.outside_m2 += row.get("outside_m2", 0.0)
        self.clipped_m2 += row.get("clipped_m2", 0.0)
        self.warned += "warning" in row
        if row["status"] == "approved":
            if self.first_in_ledger is None:
                self.first_in_ledger = record_id
            self.in_ledger_m2 += row["effective_m2"]
            self.absorbed_in_ledger_m2 += row["absorbed_m2"]
        if len(self.listed) < LISTED_FEATURES:
            self.listed.append(row)
            self.listed_ids.append(record_id)

    def settle(self, conn: Connection, target: Target) -> None:
        """Areas as the ledger holds them with the whole file in.

        Each batch's areas are final for that batch, but a later batch may hold a back-dated
        fact that takes over land an earlier one changed: the report must add up to what the
        file did to the figures.
        """
        if self.first_in_ledger is None:
            return
        # The import holds the ledger's lock from its first batch on: every fact recorded
        # since its first one is its own.
        first_seq = seqs_of_records(conn, target, [self.first_in_ledger])[self.first_in_ledger]
        settled_m2, settled_absorbed_m2 = land_state.national_change_since(conn, first_seq)
        self.effective_m2 += settled_m2 - self.in_ledger_m2
        self.in_ledger_m2 = settled_m2
        self.absorbed_m2 += settled_absorbed_m2 - self.absorbed_in_ledger_m2
        self.absorbed_in_ledger_m2 = settled_absorbed_m2
        effects = effects_of_records(conn, target, self.listed_ids)
        for row, record_id in zip(self.listed, self.listed_ids, strict=True):
            if row["status"] != "approved":
                continue
            effect = effects.get(record_id, FactEffect({}))
            row["effective_m2"] = effect.effective_m2
            kept_m2 = row["requested_m2"] - row.get("clipped_m2", 0.0)  # the footprint kept
            row["absorbed_m2"], ineffective_m2 = fact_areas(
                kept_m2, effect.effective_m2, effect.absorbed_m2
            )
            if target == "hazards":
                row["discovered_m2"] = effect.flows.get("discovered", 0.0)
                row["confirmed_m2"] = effect.flows.get("confirmed", 0.0)
            else:
                row["ineffective_m2"] = ineffective_m2


def _record_all(
    conn: Connection,
    layer: SourceLayer,
    fields: FieldMap,
    options: ImportOptions,
    settings: LedgerSettings,
    by: Principal | None,
    progress: Callable[[int, int], None] | None,
    import_id: int,
    max_vertices: int | None = None,
) -> tuple[_Tally, list[dict[str, Any]], list[dict[str, Any]]]:
    accepted = _Tally()
    problems: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    plan_for_batches(conn)
    statistics = Statistics(conn)
    recorded_batches = 0
    with (
        collector_paused(),
        closing(read_ahead(prepared_batches(layer, fields, options, max_vertices))) as batches,
    ):
        for batch in batches:
            good = [item for item in batch if not isinstance(item.fact, LandReleaseError)]
            problems.extend(
                _problem(item.feature, item.reference, item.fact, options.target)
                for item in batch
                if isinstance(item.fact, LandReleaseError)
            )
            if options.target == "hazards":
                good = _record_not_mapped(conn, good, accepted, problems, by)
            statistics.keep_up(len(good))
            results = (
                _record_hazards_warned(conn, [item.fact for item in good], options, by, import_id)
                if options.target == "hazards"
                else _event_rows(
                    conn, [item.fact for item in good], options, settings, by, import_id
                )
            )
            for item, result in zip(good, results, strict=True):
                if isinstance(result, LandReleaseError):
                    problems.append(_problem(item.feature, item.reference, result, options.target))
                elif isinstance(result, _Skipped):
                    skipped.append(
                        {"index": item.feature.index, "reference": item.reference, **result.warning}
                    )
                else:
                    record_id = result.pop("id")
                    accepted.add({"index": item.feature.index, **result}, record_id)
                    if item.repaired:
                        accepted.note_repaired(item.feature.index, item.reference)
            recorded_batches += bool(good)
            collect_young()
            if progress is not None and batch:
                progress(batch[-1].feature.index + 1, layer.count)
    if recorded_batches > 1:
        accepted.settle(conn, options.target)
    problems.sort(key=lambda p: p["index"])
    return accepted, problems, skipped


def _record_not_mapped(
    conn: Connection,
    items: list[_Item],
    tally: _Tally,
    problems: list[dict[str, Any]],
    by: Principal | None,
) -> list[_Item]:
    """Record the batch's hazards without a polygon; the others, to record in the ledger."""
    unmapped_items = [item for item in items if isinstance(item.fact, UnmappedHazard)]
    if not unmapped_items:
        return items
    results = record_unmapped(conn, [item.fact for item in unmapped_items], by)
    for item, result in zip(unmapped_items, results, strict=True):
        if isinstance(result, LandReleaseError):
            problems.append(_problem(item.feature, item.reference, result, "hazards"))
        else:
            tally.not_mapped.append(
                {
                    "index": item.feature.index,
                    "reference": result.reference,
                    "declared_m2": result.declared_m2,
                }
            )
    return [item for item in items if not isinstance(item.fact, UnmappedHazard)]


@dataclass(frozen=True)
class _Skipped:
    """A hazard left out of the import for lying over land already recorded."""

    warning: dict[str, Any]


def _record_hazards_warned(
    conn: Connection,
    facts: list[Any],
    options: ImportOptions,
    by: Principal | None,
    import_id: int,
) -> list[dict[str, Any] | LandReleaseError | _Skipped]:
    """Record the batch's hazards, each over land already recorded with its warning; with
    ``overlaps=skip`` the batch is recorded again without them (they are named only once
    recorded: a duplicate may be of a hazard earlier in the same batch)."""
    attempt = conn.begin_nested()
    results = _hazard_rows(conn, facts, by, import_id)
    footprints = {r["id"]: r["requested_m2"] for r in results if isinstance(r, dict)}
    warnings = overlap_warnings(conn, footprints, options.overlap_share)
    if options.overlaps == "warn" or not warnings:
        attempt.commit()
        for row in results:
            if isinstance(row, dict) and row["id"] in warnings:
                row["warning"] = warnings[row["id"]]
        return list(results)
    attempt.rollback()
    flagged = {
        i: warnings[r["id"]]
        for i, r in enumerate(results)
        if isinstance(r, dict) and r["id"] in warnings
    }
    kept = [i for i in range(len(facts)) if i not in flagged]
    again = _hazard_rows(conn, [facts[i] for i in kept], by, import_id)
    final: list[dict[str, Any] | LandReleaseError | _Skipped] = list(results)
    for i, warning in flagged.items():
        final[i] = _Skipped(warning)
    for i, result in zip(kept, again, strict=True):
        final[i] = result
    return final


def _hazard_rows(
    conn: Connection, facts: list[Any], by: Principal | None, import_id: int
) -> list[dict[str, Any] | LandReleaseError]:
    results = recording.record_prepared_hazards(conn, facts, by=by, import_id=import_id)
    return [r if isinstance(r, LandReleaseError) else _report_row(r) for r in results]


@dataclass(frozen=True)
class _Item:
    """A feature read, with its reference and its fact (prepared, for a hazard), or what is
    wrong with it."""

    feature: SourceFeature
    reference: str | None
    fact: Any
    repaired: bool = False  # its geometry was invalid and made valid (the uploader asked)


def prepared_batches(
    layer: SourceLayer, fields: FieldMap, options: ImportOptions, max_vertices: int | None = None
) -> Generator[list[_Item], None, None]:
    """The file's features a batch at a time, read, checked and turned into facts: all the
    work that needs no database (done ahead, while the batch before is recorded). A file of
    more than ``max_vertices`` vertices in all is refused as a whole."""
    seen: dict[str, int] = {}
    vertices = 0
    for read in feature_batches(layer):
        vertices += int(shapely.get_num_coordinates([f.geometry for f in read]).sum())
        if max_vertices is not None and vertices > max_vertices:
            raise InvalidInput(
                field="file",
                code="import.too_many_vertices",
                params={"max": max_vertices},
            )
        items: list[_Item] = []
        broken = _broken_geometries(read) if options.repair else [False] * len(read)
        checked = checked_footprints(read, options.repair)
        for feature, footprint, was_broken in zip(read, checked, broken, strict=True):
            reference = _reference(feature, fields, options.target)
            try:
                if options.target == "hazards" and reference in seen:
                    raise FeatureProblem(
                        code="import.reference_twice",
                        params={"reference": reference, "first": seen[reference]},
                        field="reference",
                    )
                fact: object = (
                    event_from(feature, fields, footprint)
                    if options.target == "events"
                    else unmapped_from(feature, fields)
                    if DECLARED in fields.fields and without_polygon(feature)
                    else hazard_from(feature, fields, footprint)
                )
            except LandReleaseError as error:
                fact = error
            if reference is not None and options.target == "hazards":
                seen.setdefault(reference, feature.index)
            repaired = was_broken and isinstance(footprint, MultiPolygon)
            items.append(_Item(feature, reference, fact, repaired))
        if options.target == "hazards":
            items = _with_prepared_hazards(items)
        yield items


def _broken_geometries(read: list[SourceFeature]) -> list[bool]:
    """Which features' geometries had to be repaired to be read or to be valid."""
    geometries = np.empty(len(read), dtype=object)
    geometries[:] = [f.geometry for f in read]
    valid = shapely.is_valid(geometries)
    return [
        f.geometry_fix is not None or (f.geometry is not None and not bool(ok))
        for f, ok in zip(read, valid, strict=True)
    ]


def _with_prepared_hazards(items: list[_Item]) -> list[_Item]:
    hazards = [i for i, item in enumerate(items) if isinstance(item.fact, NewHazard)]
    prepared = prepare_hazards([items[i].fact for i in hazards])
    for i, hazard in zip(hazards, prepared, strict=True):
        items[i] = replace(items[i], fact=hazard.problem or hazard)
    return items


def _problem(
    feature: SourceFeature, reference: str | None, error: LandReleaseError, target: Target
) -> dict:
    # An event names its hazard in its "hazard" property (the API has it in the path).
    field = "hazard" if target == "events" and error.field == "reference" else error.field
    problem: dict[str, Any] = {
        "index": feature.index,
        "fid": feature.fid,
        "reference": reference,
        "field": field,
        # What is wrong as data, to be written in the language of whoever reads the report.
        **error.as_message(),
    }
    measured = _measured_m2(feature.geometry)
    if measured is not None:
        problem["area_m2"] = measured
    if feature.geometry is not None and not feature.geometry.is_empty:
        # Where the feature is (the middle of its bounding box: defined even when the
        # polygon is broken), to show it on a map; not when it is not in lon/lat at all.
        middle = feature.geometry.envelope.centroid
        if abs(middle.x) <= 180 and abs(middle.y) <= 90:
            problem.update(lon=middle.x, lat=middle.y)
    return problem


def _measured_m2(geometry: Any) -> float | None:
    """The area of a refused feature's polygon, where it can be measured: polygonal, in
    lon/lat, made valid first (a self-crossing outline counts both lobes)."""
    if geometry is None or geometry.is_empty:
        return None
    part = polygonal_part(shapely.make_valid(geometry))
    if part is None:
        return None
    x0, y0, x1, y1 = part.bounds
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        return None
    return geodesic_area_m2(part)


def _reference(feature: SourceFeature, fields: FieldMap, target: Target) -> str | None:
    value = fields.value(feature, "reference" if target == "hazards" else "hazard")
    return None if value is None else str(value).strip()


def _event_rows(
    conn: Connection,
    facts: list[Any],
    options: ImportOptions,
    settings: LedgerSettings,
    by: Principal | None,
    import_id: int,
) -> list[dict[str, Any] | LandReleaseError]:
    results = recording.record_events(
        conn, facts, settings, by=by, import_id=import_id, overshoot=options.overshoot
    )
    return [r if isinstance(r, LandReleaseError) else _report_row(r) for r in results]


def _report_row(recorded: HazardRecorded | EventRecorded) -> dict[str, Any]:
    """A recorded feature as the import report lists it."""
    if isinstance(recorded, HazardRecorded):
        return {
            "id": recorded.id,
            "reference": recorded.reference,
            "status": recorded.status,
            "requested_m2": recorded.footprint_m2,
            "effective_m2": recorded.effective_m2,
            "discovered_m2": recorded.discovered_m2,
            "confirmed_m2": recorded.confirmed_m2,
            "absorbed_m2": recorded.absorbed_m2,
        }
    # Requested: the polygon as the file draws it; clipped: what the overshoot policy cut
    # off; the ledger kept the rest (requested - clipped).
    return {
        "id": recorded.id,
        "reference": recorded.hazard_reference,
        "event_id": recorded.id,
        "status": recorded.status,
        "requested_m2": recorded.submitted_m2,
        "outside_m2": recorded.outside_m2,
        "clipped_m2": recorded.clipped_m2,
        "effective_m2": recorded.effective_m2,
        "ineffective_m2": recorded.ineffective_m2,
        "absorbed_m2": recorded.absorbed_m2,
    }
