"""Imports of field files: what a file holds, and the report of each import."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from app.api.models.common import ResponseModel, left_out_unless

Target = Literal["hazards", "events"]


class Inspection(ResponseModel):
    """What a field file holds; with several layers and none chosen, the layers only."""

    file_name: str
    format: str
    layers: list[str]
    layer: str | None
    fields: list[str] = Field(description="the field names to map our properties to")
    features: int | None
    crs: str | None = Field(description="null: the file does not say; give crs at import")
    transformation: str | None = Field(description="how the coordinates reach WGS 84")
    transformation_accuracy_m: float | None = left_out_unless(
        "a layer is read (null where PROJ does not know the accuracy)"
    )
    values: dict[str, list[str]] | SkipJsonSchema[None] = left_out_unless(
        "a layer is read: each text field's distinct values (among the first 5 000 features, "
        "for fields with at most 50), to map the file's values to ours with values"
    )
    found_fields: dict[str, dict[str, str]] | SkipJsonSchema[None] = left_out_unless(
        "a layer is read: for hazards and for events, the file's fields that hold our "
        "properties by their names alone (what an import takes without a mapping)"
    )


class FeatureProblem(ResponseModel):
    """A feature refused, and why; lon/lat say where it is, when they can."""

    index: int = Field(description="the feature's position in the file")
    fid: int | None = Field(description="its id in the file (a GeoPackage's fid)")
    reference: str | None
    field: str | None = Field(description="the property at fault")
    message: str = Field(description="what is wrong, in the reader's language")
    code: str | SkipJsonSchema[None] = left_out_unless(
        "the message's stable code (reports kept before codes: no code)"
    )
    params: dict[str, Any] | SkipJsonSchema[None] = left_out_unless("the message's values")
    hint: str | SkipJsonSchema[None] = left_out_unless(
        "the code of what to do about it (hint.repair, hint.mapping, hint.crs, ...)"
    )
    hint_text: str | SkipJsonSchema[None] = left_out_unless(
        "what to do about it, in the words of the API"
    )
    lon: float | SkipJsonSchema[None] = left_out_unless("the feature is in lon/lat")
    lat: float | SkipJsonSchema[None] = left_out_unless("the feature is in lon/lat")


class ImportedHazard(ResponseModel):
    index: int
    reference: str
    status: str
    requested_m2: float
    effective_m2: float
    discovered_m2: float
    confirmed_m2: float
    absorbed_m2: float


class ImportedEvent(ResponseModel):
    index: int
    reference: str
    event_id: int | SkipJsonSchema[None] = left_out_unless("the import recorded the event")
    status: str
    requested_m2: float
    effective_m2: float
    ineffective_m2: float
    absorbed_m2: float


# A hazard names what it discovered; the first model that fits is taken.
ImportedFeature = Annotated[ImportedHazard | ImportedEvent, Field(union_mode="left_to_right")]


class ImportReport(ResponseModel):
    """The report of an import: the file, how it was read, and feature by feature what was
    accepted and what is wrong."""

    file_name: str
    size_bytes: int
    sha256: str
    target: Target
    dry_run: bool
    on_error: Literal["reject", "skip"]
    format: str
    layer: str
    source_crs: str
    declared_crs: str | SkipJsonSchema[None] = left_out_unless(
        "crs replaced the file's own CRS, one PROJ could only place roughly"
    )
    transformation: str
    transformation_accuracy_m: float | None
    fields: dict[str, str] = Field(description="our property -> the file's field")
    values: dict[str, dict[str, str]] | SkipJsonSchema[None] = left_out_unless(
        "values were mapped: our property -> the file's value -> ours"
    )
    status: Literal["applied", "dry run", "rejected"]
    features_read: int
    accepted: int
    rejected: int
    requested_m2: float
    effective_m2: float
    absorbed_m2: float
    pending: int | SkipJsonSchema[None] = left_out_unless(
        "the accepted features sent for the authority's review (in a dry run: that would "
        "be): nothing of them is official until approved; 0: all official at once"
    )
    pending_requested_m2: float | SkipJsonSchema[None] = left_out_unless(
        "the area those features ask to change"
    )
    problems: list[FeatureProblem]
    accepted_features: list[ImportedFeature] = Field(description="the first 10 000")
    accepted_features_listed: int
    detail: str | SkipJsonSchema[None] = left_out_unless(
        "features are refused: what became of the others"
    )
    warning: str | SkipJsonSchema[None] = left_out_unless("the file was imported before")
    earlier_import: int | SkipJsonSchema[None] = left_out_unless(
        "a dry run of a file imported before: the import that holds it"
    )
    id: int | SkipJsonSchema[None] = left_out_unless("in the answer to the upload: the import")


class ImportSummary(ResponseModel):
    id: int
    file_name: str
    size_bytes: int
    sha256: str
    target: Target
    status: str
    features_read: int
    accepted: int
    rejected: int
    recorded_at: dt.datetime
    recorded_by: str | None


class ImportListing(ResponseModel):
    count: int
    imports: list[ImportSummary]


class Photo(ResponseModel):
    name: str = Field(description="the file name the phone gave it")
    content_type: str
    size_bytes: int


class ImportPhotos(ResponseModel):
    """The photos a phone sent with the instance of an upload (none for a file's upload)."""

    import_id: int
    photos: list[Photo]
