"""FHIR R4 routes: the patient record, its change feed, document files, the capability statement.

Each route parses, calls one service, and serialises. Errors are OperationOutcomes
(server.api.outcome).
"""
from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from health import fhir_bundles, fhir_resources
from health.fhir_bundles import Entry
from server.api.deps import CurrentPrincipal, CurrentProfessional, SessionDep, SettingsDep, authenticate
from server.api.fhir_request import BinaryBody, ExpectedVersion, FhirJsonBody, wants_fhir_json
from server.api.outcome import FHIR_JSON
from server.clock import utcnow
from server.services import binaries, emergency, feed, read_receipts, record, record_search


class FhirJSONResponse(JSONResponse):
    media_type = FHIR_JSON


# Every refusal (400, 401, 403, 404, 410, 412, 413, 415…) is an OperationOutcome; declaring
# 4XX also keeps FastAPI from advertising a 422 this API never sends.
router = APIRouter(prefix="/fhir", tags=["FHIR R4"], default_response_class=FhirJSONResponse, responses={
    "4XX": {"description": "OperationOutcome saying what is wrong", "content": {FHIR_JSON: {}}}})

_JSON_BODY = {"requestBody": {"required": True, "content": {
    FHIR_JSON: {"schema": {"type": "object", "description": "A FHIR R4 resource of the type in the path."}}}}}
_FILE_BODY = {"requestBody": {"required": True, "content": {
    **{kind: {"schema": {"type": "string", "format": "binary"}} for kind in binaries.ALLOWED_TYPES},
    FHIR_JSON: {"schema": {"type": "object", "description": "A FHIR Binary with base64 data."}}}}}
_FHIR_RESPONSE = {"content": {FHIR_JSON: {}}}

ResourceType = Annotated[str, Path(description="A FHIR resource type served by Carnet.",
                                   json_schema_extra={"enum": list(fhir_resources.RESOURCE_TYPES)})]
ResourceId = Annotated[str, Path(description="Resource id: 1 to 64 of [A-Za-z0-9-.].")]

MAX_FEED_WAIT_SECONDS = 60
# How often a held feed request looks for news. A cheap indexed read; at national scale
# PostgreSQL LISTEN/NOTIFY can replace it without changing the protocol.
FEED_WAIT_POLL_SECONDS = 1.0


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/fhir"


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(timezone.utc), usegmt=True)


def _fhir(content: dict, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return FhirJSONResponse(content, status_code=status, headers=headers)


def _resource_response(request: Request, stored: record.StoredResource, status: int = 200) -> JSONResponse:
    headers = {"ETag": stored.etag, "Last-Modified": _http_date(stored.last_updated)}
    if status == 201:
        headers["Location"] = f"{_base(request)}/{stored.resource_type}/{stored.id}/_history/{stored.version}"
    return _fhir(stored.content or {}, status, headers)


def _entry(stored: record.StoredResource) -> Entry:
    return Entry(stored.resource_type, stored.id, stored.version, stored.last_updated, stored.content)


@router.get("/metadata", summary="CapabilityStatement: what this server supports")
def capability_statement(request: Request, settings: SettingsDep) -> JSONResponse:
    clinical = list(fhir_resources.PATIENT_REFERENCE_ELEMENT)
    return _fhir(fhir_bundles.capability_statement(
        _base(request), clinical, software_version=request.app.version, date=utcnow().date().isoformat(),
        read_only_types=list(fhir_resources.SERVER_WRITTEN_TYPES),
        oauth_base=settings.public_base_url.rstrip("/")))


@router.post("/Binary", status_code=201, summary="Upload a document file", openapi_extra=_FILE_BODY,
             responses={201: _FHIR_RESPONSE})
def upload_binary(request: Request, session: SessionDep, settings: SettingsDep, principal: CurrentPrincipal,
                  upload: BinaryBody) -> JSONResponse:
    result = _store_binary(session, settings, principal, upload, None)
    return _binary_created(request, result.binary, 201)


@router.put("/Binary/{binary_id}", summary="Upload a document file with a client-chosen id (idempotent)",
            openapi_extra=_FILE_BODY, responses={201: _FHIR_RESPONSE})
def put_binary(request: Request, binary_id: ResourceId, session: SessionDep, settings: SettingsDep,
               principal: CurrentPrincipal, upload: BinaryBody) -> JSONResponse:
    result = _store_binary(session, settings, principal, upload, binary_id)
    return _binary_created(request, result.binary, 201 if result.created else 200)


@router.get("/Binary/{binary_id}", summary="Download a document file (raw bytes, or FHIR JSON)",
            responses={200: {"content": {FHIR_JSON: {}, **{k: {} for k in binaries.ALLOWED_TYPES}}}})
def read_binary(request: Request, binary_id: ResourceId, session: SessionDep,
                principal: CurrentPrincipal) -> Response:
    stored = binaries.read(session, principal, binary_id)
    headers = {"ETag": stored.etag, "Last-Modified": _http_date(stored.created_at)}
    if wants_fhir_json(request):
        return _fhir(stored.as_fhir(), headers=headers)
    headers["X-Content-Type-Options"] = "nosniff"
    return Response(stored.data, media_type=stored.content_type, headers=headers)


@router.get("/Patient/{patient_id}/$changes", summary="Change feed of one patient's record (for sync)")
async def patient_changes(request: Request, patient_id: ResourceId,
                          cursor: Annotated[str | None, Query(max_length=512)] = None,
                          count: Annotated[int | None, Query(alias="_count", ge=0)] = None,
                          wait: Annotated[int, Query(alias="_wait", ge=0, le=MAX_FEED_WAIT_SECONDS)] = 0,
                          ) -> JSONResponse:
    """With `_wait=S`, an empty page is held up to S seconds until something changes (long-poll),
    so a device learns of a new document within seconds without polling hard. The wait holds
    no database connection: it checks the compartment's sequence number now and then."""
    settings, factory = request.app.state.settings, request.app.state.session_factory

    def read_page() -> feed.FeedPage:
        with factory() as session, session.begin():
            principal = authenticate(request, session)  # again each time: revocation applies mid-wait
            return feed.changes(session, settings, principal, patient_id, cursor, count)

    def something_new() -> bool:
        # Past the page's cursor: entries a reader does not see (their own traces) move it on.
        with factory() as session:
            return feed.latest_seq(session, patient_id) > feed.seq_of_cursor(page.cursor, patient_id)

    page = await run_in_threadpool(read_page)
    deadline = time.monotonic() + wait
    while not page.changes and not page.has_more and time.monotonic() < deadline:
        await asyncio.sleep(min(FEED_WAIT_POLL_SECONDS, max(0.0, deadline - time.monotonic())))
        if await run_in_threadpool(something_new):
            page = await run_in_threadpool(read_page)
    base = _base(request)
    params = [("_count", str(count))] if count is not None else []
    return _fhir(fhir_bundles.change_feed(
        base, [_entry(change) for change in page.changes],
        self_url=str(request.url),
        next_url=fhir_bundles.page_url(base, f"Patient/{patient_id}/$changes", [("cursor", page.cursor), *params]),
        cursor=page.cursor, has_more=page.has_more, now=utcnow(),
    ))


@router.post("/Patient/{patient_id}/$emergency-access", summary="Open a record in an emergency (break the glass)",
             openapi_extra=_JSON_BODY)
def emergency_access(patient_id: ResourceId, session: SessionDep, principal: CurrentProfessional,
                     body: FhirJsonBody) -> JSONResponse:
    """A FHIR `Parameters` with a `reason` (valueString, 10 to 500 characters). For a few hours
    the professional reads the whole record (never what the patient hid); refused if the
    patient refused emergency access. Traced and notified to the patient either way."""
    opened = emergency.open_record(session, principal, patient_id, emergency.reason_in(body))
    return _fhir({"resourceType": "Parameters", "parameter": [
        {"name": "expires", "valueInstant": fhir_bundles.instant(opened.expires_at)}]})


@router.get("/{resource_type}", summary="Search resources of a type")
def search(request: Request, resource_type: ResourceType, session: SessionDep, settings: SettingsDep,
           principal: CurrentPrincipal) -> JSONResponse:
    page = record_search.search(session, settings, principal, resource_type,
                                list(request.query_params.multi_items()))
    return _fhir(fhir_bundles.searchset(_base(request), resource_type, page.total,
                                        [_entry(r) for r in page.resources], _paging_links(request, page)))


@router.post("/{resource_type}", status_code=201, summary="Create a resource (server-assigned id)",
             openapi_extra=_JSON_BODY, responses={201: _FHIR_RESPONSE})
def create(request: Request, resource_type: ResourceType, session: SessionDep, principal: CurrentPrincipal,
           body: FhirJsonBody) -> JSONResponse:
    return _resource_response(request, record.create(session, principal, resource_type, body), 201)


@router.get("/{resource_type}/{resource_id}", summary="Read a resource")
def read(request: Request, resource_type: ResourceType, resource_id: ResourceId, session: SessionDep,
         principal: CurrentPrincipal) -> JSONResponse:
    return _resource_response(request, record.read(session, principal, resource_type, resource_id))


@router.put("/{resource_type}/{resource_id}", summary="Update, or create with the client's id",
            openapi_extra=_JSON_BODY, responses={201: _FHIR_RESPONSE})
def update(request: Request, resource_type: ResourceType, resource_id: ResourceId, session: SessionDep,
           principal: CurrentPrincipal, body: FhirJsonBody, version: ExpectedVersion) -> JSONResponse:
    result = record.update(session, principal, resource_type, resource_id, body, version)
    return _resource_response(request, result.resource, 201 if result.created else 200)


@router.delete("/{resource_type}/{resource_id}", status_code=204, summary="Delete a resource (tombstone)")
def delete(resource_type: ResourceType, resource_id: ResourceId, version: ExpectedVersion,
           session: SessionDep, principal: CurrentPrincipal) -> Response:
    record.delete(session, principal, resource_type, resource_id, version)
    return Response(status_code=204)


@router.get("/{resource_type}/{resource_id}/_history/{version_id}", summary="Read one version of a resource")
def vread(request: Request, resource_type: ResourceType, resource_id: ResourceId, version_id: str,
          session: SessionDep, principal: CurrentPrincipal) -> JSONResponse:
    return _resource_response(request, record.vread(session, principal, resource_type, resource_id, version_id))


@router.post("/Communication/{message_id}/$mark-read", summary="Mark a message read (sets its `received`)")
def mark_message_read(request: Request, message_id: ResourceId, session: SessionDep,
                      principal: CurrentPrincipal) -> JSONResponse:
    """For the message's recipient; idempotent. Answers the message as it now stands."""
    return _resource_response(request, read_receipts.mark_read(session, principal, message_id))

def _store_binary(session, settings, principal, upload, binary_id) -> binaries.Upload:
    if upload.resource is not None:
        return binaries.upload_resource(session, settings, principal, upload.resource, binary_id)
    return binaries.upload(session, settings, principal, upload.data, upload.content_type,
                           upload.security_context, binary_id)


def _binary_created(request: Request, stored: binaries.StoredBinary, status: int) -> JSONResponse:
    metadata = {k: v for k, v in stored.as_fhir().items() if k != "data"}
    return _fhir(metadata, status, {"ETag": stored.etag, "Location": f"{_base(request)}/Binary/{stored.id}"})


def _paging_links(request: Request, page: record_search.SearchPage) -> dict[str, str]:
    base, path = _base(request), page.resource_type
    links = {"self": fhir_bundles.page_url(base, path, [*page.query, ("_count", str(page.count)),
                                                        ("_offset", str(page.offset))])}
    if page.offset + page.count < page.total and page.count:
        links["next"] = fhir_bundles.page_url(base, path, [*page.query, ("_count", str(page.count)),
                                                           ("_offset", str(page.offset + page.count))])
    if page.offset > 0 and page.count:
        links["previous"] = fhir_bundles.page_url(base, path, [*page.query, ("_count", str(page.count)),
                                                               ("_offset", str(max(0, page.offset - page.count)))])
    return links
