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
    area_m2: float | SkipJsonSchema[None] = left_out_unless(
        "its polygon can be measured (made valid first): the area refused"
    )
    lon: float | SkipJsonSchema[None] = left_out_unless("the feature is in lon/lat")
    lat: float | SkipJsonSchema[None] = left_out_unless("the feature is in lon/lat")


class OverlapHazard(ResponseModel):
    reference: str
    share: float = Field(description="of the new polygon, the share on this hazard's land")


class OverlapWarning(ResponseModel):
    """A hazard over land already recorded: the same polygon as a recorded hazard
    (import.duplicate_hazard), or lying mostly on other hazards' land (import.inside_recorded)."""

    code: Literal["import.duplicate_hazard", "import.inside_recorded"]
    params: dict[str, str | int]
    hazards: list[OverlapHazard]
    share: float = Field(description="of the polygon, the share on land already recorded")
    message: str


class SkippedHazard(OverlapWarning):
    """A hazard left out (overlaps=skip), and why."""

    index: int
    reference: str | None


class NotMappedHazard(ResponseModel):
    """A hazard recorded without a polygon (a point or no location): kept apart, with the
    area its record declares, never in the figures of mapped land."""

    index: int
    reference: str
    declared_m2: float


class ImportedHazard(ResponseModel):
    index: int
    reference: str
    status: str
    requested_m2: float
    effective_m2: float
    discovered_m2: float
    confirmed_m2: float
    absorbed_m2: float
    warning: OverlapWarning | SkipJsonSchema[None] = left_out_unless(
        "the hazard duplicates a recorded polygon or lies mostly on land already recorded"
    )


class ImportedEvent(ResponseModel):
    index: int
    reference: str
    event_id: int | SkipJsonSchema[None] = left_out_unless("the import recorded the event")
    status: str
    requested_m2: float = Field(description="the polygon as the file draws it")
    outside_m2: float = Field(0.0, description="of it, the part outside its hazard")
    clipped_m2: float = Field(0.0, description="what clipping cut off (overshoot=clip)")
    effective_m2: float
    ineffective_m2: float
    absorbed_m2: float


# A hazard names what it discovered; the first model that fits is taken.
ImportedFeature = Annotated[ImportedHazard | ImportedEvent, Field(union_mode="left_to_right")]


class RepairedFeature(ResponseModel):
    index: int = Field(description="the feature's place in the file, from 0")
    reference: str | None


class ImportReport(ResponseModel):
    """The report of an import: the file, how it was read, and feature by feature what was
    accepted and what is wrong."""

    file_name: str
    size_bytes: int
    sha256: str
    target: Target
    dry_run: bool
    on_error: Literal["reject", "skip"]
    overshoot: Literal["refuse", "clip", "keep"] | SkipJsonSchema[None] = left_out_unless(
        "events: what became of the part of a polygon outside its hazard"
    )
    overlaps: Literal["warn", "skip"] | SkipJsonSchema[None] = left_out_unless(
        "hazards: what became of those over land already recorded"
    )
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
    outside_m2: float | SkipJsonSchema[None] = left_out_unless(
        "events: of the polygons accepted, the part outside their hazard"
    )
    clipped_m2: float | SkipJsonSchema[None] = left_out_unless(
        "events: what clipping cut off the polygons accepted"
    )
    warned: int | SkipJsonSchema[None] = left_out_unless(
        "hazards: those imported with a warning (over land already recorded)"
    )
    skipped: list[SkippedHazard] | SkipJsonSchema[None] = left_out_unless(
        "hazards: those left out for lying over land already recorded (overlaps=skip)"
    )
    not_mapped: list[NotMappedHazard] | SkipJsonSchema[None] = left_out_unless(
        "hazards: those recorded without a polygon (not mapped, declared)"
    )
    not_mapped_m2: float | SkipJsonSchema[None] = left_out_unless(
        "hazards: the area those without a polygon declare"
    )
    refused_m2: float = Field(
        0.0, description="the area of the refused features' polygons, where it can be measured"
    )
    refused_unmeasured: int = Field(0, description="refused features whose area is unknown")
    problems: list[FeatureProblem]
    repaired: int = Field(0, description="accepted features whose geometry was repaired")
    repaired_features: list[RepairedFeature] = Field(
        default_factory=list, description="those features (the first 10 000)"
    )
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
