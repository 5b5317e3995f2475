"""The app catalogue for the patient: the referenced apps and what each asks for, the
patient's grants, revoking one, and what an app did. Patients only (not apps, not
professionals). An app is granted access on the OAuth consent page (routes.oauth), or
from the Carnet app itself (PUT /catalogue/grants/{app_id}).
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from health.app_catalogue import AccessLine
from health.smart_scopes import PERMISSIONS, ResourceScope
from server.api.deps import CurrentPatient, SessionDep
from server.api.outcome import FHIR_JSON
from server.services import app_grants, catalogue
from server.services.catalogue import AppView

router = APIRouter(prefix="/catalogue", tags=["app catalogue"], responses={
    "4XX": {"description": "OperationOutcome saying what is wrong"}})

AppId = Annotated[str, Path(max_length=64, description="The app's id in the catalogue (its OAuth client_id).")]


class AccessOut(BaseModel):
    """One kind of data, and what the app may do with it."""

    resource_type: str = Field(description="A FHIR resource type, or * for the whole record.")
    restriction: str | None = Field(description="e.g. 'category=laboratory': only those resources.")
    read: bool
    write: bool
    permissions: str = Field(description="SMART letters among c, r, u, d, s.")
    text: str = Field(description="The whole line in French: 'Lire vos … ; Ajouter dans vos …'.")
    read_text: str | None
    write_text: str | None
    scope: str = Field(description="The line as one SMART scope (all its permissions): grant it whole, or with "
                                   "fewer permissions, in PUT /catalogue/grants/{app_id}.")


class AppOut(BaseModel):
    id: str
    name: str
    publisher: str
    category: str = Field(description="teleconsultation, diabetes, booking, fitness, …")
    category_label: str = Field(description="The category in French.")
    description: str = Field(description="What the app is for, in French.")
    homepage: str
    scopes: str = Field(description="The SMART scopes it may ask for.")
    access: list[AccessOut]
    granted: bool = Field(description="Whether you granted it access (see /catalogue/grants).")


class GrantOut(BaseModel):
    app_id: str
    app_name: str
    publisher: str
    category: str
    category_label: str
    homepage: str
    scopes: str = Field(description="The SMART scopes it holds today.")
    access: list[AccessOut]
    granted_at: datetime
    last_used_at: datetime | None
    active: bool = Field(description="False once the app was withdrawn from the catalogue: its access stopped.")


class GrantIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    scopes: str = Field(max_length=8000, description="The SMART scopes you grant, space-separated, within "
                                                     "what the app may ask for (its `scopes`).")


def _access(line: AccessLine) -> AccessOut:
    whole = ResourceScope(line.context, line.resource_type, frozenset(line.read + line.write), line.restrictions)
    restriction = "&".join(f"{name}={value}" for name, value in line.restrictions) or None
    return AccessOut(resource_type=line.resource_type, restriction=restriction, read=bool(line.read),
                     write=bool(line.write), permissions="".join(p for p in PERMISSIONS if p in line.read + line.write),
                     text=line.words,
                     read_text=line.read_words, write_text=line.write_words, scope=whole.text)


def _app(app: AppView, granted: bool) -> AppOut:
    return AppOut(id=app.id, name=app.name, publisher=app.publisher, category=app.category,
                  category_label=app.category_label, description=app.description, homepage=app.homepage,
                  scopes=app.scopes, access=[_access(line) for line in app.access], granted=granted)


@router.get("", response_model=list[AppOut], summary="The referenced apps and what each asks for")
def list_catalogue(session: SessionDep, principal: CurrentPatient) -> list[AppOut]:
    granted = app_grants.granted_app_ids(session, principal)
    return [_app(app, app.id in granted) for app in catalogue.list_apps(session, include_withdrawn=False)]


def _grant(g: app_grants.GrantView) -> GrantOut:
    return GrantOut(app_id=g.app.id, app_name=g.app.name, publisher=g.app.publisher, category=g.app.category,
                    category_label=g.app.category_label, homepage=g.app.homepage, scopes=g.scopes,
                    access=[_access(line) for line in g.access], granted_at=g.granted_at,
                    last_used_at=g.last_used_at, active=g.active)


@router.get("/grants", response_model=list[GrantOut], summary="The apps you let into your record")
def list_grants(session: SessionDep, principal: CurrentPatient) -> list[GrantOut]:
    return [_grant(g) for g in app_grants.grants(session, principal)]


@router.put("/grants/{app_id}", response_model=GrantOut, summary="Grant an app access, or change it")
def set_grant(app_id: AppId, body: GrantIn, session: SessionDep, principal: CurrentPatient) -> GrantOut:
    """The grant then gives exactly these scopes: the app's tokens are narrowed to them from its
    next request. 404 for an app not (or no longer) in the catalogue; 422 for nothing granted
    (revoke with DELETE) or a scope beyond what the app may ask for."""
    return _grant(app_grants.set_grant(session, principal, app_id, body.scopes))


@router.delete("/grants/{app_id}", status_code=204, summary="Revoke an app's access")
def revoke_grant(app_id: AppId, session: SessionDep, principal: CurrentPatient) -> Response:
    """From the app's next request on, every token it holds is refused (401)."""
    app_grants.revoke(session, principal, app_id)
    return Response(status_code=204)


@router.get("/grants/{app_id}/history", summary="What an app did in your record",
            responses={200: {"content": {FHIR_JSON: {}}}})
def app_history(request: Request, app_id: AppId, session: SessionDep, principal: CurrentPatient,
                count: Annotated[int, Query(alias="_count", ge=0, le=app_grants.MAX_HISTORY_PAGE)] = 50,
                before: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="From the next link.")] = None,
                ) -> JSONResponse:
    """A `searchset` Bundle of the app's AuditEvents in your access history, newest first (each
    names the app in `agent[0].who`: `display` its name, `identifier` {system `urn:carnet:app`,
    value its id})."""
    page = app_grants.history(session, principal, app_id, count, before)
    base = str(request.base_url).rstrip("/")
    link = f"{base}/catalogue/grants/{app_id}/history?_count={count}"
    links = [{"relation": "self", "url": link + (f"&before={before}" if before else "")}]
    if page.before is not None:
        links.append({"relation": "next", "url": f"{link}&before={page.before}"})
    bundle = {"resourceType": "Bundle", "type": "searchset", "total": page.total, "link": links,
              "entry": [{"fullUrl": f"{base}/fhir/AuditEvent/{event['id']}", "resource": event,
                         "search": {"mode": "match"}} for event in page.events]}
    return JSONResponse(bundle, media_type=FHIR_JSON)
