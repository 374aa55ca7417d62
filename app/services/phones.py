"""A phone's submission (an OpenRosa form instance and its photos) becoming a submission like
any other: the instance is read into one feature, imported as an upload of one feature (the
same checks, positional tolerance, per-feature report and review), and kept once however
often the phone sends it.

An edited form (Collect's ``meta/deprecatedID`` names the instance it replaces) replaces a
submission still pending: that one is withdrawn, saying by which. Facts are never changed
once decided: the edit of an approved submission is a new submission awaiting review that
says which one it corrects (the authority voids the earlier fact if it replaces it); the
edit of a rejected or withdrawn one is simply a new submission.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from shapely.geometry import mapping
from sqlalchemy import Connection

from app.auth.principal import Principal
from app.errors import Conflict, InvalidInput, NotFound
from app.formats.phone_instances import PhoneInstance, read_instance
from app.formats.unpack import Limits
from app.formats.xforms import forms
from app.services.importing import ImportOptions, run_import
from app.services.submissions import withdraw_upload
from app.settings import LedgerSettings
from app.storage import phone_submissions


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class PhoneReceipt:
    # again: sent before, recorded once; replacing: in place of a pending submission, now
    # withdrawn; correcting: a correction of an approved one, for the authority to decide
    outcome: Literal["recorded", "again", "replacing", "correcting"]
    import_id: int
    name: str  # what the phone shows of the instance
    replaces_import_id: int | None = None


@dataclass(frozen=True)
class _Replaced:
    import_id: int
    outcome: Literal["recorded", "replacing", "correcting"]


def receive(
    conn: Connection,
    xml: bytes,
    attachments: list[Attachment],
    by: Principal,
    settings: LedgerSettings,
    limits: Limits,
    device_id: str | None = None,
    user_agent: str | None = None,
) -> PhoneReceipt:
    """Record the instance ``xml`` sent by ``by``; a resend of it keeps only the photos it
    brings. Refused (an error, nothing kept) when the instance or its fact is not right."""
    instance = read_instance(xml)
    if instance.form_id not in forms():
        raise NotFound(code="phone.unknown_form", params={"form": instance.form_id})
    xml_sha256 = hashlib.sha256(xml).hexdigest()
    attempt = conn.begin_nested()  # a refused instance leaves nothing, not even a report
    try:
        receipt = _recorded_once(
            conn, instance, xml_sha256, by, settings, limits, device_id, user_agent
        )
        for photo in attachments:
            if photo.name in instance.files:  # what the instance names, as Central keeps
                phone_submissions.keep_attachment(
                    conn, instance.instance_id, photo.name, photo.content_type, photo.content
                )
    except BaseException:
        attempt.rollback()
        raise
    attempt.commit()
    return receipt


def _recorded_once(
    conn: Connection,
    instance: PhoneInstance,
    xml_sha256: str,
    by: Principal,
    settings: LedgerSettings,
    limits: Limits,
    device_id: str | None,
    user_agent: str | None,
) -> PhoneReceipt:
    name = instance.instance_name or instance.instance_id
    earlier = phone_submissions.received(conn, instance.instance_id)
    if earlier is None:
        replaced = _replaced(conn, instance, by)
        try:
            report = _imported(conn, instance, by, settings, limits)
        except Conflict as held:
            if held.code != "import.file_imported":
                raise
            # The same instance, sent at the same moment, was recorded while this one waited.
            earlier = phone_submissions.received(conn, instance.instance_id)
            if earlier is None:
                raise
        else:
            phone_submissions.insert(
                conn,
                instance.instance_id,
                instance.form_id,
                instance.form_version,
                xml_sha256,
                report["id"],
                device_id,
                user_agent,
                by.user_name,
                instance.deprecated_id,
            )
            if replaced is None:
                return PhoneReceipt("recorded", report["id"], name)
            return PhoneReceipt(replaced.outcome, report["id"], name, replaced.import_id)
    if earlier.xml_sha256 != xml_sha256:
        raise Conflict(
            code="phone.instance_changed",
            params={"instance": instance.instance_id},
            field="xml_submission_file",
        )
    return PhoneReceipt("again", earlier.import_id, name)


def _replaced(conn: Connection, instance: PhoneInstance, by: Principal) -> _Replaced | None:
    """What an edited form does to the submission it edits (None: not an edit): a pending
    one is withdrawn in its favour. Refused when the form edited was never received here, or
    was edited already (the phone edited an out-of-date copy)."""
    if instance.deprecated_id is None:
        return None
    edited = phone_submissions.received(conn, instance.deprecated_id)
    if edited is None:
        raise NotFound(
            code="phone.edit_unknown",
            params={"instance": instance.deprecated_id},
            field="meta/deprecatedID",
        )
    newer = phone_submissions.successor(conn, instance.deprecated_id)
    if newer is not None:
        raise Conflict(
            code="phone.edit_outdated",
            params={"instance": instance.deprecated_id, "newer": newer},
            field="meta/deprecatedID",
        )
    statuses = phone_submissions.fact_statuses(conn, edited.import_id)
    if "pending" in statuses:
        reason = f"replaced by the edited form {instance.instance_id}"
        withdraw_upload(conn, edited.import_id, reason, by)
        return _Replaced(edited.import_id, "replacing")
    if "approved" in statuses:
        return _Replaced(edited.import_id, "correcting")
    return _Replaced(edited.import_id, "recorded")  # rejected or withdrawn: a new one


def _imported(
    conn: Connection,
    instance: PhoneInstance,
    by: Principal,
    settings: LedgerSettings,
    limits: Limits,
) -> dict[str, Any]:
    feature = {
        "type": "Feature",
        "geometry": mapping(instance.area),
        "properties": {k: v for k, v in instance.properties.items() if v is not None},
    }
    collection = {"type": "FeatureCollection", "features": [feature]}
    file_name = _file_name(instance)
    with tempfile.TemporaryDirectory(prefix="landrelease-phone-") as folder:
        upload = Path(folder) / "instance.geojson"
        upload.write_text(json.dumps(collection), encoding="utf-8")
        report = run_import(
            conn, upload, file_name, ImportOptions(target=instance.target), settings, limits, by=by
        )
    if report["status"] != "applied":
        problem = report["problems"][0]
        raise InvalidInput(
            code="phone.refused",
            params={"problem": {"code": problem["code"], "params": problem["params"]}},
            field=problem.get("field"),
        )
    return report


def _file_name(instance: PhoneInstance) -> str:
    """The name My submissions shows for the instance (a GeoJSON of one feature)."""
    name = (instance.instance_name or instance.instance_id).replace("/", "-")
    return f"{instance.form_id} {name}.geojson"
