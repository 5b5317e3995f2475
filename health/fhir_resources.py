"""The FHIR R4 resources Carnet stores, and the rules an incoming resource must meet.

Pure functions, no I/O: the server validates with them, the device can too. Validation
uses fhir.resources' R4B models (R4B's JSON for these types is R4's), which refuse
unknown elements; their errors are turned into one readable line per problem.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


from health.audit_events import audited_patient_reference

# Each compartment type names the element that points at the patient it belongs to.
PATIENT_REFERENCE_ELEMENT: dict[str, str] = {
    "AllergyIntolerance": "patient",
    "Condition": "subject",
    "Procedure": "subject",
    "Immunization": "patient",
    "MedicationStatement": "subject",
    "Observation": "subject",
    "DocumentReference": "subject",
    "RelatedPerson": "patient",
    "Encounter": "subject",  # hospital stays
    "Communication": "subject",
    # An Appointment lists its participants; the one that is a Patient is whose agenda holds it.
    "Appointment": "participant.actor",
}
# Compartment types only the server writes: the access history (its patient is an entity).
SERVER_WRITTEN_TYPES: tuple[str, ...] = ("AuditEvent",)
# Types stored as resources (Binary is stored apart, as bytes: see BINARY_TYPES).
RESOURCE_TYPES: tuple[str, ...] = ("Patient", *PATIENT_REFERENCE_ELEMENT, *SERVER_WRITTEN_TYPES, "Practitioner")
SUPPORTED_TYPES: tuple[str, ...] = (*RESOURCE_TYPES, "Binary")

# Elements that name who recorded or asserted a resource, as the JSON says it. Informative
# only: access decisions use the signed-in author, never these.
DECLARED_AUTHOR_ELEMENTS: dict[str, tuple[str, ...]] = {
    "AllergyIntolerance": ("recorder", "asserter"),
    "Condition": ("recorder", "asserter"),
    "Procedure": ("recorder", "asserter", "performer.actor"),
    "Immunization": ("performer.actor",),
    "MedicationStatement": ("informationSource",),
    "Observation": ("performer",),
    "DocumentReference": ("author",),
    "Encounter": ("participant.individual", "serviceProvider"),
    "Communication": ("sender",),
    # An Appointment names participants (patient, practitioner, place), not an author.
}


# Identity traits of a Patient come from the INS registry: nobody edits them through the record.
PATIENT_IDENTITY_ELEMENTS: tuple[str, ...] = ("identifier", "name", "birthDate", "gender")

_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_MAX_ISSUES = 10


@dataclass(frozen=True)
class Issue:
    """One problem with a resource: where (a FHIRPath-like path) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InvalidResource(ValueError):
    """A resource that does not meet the rules; `issues` says where and why."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("; ".join(str(issue) for issue in issues))


def is_valid_id(value: str) -> bool:
    return isinstance(value, str) and bool(_ID.match(value))


def validate(resource: object, expected_type: str) -> dict:
    """Check `resource` is a valid `expected_type`; return it unchanged, or raise InvalidResource."""
    if not isinstance(resource, dict):
        raise InvalidResource([Issue("", "The body must be a JSON object (a FHIR resource).")])
    declared = resource.get("resourceType")
    if declared != expected_type:
        raise InvalidResource([Issue("resourceType", f"expected '{expected_type}', got {declared!r}.")])
    if "id" in resource and not is_valid_id(resource["id"]):
        raise InvalidResource([Issue("id", "an id is 1 to 64 letters, digits, '-' or '.'.")])
    # Imported here: fhir.resources' models cost ~150 ms, and the device's start-up path
    # (the emergency card, the feed checks) reads these helpers without validating.
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    try:
        get_fhir_model_class(expected_type).model_validate(resource)
    except ValidationError as error:
        raise InvalidResource(_issues_of(error)) from None
    except (ValueError, TypeError) as error:
        raise InvalidResource([Issue("", str(error)[:300])]) from None
    return resource


def _issues_of(error) -> list[Issue]:
    """One issue per problem of a pydantic ValidationError, at most `_MAX_ISSUES`."""
    issues = []
    for detail in error.errors()[:_MAX_ISSUES]:
        path = _path_of(detail.get("loc", ()))
        kind = detail.get("type", "")
        if kind == "extra_forbidden":
            message = "unknown element (not part of this resource type in FHIR R4)."
        elif kind == "missing":
            message = "this element is required."
        else:
            message = str(detail.get("msg", "invalid value"))
        issues.append(Issue(path, message))
    return issues or [Issue("", "The resource is not valid FHIR R4.")]


def _path_of(location: tuple) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not str(part).startswith(("function-", "model-")):
            path += ("." if path else "") + str(part)
    return path


def patient_reference(resource: dict) -> str | None:
    """The reference ('Patient/123') to the patient whose compartment holds this resource.

    Where the element is a list (Appointment.participant.actor), the one Patient it names;
    None when it names none or several, so an appointment never sits in two records."""
    kind = resource.get("resourceType")
    if kind == "Patient":
        return f"Patient/{resource.get('id')}"
    if kind == "AuditEvent":
        return audited_patient_reference(resource)
    element = PATIENT_REFERENCE_ELEMENT.get(kind)
    if element is None:
        return None
    if "." not in element:
        value = resource.get(element)
        return value.get("reference") if isinstance(value, dict) else None
    patients = {value["reference"] for value in _collect(resource, element.split("."))
                if isinstance(value, dict) and str(value.get("reference", "")).startswith("Patient/")}
    return patients.pop() if len(patients) == 1 else None


def patient_id_of(reference: str | None) -> str | None:
    """The id in a relative 'Patient/<id>' reference; None for any other shape."""
    if not isinstance(reference, str) or not reference.startswith("Patient/"):
        return None
    candidate = reference[len("Patient/"):]
    return candidate if is_valid_id(candidate) else None


def declared_authors(resource: dict) -> list[str]:
    """References the JSON gives as recorder/asserter/author/performer (for display only)."""
    found: list[str] = []
    for dotted in DECLARED_AUTHOR_ELEMENTS.get(resource.get("resourceType", ""), ()):
        for value in _collect(resource, dotted.split(".")):
            if isinstance(value, dict) and isinstance(value.get("reference"), str):
                found.append(value["reference"])
    return found


def _collect(value, parts: list[str]) -> list:
    if not parts:
        return value if isinstance(value, list) else [value]
    if isinstance(value, list):
        return [item for element in value for item in _collect(element, parts)]
    if isinstance(value, dict) and parts[0] in value:
        return _collect(value[parts[0]], parts[1:])
    return []


def attachment_binary_ids(resource: dict) -> list[str]:
    """Ids of the Binary resources the attachments of a DocumentReference (content.attachment)
    or of a Communication (payload.contentAttachment) point to ('Binary/<id>')."""
    ids = []
    for attachment in attachments(resource):
        url = attachment.get("url")
        if isinstance(url, str) and url.startswith("Binary/"):
            ids.append(url[len("Binary/"):])
    return ids


def attachments(resource: dict) -> list[dict]:
    """The Attachment elements of a DocumentReference or a Communication."""
    if resource.get("resourceType") == "Communication":
        found = _collect(resource, ["payload", "contentAttachment"])
    else:
        found = _collect(resource, ["content", "attachment"])
    return [attachment for attachment in found if isinstance(attachment, dict)]


def thread_reference(resource: dict) -> str | None:
    """The conversation a Communication replies in: the reference to the thread's first
    message, from partOf (or else inResponseTo), as the device reads it; None when the
    message starts a conversation of its own."""
    for element in ("partOf", "inResponseTo"):
        value = resource.get(element)
        first = value[0] if isinstance(value, list) and value else None
        if isinstance(first, dict) and isinstance(first.get("reference"), str):
            return first["reference"]
    return None
