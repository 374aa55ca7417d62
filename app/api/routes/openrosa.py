"""The OpenRosa server that ODK Collect and KoboCollect are pointed at: form list, forms with
their manifest (the team's hazards as a choice list), and submissions.

Its URL is /openrosa: a phone signs in with a user's name and password (Digest, which Collect
sends over http, or Basic). /openrosa/key/<token> is the same server for a phone set up by a
QR code, which carries an API token instead of a password. Every answer carries
X-OpenRosa-Version; errors are OpenRosa responses, whose message Collect shows.
"""

from __future__ import annotations

import base64
import binascii
import csv
import hashlib
import io
from typing import Annotated
from urllib.parse import quote
from xml.sax.saxutils import escape

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection
from starlette.datastructures import UploadFile

from app.api.deps import ConnectionDep, LedgerSettingsDep, request_transaction
from app.api.rate_limits import SlidingWindow
from app.api.routes.phones import base_url
from app.api.routes.session import password_failures, too_many_sign_ins
from app.auth import digest
from app.auth.policy import Action, permits, unapproved_visible_to
from app.auth.principal import Principal
from app.errors import (
    Forbidden,
    InvalidInput,
    LandReleaseError,
    NotFound,
    RetryLater,
    TooLarge,
    Unauthenticated,
    status_code_for,
)
from app.formats.phone_instances import TYPED
from app.formats.unpack import Limits
from app.formats.xforms import XForm, forms
from app.i18n.catalogue import translated
from app.i18n.language import current_language
from app.services import accounts, phones
from app.settings import ImportSettings, OpenRosaSettings, import_settings, openrosa_settings
from app.storage import phone_submissions

router = APIRouter(include_in_schema=False)
XML = "text/xml; charset=utf-8"
HAZARDS_CSV = "hazards.csv"
# What the phone shows once a submission is received.
RECEIPTS = {
    "recorded": "phone.recorded",
    "again": "phone.recorded_again",
    "replacing": "phone.recorded_replacing",
    "correcting": "phone.recorded_correcting",
}
_PROCESS_SECRET = digest.new_secret()


class Refusal(Exception):
    """An answer other than the one asked for, already written (a challenge, a refusal)."""

    def __init__(self, response: Response) -> None:
        self.response = response


def _secret(settings: OpenRosaSettings) -> bytes:
    return settings.nonce_secret.encode() or _PROCESS_SECRET


def openrosa_response(message: str, status: int, nature: str = "") -> Response:
    body = (
        '<OpenRosaResponse xmlns="http://openrosa.org/http/response" items="0">'
        f'<message nature="{nature}">{escape(message)}</message></OpenRosaResponse>'
    )
    return Response(body, status, media_type=XML, headers={"X-OpenRosa-Version": "1.0"})


def refusal(error: LandReleaseError, stale: bool = False) -> Response:
    status = status_code_for(error)
    response = openrosa_response(error.text(current_language()), status, "error")
    if isinstance(error, RetryLater) and error.retry_after_s:
        response.headers["Retry-After"] = str(error.retry_after_s)
    if status == 401:
        # Digest first: Collect answers the first scheme it knows, and over http only Digest.
        response.headers.append(
            "WWW-Authenticate", digest.challenge(_secret(openrosa_settings()), stale)
        )
        response.headers.append("WWW-Authenticate", f'Basic realm="{digest.REALM}"')
    return response


def _caller(request: Request, conn: Connection) -> Principal:
    """The user behind the request, allowed to submit; else Refusal."""
    token = request.path_params.get("token")
    if token is not None:
        try:
            principal = accounts.authenticate(conn, token, _remote(request))
        except Unauthenticated:
            # 403, not 401: a phone set up by a QR code has no password to ask for.
            raise Refusal(refusal(Forbidden(code="phone.bad_key"))) from None
    else:
        principal = _signed_in(request, conn)
    if not permits(principal.role, Action.SUBMIT):
        raise Refusal(
            refusal(Forbidden(code="phone.role_may_not", params={"role": str(principal.role)}))
        )
    return principal


def _signed_in(request: Request, conn: Connection) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    failures = password_failures()
    if scheme.lower() == "digest":
        given = digest.parameters(header)
        name = given.get("username", "")
        _not_held_up(failures, name)
        holder = accounts.digest_holder(conn, name)
        state = digest.checked(
            given,
            request.method,
            _request_uri(request),
            holder[1] if holder else None,
            _secret(openrosa_settings()),
        )
        if state == "ok" and holder is not None:
            failures.forget(name)
            return holder[0]
        if state != "stale":  # a nonce grown old is Collect's routine, not a wrong password
            failures.add(name)
        raise Refusal(refusal(Unauthenticated(code="phone.sign_in"), stale=state == "stale"))
    if scheme.lower() == "basic":
        try:
            name, _, password = (
                base64.b64decode(value.strip(), validate=True).decode().partition(":")
            )
        except (binascii.Error, UnicodeDecodeError):
            name = password = ""
        _not_held_up(failures, name)
        principal = accounts.password_holder(conn, name, password) if name else None
        if principal is not None:
            failures.forget(name)
            # An account made before phones gets its Digest form (a GET's own is read-only).
            with request_transaction(False) as writer:
                accounts.remember_digest(writer, name, password)
            return principal
        if name:
            failures.add(name)
    raise Refusal(refusal(Unauthenticated(code="phone.sign_in")))


def _not_held_up(failures: SlidingWindow, name: str) -> None:
    """A phone guesses a password no faster than the sign-in page: the same failures count."""
    wait = failures.wait_s(name) if name else 0
    if wait:
        raise Refusal(refusal(too_many_sign_ins(wait)))


def _request_uri(request: Request) -> str:
    """The request target as the client wrote it (what Digest signs)."""
    query = request.scope.get("query_string", b"")
    path = request.scope.get("raw_path") or request.url.path.encode()
    return path.decode("latin-1") + ("?" + query.decode("latin-1") if query else "")


def _remote(request: Request) -> str | None:
    return request.client.host if request.client else None


def _base(request: Request) -> str:
    """This server's URL as the phone reached it (its LAN address; a proxy's forwarded one),
    with /key/<token> when it came that way: URLs in lists must be absolute."""
    base = f"{base_url(request)}/openrosa"
    token = request.path_params.get("token")
    return base + (f"/key/{quote(token, safe='')}" if token is not None else "")


def _xml(body: str) -> Response:
    return Response(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + body,
        media_type=XML,
        headers={"X-OpenRosa-Version": "1.0", "Cache-Control": "no-store"},
    )


def authorised(request: Request, conn: ConnectionDep) -> Principal | Response:
    try:
        return _caller(request, conn)
    except Refusal as refused:
        return refused.response


Caller = Annotated[Principal | Response, Depends(authorised)]


@router.get("/formList")
def form_list(request: Request, caller: Caller, formID: str | None = None) -> Response:
    if isinstance(caller, Response):
        return caller
    base = _base(request)
    entries = []
    for form in forms().values():
        if formID is not None and form.form_id != formID:
            continue
        at = f"{base}/forms/{quote(form.form_id, safe='')}"
        manifest = f"<manifestUrl>{escape(at)}/manifest</manifestUrl>" if form.media else ""
        entries.append(
            f"<xform><formID>{escape(form.form_id)}</formID><name>{escape(form.title)}</name>"
            f"<version>{escape(form.version)}</version><hash>md5:{form.md5}</hash>"
            f"<downloadUrl>{escape(at)}/form.xml</downloadUrl>{manifest}</xform>"
        )
    return _xml(
        '<xforms xmlns="http://openrosa.org/xforms/xformsList">' + "".join(entries) + "</xforms>"
    )


def _form(form_id: str) -> XForm:
    form = forms().get(form_id)
    if form is None:
        raise Refusal(refusal(NotFound(code="phone.unknown_form", params={"form": form_id})))
    return form


@router.get("/forms/{form_id}/form.xml")
def form_download(form_id: str, caller: Caller) -> Response:
    if isinstance(caller, Response):
        return caller
    try:
        form = _form(form_id)
    except Refusal as refused:
        return refused.response
    return Response(form.xml, media_type=XML, headers={"X-OpenRosa-Version": "1.0"})


@router.get("/forms/{form_id}/manifest")
def form_manifest(form_id: str, request: Request, caller: Caller, conn: ConnectionDep) -> Response:
    if isinstance(caller, Response):
        return caller
    try:
        form = _form(form_id)
    except Refusal as refused:
        return refused.response
    at = f"{_base(request)}/forms/{quote(form.form_id, safe='')}/media"
    files = []
    for name in form.media:
        content = _media(conn, caller, name)
        files.append(
            f"<mediaFile><filename>{escape(name)}</filename>"
            f"<hash>md5:{hashlib.md5(content).hexdigest()}</hash>"
            f"<downloadUrl>{escape(at)}/{quote(name)}</downloadUrl></mediaFile>"
        )
    return _xml(
        '<manifest xmlns="http://openrosa.org/xforms/xformsManifest">'
        + "".join(files)
        + "</manifest>"
    )


@router.get("/forms/{form_id}/media/{name}")
def form_media(form_id: str, name: str, caller: Caller, conn: ConnectionDep) -> Response:
    if isinstance(caller, Response):
        return caller
    try:
        form = _form(form_id)
    except Refusal as refused:
        return refused.response
    if name not in form.media:
        return refusal(NotFound(code="phone.no_media", params={"form": form_id, "name": name}))
    return Response(
        _media(conn, caller, name),
        media_type="text/csv; charset=utf-8",
        headers={"X-OpenRosa-Version": "1.0"},
    )


def _media(conn: Connection, caller: Principal, name: str) -> bytes:
    """A form's choice list as served now (only the team's hazards are ours to serve)."""
    if name != HAZARDS_CSV:
        return b"name,label\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "label"])
    for hazard in phone_submissions.hazard_choices(conn, unapproved_visible_to(caller)):
        where = f", {hazard.region}" if hazard.region else ""
        label = f"{hazard.reference} ({hazard.hazard_class}, {hazard.contamination}{where})"
        writer.writerow([hazard.reference, label])
    writer.writerow([TYPED, translated("phone.hazard_typed", {}, current_language(), "")])
    return out.getvalue().encode("utf-8")


def _accepts(limits: ImportSettings) -> dict[str, str]:
    return {
        "X-OpenRosa-Version": "1.0",
        "X-OpenRosa-Accept-Content-Length": str(limits.max_upload_bytes),
    }


@router.head("/submission")
def submission_probe(caller: Caller) -> Response:
    if isinstance(caller, Response):
        return caller
    # Exactly 204: Collect takes any other success for a server that is not OpenRosa.
    return Response(status_code=204, headers=_accepts(import_settings()))


@router.post("/submission")
async def submission(
    request: Request, caller: Caller, conn: ConnectionDep, settings: LedgerSettingsDep
) -> Response:
    if isinstance(caller, Response):
        return caller
    limits = import_settings()
    if int(request.headers.get("content-length") or 0) > limits.max_upload_bytes:
        return refusal(
            TooLarge(
                code="upload.too_large",
                params={"name": "submission", "limit": limits.max_upload_bytes},
            )
        )
    form = await request.form(max_files=1000)
    instance = form.get("xml_submission_file")
    if not isinstance(instance, UploadFile):
        return refusal(InvalidInput(code="phone.no_instance", field="xml_submission_file"))
    xml = await instance.read()
    photos = [
        phones.Attachment(part.filename or key, part.content_type or "", await part.read())
        for key, part in form.multi_items()
        if isinstance(part, UploadFile) and key != "xml_submission_file"
    ]
    try:
        receipt = await run_in_threadpool(
            phones.receive,
            conn,
            xml,
            photos,
            caller,
            settings,
            Limits(limits.max_zip_members, limits.max_unpacked_bytes),
            request.query_params.get("deviceID"),
            request.headers.get("user-agent"),
        )
    except LandReleaseError as error:
        return refusal(error)
    code = RECEIPTS[receipt.outcome]
    told = translated(
        code,
        {"name": receipt.name, "earlier": receipt.replaces_import_id},
        current_language(),
        receipt.name,
    )
    response = openrosa_response(told, 201, "submit_success")
    response.headers.update(_accepts(limits))
    return response
