"""The access history as FHIR R4 AuditEvent resources, built from plain values (no I/O).

One AuditEvent per request: a read of one resource names it; a search or a change-feed
page names every resource it returned, with their count. The shape fits what the device
reads (storage/access_history.py):
- `recorded`: when; `agent[0].who.display`: who (their profession in `agent[0].type`);
- `type.display`: what they did, in words the patient reads (French);
- `entity[0]`: what they touched (a reference, or "12 résultats" for a search); the last
  entity, of role "1" (patient), names whose record it is;
- `purposeOfEvent`: TREAT for care, ETREAT + BTG with the stated reason for an
  emergency access ("break the glass"); `outcome` "0" done, "4" refused (`outcomeDesc`
  says why);
- `meta.tag` (system urn:carnet:notification): `first-access`, `emergency-access`,
  `new-document`: what the device notifies the patient of.
Titles and contents are never copied in: only references, which the device resolves
against its own copy of the record.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from health.codes import CARNET_PROFESSION, PROFESSIONS

AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type"
RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction"
CARNET_INTERACTION = "urn:carnet:audit-interaction"
ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role"
SECURITY_SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type"
NOTIFICATION_SYSTEM = "urn:carnet:notification"
APP_SYSTEM = "urn:carnet:app"

FIRST_ACCESS = "first-access"
EMERGENCY_ACCESS = "emergency-access"
NEW_DOCUMENT = "new-document"
NEW_MESSAGE = "new-message"
NOTIFICATIONS = (FIRST_ACCESS, EMERGENCY_ACCESS, NEW_DOCUMENT, NEW_MESSAGE)

SUCCESS, REFUSED = "0", "4"

# interaction: (action code, subtype system, French words for the patient)
INTERACTIONS: dict[str, tuple[str, str, str]] = {
    "read": ("R", RESTFUL_INTERACTION, "Consultation du dossier"),
    "vread": ("R", RESTFUL_INTERACTION, "Consultation d'une version passée"),
    "search-type": ("R", RESTFUL_INTERACTION, "Recherche dans le dossier"),
    "changes": ("R", CARNET_INTERACTION, "Synchronisation du dossier"),
    "file": ("R", CARNET_INTERACTION, "Ouverture d'un fichier"),
    "create": ("C", RESTFUL_INTERACTION, "Ajout au dossier"),
    "update": ("U", RESTFUL_INTERACTION, "Modification dans le dossier"),
    "delete": ("D", RESTFUL_INTERACTION, "Suppression dans le dossier"),
    "emergency-access": ("E", CARNET_INTERACTION, "Accès en urgence au dossier"),
    "export": ("R", CARNET_INTERACTION, "Téléchargement du dossier complet"),
}


@dataclass(frozen=True)
class Agent:
    """Who acted: a professional, a legal representative, or an app."""

    kind: str  # "professional" | "representative" | "app"
    display: str
    reference: str | None = None  # "Practitioner/<id>", "Patient/<id>"
    profession: str | None = None
    app_id: str | None = None


@dataclass(frozen=True)
class AccessRecord:
    """One traced request on one patient's record."""

    event_id: str
    recorded: datetime
    patient_id: str  # FHIR id of the patient whose record it is
    agent: Agent
    interaction: str  # a key of INTERACTIONS
    entities: tuple[str, ...] = ()  # references touched ("Condition/…")
    resource_type: str | None = None  # what a search or a refused request was about
    query: str | None = None  # a search's query string
    result_count: int | None = None  # searches and feed pages
    allowed: bool = True
    refusal: str = ""
    emergency_reason: str | None = None  # set: this happened under an emergency access
    notifications: tuple[str, ...] = ()


def audit_event(record: AccessRecord) -> dict:
    """The AuditEvent resource of one traced request."""
    action, subtype_system, words = INTERACTIONS[record.interaction]
    event = {
        "resourceType": "AuditEvent",
        "id": record.event_id,
        "type": {"system": AUDIT_EVENT_TYPE, "code": "rest",
                 "display": words if record.allowed else f"{words} (refusé)"},
        "subtype": [{"system": subtype_system, "code": record.interaction}],
        "action": action,
        "recorded": _instant(record.recorded),
        "outcome": SUCCESS if record.allowed else REFUSED,
        "purposeOfEvent": [_purpose(record)],
        "agent": [_agent(record.agent)],
        "source": {"observer": {"display": "Carnet"},
                   "type": [{"system": SECURITY_SOURCE_TYPE, "code": "4", "display": "Application Server"}]},
        "entity": [*_entities(record), {"what": {"reference": f"Patient/{record.patient_id}"},
                                        "role": {"system": OBJECT_ROLE, "code": "1", "display": "Patient"}}],
    }
    if not record.allowed:
        event["outcomeDesc"] = record.refusal[:500]
    if record.notifications:
        event["meta"] = {"tag": [{"system": NOTIFICATION_SYSTEM, "code": code} for code in record.notifications]}
    return event


def notifications_of(event: dict) -> set[str]:
    tags = (event.get("meta") or {}).get("tag") or []
    return {tag.get("code") for tag in tags if isinstance(tag, dict) and tag.get("system") == NOTIFICATION_SYSTEM}


def audited_patient_reference(event: dict) -> str | None:
    """The 'Patient/<id>' whose record an AuditEvent is about (its entity of role patient)."""
    for entity in event.get("entity") or []:
        if not isinstance(entity, dict):
            continue
        role = entity.get("role") if isinstance(entity.get("role"), dict) else {}
        what = entity.get("what") if isinstance(entity.get("what"), dict) else {}
        if role.get("system") == OBJECT_ROLE and role.get("code") == "1" and isinstance(what.get("reference"), str):
            return what["reference"]
    return None


def _purpose(record: AccessRecord) -> dict:
    if record.emergency_reason is not None:
        return {"coding": [{"system": ACT_REASON, "code": "ETREAT", "display": "Emergency Treatment"},
                           {"system": ACT_REASON, "code": "BTG", "display": "break the glass"}],
                "text": record.emergency_reason[:500]}
    code, display = {"professional": ("TREAT", "treatment"), "representative": ("FAMRQT", "family requested"),
                     "app": ("PATRQT", "patient requested")}[record.agent.kind]
    return {"coding": [{"system": ACT_REASON, "code": code, "display": display}]}


def _agent(agent: Agent) -> dict:
    who: dict = {"display": agent.display[:200] or "?"}
    if agent.reference:
        who["reference"] = agent.reference
    if agent.app_id:
        who["identifier"] = {"system": APP_SYSTEM, "value": agent.app_id}
    return {"type": _agent_type(agent), "who": who, "requestor": True}


def _agent_type(agent: Agent) -> dict:
    if agent.kind == "professional":
        known = PROFESSIONS.get(agent.profession or "")
        if known:
            return {"coding": [{"system": CARNET_PROFESSION, "code": known.code, "display": known.label_en}],
                    "text": known.label_fr}
        return {"text": "Professionnel de santé"}
    if agent.kind == "representative":
        return {"coding": [{"system": ROLE_CODE, "code": "GUARD", "display": "guardian"}],
                "text": "Représentant légal"}
    return {"text": "Application"}


def _entities(record: AccessRecord) -> list[dict]:
    listed = [{"what": {"reference": reference}} for reference in record.entities]
    if record.result_count is None:
        if not listed and record.resource_type:
            return [{"what": {"display": record.resource_type}}]
        return listed
    plural = "s" if record.result_count != 1 else ""
    summary: dict = {"what": {"display": f"{record.resource_type or 'Dossier'} : "
                                         f"{record.result_count} résultat{plural}"}}
    if record.query:
        summary["query"] = base64.b64encode(record.query[:2000].encode()).decode("ascii")
    return [summary, *listed]


def _instant(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
