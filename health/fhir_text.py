"""Reading the human side of FHIR resources: a concept's text, a person's name, a status.

Shared by the emergency card and the International Patient Summary, so both show and
select the same things.
"""
from __future__ import annotations

from health.fhir_index import code_of

INACTIVE_STATUSES = {"inactive", "resolved", "remission", "entered-in-error", "refuted"}
STOPPED_STATUSES = {"stopped", "completed", "entered-in-error", "not-taken", "on-hold"}


def concept_text(concept) -> str | None:
    if isinstance(concept, list):
        concept = concept[0] if concept else None
    if not isinstance(concept, dict):
        return None
    if isinstance(concept.get("text"), str) and concept["text"].strip():
        return concept["text"].strip()
    for coding in concept.get("coding") or []:
        if isinstance(coding, dict) and (coding.get("display") or coding.get("code")):
            return str(coding.get("display") or coding.get("code"))
    return None


def status_code(resource: dict, element: str) -> str | None:
    concept = resource.get(element)
    if isinstance(concept, str):
        return concept
    return code_of({"resourceType": "", "code": concept}) if isinstance(concept, dict) else None


def human_name(names) -> str | None:
    if not isinstance(names, list) or not names or not isinstance(names[0], dict):
        return None
    name = names[0]
    if isinstance(name.get("text"), str):
        return name["text"]
    parts = [*(name.get("given") or []), name.get("family") or ""]
    return " ".join(p for p in parts if isinstance(p, str) and p).strip() or None
