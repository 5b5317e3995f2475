"""The patient's export of their whole record: `Patient/$everything` (FHIR, paged) and the
archive (a ZIP with the record, the files and a PDF summary), offered before closing a space.

Each route checks who asks and reads through one service call (services.export,
services.export_archive); refusals are OperationOutcomes.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from health import fhir_bundles
from health.fhir_bundles import Entry
from server.api.deps import CurrentPrincipal, SessionDep, SettingsDep
from server.api.outcome import FHIR_JSON
from server.api.routes.fhir import FhirJSONResponse, ResourceId
from server.clock import utcnow
from server.services import export, export_archive
from server.services.record import StoredResource

router = APIRouter(prefix="/fhir", tags=["FHIR R4"], default_response_class=FhirJSONResponse, responses={
    "4XX": {"description": "OperationOutcome saying what is wrong", "content": {FHIR_JSON: {}}}})


def _query(name: str, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": {"type": "string"}}


_EVERYTHING_PARAMETERS = {"parameters": [
    _query("_count", "Resources per page (default 50, at most 500); 0 gives only the total."),
    _query("_since", "Only resources changed at or after this instant (2024-01-31T08:00:00Z; a date is "
                     "read as midnight UTC)."),
    _query("_type", "Only these resource types, comma-separated (Practitioner: the professionals named)."),
    _query("_cursor", "Where the page starts: take it from the previous page's next link, as it is."),
]}


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/fhir"


def _entry(stored: StoredResource) -> Entry:
    return Entry(stored.resource_type, stored.id, stored.version, stored.last_updated, stored.content)


@router.get("/Patient/{patient_id}/$everything", summary="The whole record of a patient, page by page",
            openapi_extra=_EVERYTHING_PARAMETERS)
def patient_everything(request: Request, patient_id: ResourceId, session: SessionDep, settings: SettingsDep,
                       principal: CurrentPrincipal) -> JSONResponse:
    """A `searchset` Bundle of every current resource of the patient's compartment (search
    mode `match`, in the order they were written; deleted ones never), with the
    Practitioners they name (mode `include`). Follow the `next` link until there is none.
    For the patient and their legal representative; 404 for anyone else's id."""
    page = export.everything(session, settings, principal, patient_id, list(request.query_params.multi_items()))
    base, path = _base(request), f"Patient/{patient_id}/$everything"
    links = {"self": str(request.url)}
    if page.next_cursor:
        links["next"] = fhir_bundles.page_url(base, path, [*page.link_params, ("_cursor", page.next_cursor)])
    return FhirJSONResponse(fhir_bundles.searchset(base, "Patient", page.total, [_entry(r) for r in page.resources],
                                                   links, [_entry(r) for r in page.includes]))


@router.get("/Patient/{patient_id}/$export-archive", response_class=StreamingResponse,
            summary="Download the whole record: a ZIP with the FHIR record, the files and a PDF summary",
            responses={200: {"description": "A ZIP archive (streamed)", "content": {"application/zip": {}}}})
def patient_export_archive(request: Request, patient_id: ResourceId, session: SessionDep, settings: SettingsDep,
                           principal: CurrentPrincipal) -> StreamingResponse:
    """`record.json` (a FHIR Bundle of the whole record), `files/<binary id>.<ext>` (every
    document file, byte for byte), `summary.pdf` (a readable summary in French) and
    `README.txt` (what each part is, in French and English). Offered before closing a space
    (`POST /auth/close`), and at any time. For the patient and their legal representative."""
    archive = export_archive.open_archive(session, settings, principal, patient_id,
                                          request.app.state.session_factory, base_url=_base(request), now=utcnow())
    return StreamingResponse(archive.chunks, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{archive.filename}"', "Cache-Control": "no-store"})
