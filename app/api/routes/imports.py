"""Uploads of field files (zipped shapefile, GeoJSON, GeoPackage, KML/KMZ, FlatGeobuf)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile

from app.api.deps import ConnectionDep, LedgerSettingsDep
from app.api.models.files import file_answer
from app.api.models.imports import ImportListing, ImportPhotos, ImportReport, Inspection
from app.api.security import allow
from app.api.uploads import save_upload
from app.auth.policy import Action, unapproved_visible_to
from app.auth.principal import Principal
from app.errors import NotFound
from app.formats.features import parsed_mapping, parsed_values
from app.formats.phone_exports import ExportFormat
from app.i18n.catalogue import told
from app.i18n.language import current_language
from app.services import import_report
from app.services.importing import ImportOptions, run_import
from app.services.importing import limits as import_limits
from app.services.inspecting import inspect_upload
from app.services.overshoot import OVERSHOOT_HELP, Overshoot
from app.services.workspace import temporary_folder
from app.settings import ImportSettings, import_settings
from app.storage import imports, phone_submissions

router = APIRouter(prefix="/api/v1/imports", tags=["imports"])

Submitter = Annotated[Principal, Depends(allow(Action.SUBMIT))]
# The routes that take a file, and who may send one: checked before the file is read
# (app.api.body_limits).
UPLOADS = {
    ("POST", "/api/v1/imports"): Action.SUBMIT,
    ("POST", "/api/v1/imports/inspect"): Action.SUBMIT,
}
Reader = Annotated[Principal, Depends(allow(Action.READ_HAZARDS))]
Limited = Annotated[ImportSettings, Depends(import_settings)]
OVERLAPS_HELP = (
    "hazards: one that duplicates a recorded polygon or lies mostly on land already recorded "
    "(IMPORT_OVERLAP_SHARE) is imported with a warning (warn) or left out (skip)"
)
CRS_HELP = (
    "for a file that does not say its CRS (a shapefile without .prj, CSV), or that names one "
    "PROJ can only place roughly (a datum it knows no shift for), e.g. EPSG:32648"
)


@router.post(
    "",
    response_model=ImportReport,
    # Keys a report does not have (no problems: no detail) stay out of it.
    response_model_exclude_unset=True,
    status_code=201,
    responses={
        200: {"model": ImportReport, "description": "a dry run: nothing was recorded"},
        422: {"model": ImportReport, "description": "refused features: nothing was recorded"},
    },
    summary="Import hazards or events from a field file, with a per-feature report",
)
def create_import(
    response: Response,
    conn: ConnectionDep,
    principal: Submitter,
    settings: LedgerSettingsDep,
    limits: Limited,
    file: Annotated[UploadFile, File(description="the file, as the field team sends it")],
    target: Annotated[Literal["hazards", "events"], Form()],
    layer: Annotated[str | None, Form(description="for files with several layers")] = None,
    crs: Annotated[str | None, Form(description=CRS_HELP)] = None,
    mapping: Annotated[
        str | None,
        Form(description='JSON: our property -> the file\'s field, e.g. {"reference": "haz_id"}'),
    ] = None,
    values: Annotated[
        str | None,
        Form(
            description="JSON: our property -> the file's value -> ours, for hazard_class, "
            'contamination and kind, e.g. {"kind": {"Clearance": "clear", "CLR": "clear"}}'
        ),
    ] = None,
    dry_run: Annotated[bool, Form()] = False,
    on_error: Annotated[Literal["reject", "skip"], Form()] = "reject",
    repair: Annotated[bool, Form()] = False,
    format: Annotated[
        ExportFormat | None,
        Form(
            description="for a CSV or GeoJSON export of the service's phone forms from "
            "KoboToolbox (kobo) or ODK Central (odk-central)"
        ),
    ] = None,
    overshoot: Annotated[
        Overshoot | None, Form(description=OVERSHOOT_HELP + " (default: IMPORT_OVERSHOOT)")
    ] = None,
    overlaps: Annotated[Literal["warn", "skip"], Form(description=OVERLAPS_HELP)] = "warn",
) -> dict:
    options = ImportOptions(
        target=target,
        layer=layer or None,
        crs=crs or None,
        mapping=parsed_mapping(mapping),
        values=parsed_values(values),
        dry_run=dry_run,
        on_error=on_error,
        repair=repair,
        export_of=format,
        overshoot=overshoot or Overshoot(limits.overshoot),
        overlaps=overlaps,
        overlap_share=limits.overlap_share,
    )
    name = Path(file.filename or "upload").name
    with temporary_folder("landrelease-upload-") as folder:
        upload = Path(folder) / "upload"
        save_upload(file, upload, limits.max_upload_bytes)
        report = run_import(
            conn,
            upload,
            name,
            options,
            settings,
            import_limits(limits),
            by=principal,
        )
    response.status_code = 201 if report["status"] == "applied" else 200 if dry_run else 422
    told = import_report.localized(report, current_language())
    return json.loads(json.dumps(told, default=str))  # as the report is kept


@router.post(
    "/inspect",
    response_model=Inspection,
    response_model_exclude_unset=True,
    summary="What a field file holds: layers, fields, count, CRS",
)
def inspect_file(
    principal: Submitter,
    limits: Limited,
    file: Annotated[UploadFile, File(description="the file, as the field team sends it")],
    layer: Annotated[str | None, Form(description="for files with several layers")] = None,
    crs: Annotated[str | None, Form(description=CRS_HELP)] = None,
) -> dict:
    name = Path(file.filename or "upload").name
    with temporary_folder("landrelease-upload-") as folder:
        upload = Path(folder) / "upload"
        save_upload(file, upload, limits.max_upload_bytes)
        found = inspect_upload(
            upload,
            name,
            import_limits(limits),
            layer or None,
            crs or None,
        )
    if found.get("transformation"):
        found["transformation"] = told(found["transformation"], current_language())
    return found


@router.get(
    "",
    response_model=ImportListing,
    summary="Imports, newest first (an operator sees its organisation's)",
)
def list_imports(
    conn: ConnectionDep,
    principal: Reader,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict:
    found = imports.listing(conn, unapproved_visible_to(principal), limit, offset)
    return {"count": len(found), "imports": found}


@router.get(
    "/{import_id}",
    response_model=ImportReport,
    response_model_exclude_unset=True,
    summary="One import's full report",
)
def get_import(import_id: int, conn: ConnectionDep, principal: Reader) -> dict:
    report = imports.report(conn, import_id, unapproved_visible_to(principal))
    if report is None:
        raise NotFound(code="import.not_found", params={"id": import_id}, field="id")
    return import_report.localized(report, current_language())


@router.get(
    "/{import_id}/photos",
    response_model=ImportPhotos,
    summary="The photos a phone sent with the submission of this import",
)
def list_photos(import_id: int, conn: ConnectionDep, principal: Reader) -> dict:
    photos = phone_submissions.photos_of_import(conn, import_id, unapproved_visible_to(principal))
    return {"import_id": import_id, "photos": photos}


@router.get(
    "/{import_id}/photos/{name}",
    response_class=Response,
    responses=file_answer("the photo as the phone sent it", "image/jpeg", "image/png"),
    summary="One photo a phone sent with the submission of this import",
)
def get_photo(import_id: int, name: str, conn: ConnectionDep, principal: Reader) -> Response:
    photo = phone_submissions.photo(conn, import_id, name, unapproved_visible_to(principal))
    if photo is None:
        raise NotFound(code="import.no_photo", params={"id": import_id, "name": name}, field="name")
    return Response(photo.content, media_type=photo.content_type or "application/octet-stream")
