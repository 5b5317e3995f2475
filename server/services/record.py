"""The patient record: read, create, update and delete FHIR resources for a principal.

Every write goes through services.record_store; every decision through services.access,
and is traced by services.audit when someone other than the patient takes it.

Another patient's record, one rule: nothing a patient gets back tells whether another
patient or resource exists.
- Reading, updating or deleting a resource of another compartment: 404, word for word
  what a resource that does not exist gets.
- Sending a body whose subject/patient is another patient: 403 "You can only add to or
  change your own record", whether that patient exists or not.
- Searching another patient's resources finds nothing (searches are confined, not refused).

Visibility labels (health.visibility) each belong to one party: a write keeps the stored
value of the labels its author does not control, and changing only labels ("relabel",
e.g. the patient hiding a professional's document) keeps the resource's author.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from health import fhir_resources
from health.fhir_index import category_of, code_of
from health.fhir_resources import InvalidResource
from health.server_meta import without_server_meta
from health.visibility import WITHHELD_FROM_PATIENT, labels_of, with_labels, without_labels
from server.clock import as_utc
from server.errors import Forbidden, Gone, InvalidInput, NotFound
from server.models import Resource, ResourceVersion
from server.principal import Principal
from server.services import audit, binaries, compartments, messages, privacy, record_store
from server.services.access import POLICY, Action, Compartment, Decision, Target
from server.services.audit import Access
from server.services.compartments import target_of


@dataclass(frozen=True)
class StoredResource:
    """One version of a resource as the API returns it (content is None for a deletion)."""

    resource_type: str
    id: str
    version: int
    last_updated: datetime
    deleted: bool
    content: dict | None

    @property
    def etag(self) -> str:
        return f'W/"{self.version}"'

    @classmethod
    def of(cls, row: Resource) -> "StoredResource":
        return cls(row.resource_type, row.id, row.version_id, as_utc(row.last_updated), row.deleted,
                   row.content)


@dataclass(frozen=True)
class WriteResult:
    resource: StoredResource
    created: bool


def author_of(principal: Principal) -> record_store.Author:
    return record_store.Author(principal.account_id, principal.kind.value)


def enforce(decision: Decision) -> None:
    """Turn a refusal into the error the API answers with (decisions outside any
    compartment; inside one, services.audit.enforce also traces them)."""
    if decision.allowed:
        return
    if decision.conceal:
        raise NotFound(decision.reason or "No such resource.")
    raise Forbidden(decision.reason)


def check_type(resource_type: str) -> None:
    if resource_type not in fhir_resources.RESOURCE_TYPES:
        raise NotFound(f"Carnet does not serve {resource_type!r} resources; "
                       f"supported: {', '.join(fhir_resources.SUPPORTED_TYPES)}.")


def check_id(resource_id: str) -> None:
    if not fhir_resources.is_valid_id(resource_id):
        raise InvalidInput("A resource id is 1 to 64 letters, digits, '-' or '.'.")


def compartment_of_row(session: Session, patient_account_id: str | None) -> Compartment | None:
    return compartments.load(session, patient_account_id) if patient_account_id else None


def decide(session: Session, principal: Principal, compartment: Compartment | None, access: Access,
           decision: Decision, concealed_message: str) -> None:
    """Trace and enforce a decision on a compartment (or just enforce one outside any)."""
    if compartment is None:
        if not decision.allowed and decision.conceal:
            raise NotFound(concealed_message)
        enforce(decision)
        return
    audit.enforce(session, principal, compartment, access, decision, concealed_message=concealed_message)


def read(session: Session, principal: Principal, resource_type: str, resource_id: str) -> StoredResource:
    row = _readable_row(session, principal, resource_type, resource_id, "read")
    if row.deleted:
        raise Gone(f"{resource_type}/{resource_id} was deleted.")
    return StoredResource.of(row)


def vread(session: Session, principal: Principal, resource_type: str, resource_id: str,
          version: str) -> StoredResource:
    if not version.isdigit():
        raise InvalidInput("A version id is a whole number.")
    row = _readable_row(session, principal, resource_type, resource_id, "vread")
    old = session.execute(select(ResourceVersion).where(
        ResourceVersion.resource_type == resource_type, ResourceVersion.resource_id == row.id,
        ResourceVersion.version_id == int(version),
    )).scalar_one_or_none()
    if old is None:
        raise NotFound(f"{resource_type}/{resource_id} has no version {version}.")
    if old.deleted:
        raise Gone(f"Version {version} of {resource_type}/{resource_id} is a deletion.")
    return StoredResource(resource_type, row.id, old.version_id, as_utc(old.last_updated), False, old.content)


def create(session: Session, principal: Principal, resource_type: str, body: object) -> StoredResource:
    """POST: the server assigns the id (any id in the body is ignored, as FHIR says)."""
    check_type(resource_type)
    if resource_type == "Patient":
        raise Forbidden("Patient resources are created with the patient's space, not through the record.")
    _refuse_server_written(principal, resource_type, Action.create)
    if isinstance(body, dict):
        body = {**body, "id": str(uuid.uuid4())}
    resource = _validated(body, resource_type)
    compartment = _compartment_of(session, principal, resource)
    return _write(session, principal, resource, compartment, None, None).resource


def update(session: Session, principal: Principal, resource_type: str, resource_id: str, body: object,
           expected_version: int | None = None) -> WriteResult:
    """PUT: updates, or creates with the client's id ("update as create", for idempotent pushes).

    A PUT whose content equals the current version changes nothing and succeeds, even if
    its If-Match names an older version: a device retrying a push it already made must
    not meet a conflict with itself.
    """
    check_type(resource_type)
    check_id(resource_id)
    _refuse_server_written(principal, resource_type, Action.update)
    resource = _validated(body, resource_type)
    if resource.get("id") != resource_id:
        raise InvalidInput(f"The body's id ({resource.get('id')!r}) must be the id in the URL ({resource_id!r}).")
    compartment = _compartment_of(session, principal, resource)
    if compartment is not None:
        record_store.lock_compartment(session, compartment)
    row = record_store.find(session, resource_type, resource_id)
    if row is not None and row.patient_account_id != compartment:
        elsewhere = compartment_of_row(session, row.patient_account_id)
        decide(session, principal, elsewhere, Access("update", (f"{resource_type}/{resource_id}",)),
               POLICY.can_read(principal, target_of(row), elsewhere), f"{resource_type}/{resource_id} does not exist.")
        raise InvalidInput(f"{resource_type}/{resource_id} belongs to another compartment: "
                           "a resource cannot move to another patient.")
    return _write(session, principal, resource, compartment, row, expected_version)


def delete(session: Session, principal: Principal, resource_type: str, resource_id: str,
           expected_version: int | None = None) -> None:
    """Tombstone a resource. Deleting one already deleted succeeds (pushes may be retried)."""
    check_type(resource_type)
    check_id(resource_id)
    _refuse_server_written(principal, resource_type, Action.delete)
    row = record_store.find(session, resource_type, resource_id)
    if row is None:
        raise NotFound(f"{resource_type}/{resource_id} does not exist.")
    compartment = compartment_of_row(session, row.patient_account_id)
    target = target_of(row)
    decision = (POLICY.can_read(principal, target, compartment) if row.deleted
                else POLICY.can_write(principal, target, Action.delete, compartment))
    decide(session, principal, compartment, Access("delete", (f"{resource_type}/{resource_id}",)), decision,
           f"{resource_type}/{resource_id} does not exist.")
    if not row.deleted:
        if resource_type == "Communication":
            messages.check_change_allowed(principal, row)
        record_store.tombstone(session, row, author=author_of(principal), expected_version=expected_version)


def _write(session: Session, principal: Principal, resource: dict, compartment_id: str | None,
           row: Resource | None, expected_version: int | None) -> WriteResult:
    """Decide, trace and store a create or an update (labels merged as their owners say)."""
    resource_type, resource_id = resource["resourceType"], resource["id"]
    compartment = compartment_of_row(session, compartment_id)
    exists = row is not None and not row.deleted
    incoming = _target_of_resource(resource, compartment_id, principal)
    stored = target_of(row) if exists else Target(resource_type, compartment_id, resource_id)
    requested = labels_of(resource)
    if compartment is not None:
        final = POLICY.labels_after_write(principal, stored, requested, compartment)
        if final != requested:
            resource = with_labels(resource, final)
    action = _action(row, resource) if exists else Action.create
    decision = POLICY.can_write(principal, stored if exists else incoming, action, compartment)
    if decision.allowed and compartment is not None:
        decision = POLICY.can_label(principal, stored, requested, compartment)
    added = resource_type == "DocumentReference" and WITHHELD_FROM_PATIENT not in labels_of(resource) and (
        not exists or WITHHELD_FROM_PATIENT in stored.labels)
    new_message = resource_type == "Communication" and not exists and principal.is_professional
    decide(session, principal, compartment,
           Access("update" if exists else "create", (f"{resource_type}/{resource_id}",), document_added=added,
                  message_added=new_message),
           decision, f"{resource_type}/{resource_id} does not exist.")
    if resource_type == "Communication":
        resource = messages.prepare(session, principal, resource, compartment_id, row if exists else None)
    if exists and _same_content(row.content, resource):
        return WriteResult(StoredResource.of(row), created=False)
    if exists and resource_type == "Patient":
        _check_identity_kept(row.content, resource)
        privacy.check_regular_doctor(session, compartment, resource)
    _check_attachments(session, resource, compartment_id)
    author = record_store.Author(row.author_account_id, row.author_kind) if action is Action.relabel \
        else author_of(principal)
    written = record_store.store(session, resource, patient_account_id=compartment_id, author=author,
                                 expected_version=expected_version)
    return WriteResult(StoredResource.of(written), created=not exists)


def _action(row: Resource, resource: dict) -> Action:
    """An update that changes nothing but visibility labels is a relabel."""
    before = without_labels(without_server_meta(row.content or {}))
    after = without_labels(without_server_meta(resource))
    return Action.relabel if before == after and labels_of(row.content) != labels_of(resource) else Action.update


def _target_of_resource(resource: dict, compartment_id: str | None, principal: Principal) -> Target:
    return Target(resource["resourceType"], compartment_id, resource["id"], principal.account_id,
                  principal.kind.value, code_of(resource), category_of(resource), labels_of(resource))


def _refuse_server_written(principal: Principal, resource_type: str, action: Action) -> None:
    if resource_type in fhir_resources.SERVER_WRITTEN_TYPES:
        enforce(POLICY.can_write(principal, Target(resource_type, None), action))


def _readable_row(session: Session, principal: Principal, resource_type: str, resource_id: str,
                  interaction: str) -> Resource:
    check_type(resource_type)
    check_id(resource_id)
    row = record_store.find(session, resource_type, resource_id)
    if row is None:
        raise NotFound(f"{resource_type}/{resource_id} does not exist.")
    compartment = compartment_of_row(session, row.patient_account_id)
    decide(session, principal, compartment, Access(interaction, (f"{resource_type}/{resource_id}",)),
           POLICY.can_read(principal, target_of(row), compartment), f"{resource_type}/{resource_id} does not exist.")
    return row


class InvalidResourceInput(InvalidInput):
    """A resource refused by validation; `issues` are (path, problem) pairs for the outcome."""

    def __init__(self, resource_type: str, error: InvalidResource):
        super().__init__(f"This is not a valid {resource_type}: {error}")
        self.issues = [(issue.path, issue.message) for issue in error.issues]


def _validated(body: object, resource_type: str) -> dict:
    try:
        return fhir_resources.validate(body, resource_type)
    except InvalidResource as error:
        raise InvalidResourceInput(resource_type, error) from None


def _compartment_of(session: Session, principal: Principal, resource: dict) -> str | None:
    """The account id of the patient whose compartment the resource belongs to."""
    kind = resource["resourceType"]
    if kind == "Practitioner":
        return None
    patient_id = fhir_resources.patient_id_of(fhir_resources.patient_reference(resource))
    if patient_id is None:
        element = fhir_resources.PATIENT_REFERENCE_ELEMENT.get(kind, "id")
        raise InvalidInput(f"{kind}.{element} must reference the patient as 'Patient/<id>'.")
    account = record_store.patient_account(session, patient_id)
    if not principal.is_professional and (
            account is None or not POLICY.acts_for_patient(principal, compartments.load(session, account.id))):
        # Same answer whether that patient exists or not.
        raise Forbidden("You can only add to or change your own record.")
    if account is None:
        raise InvalidInput(f"Patient/{patient_id} is not an active patient of Carnet.")
    return account.id


def _same_content(stored: dict | None, incoming: dict) -> bool:
    return stored is not None and without_server_meta(stored) == without_server_meta(incoming)


def _check_identity_kept(before: dict | None, after: dict) -> None:
    changed = [element for element in fhir_resources.PATIENT_IDENTITY_ELEMENTS
               if (before or {}).get(element) != after.get(element)]
    if changed:
        raise Forbidden(f"Patient.{', Patient.'.join(changed)} come from the INS identity and cannot be "
                        "changed here; contact details (telecom, address, contact…) can.")


def _check_attachments(session: Session, resource: dict, compartment: str | None) -> None:
    for binary_id in fhir_resources.attachment_binary_ids(resource):
        if compartment is None or not binaries.belongs_to(session, binary_id, compartment):
            raise InvalidInput(f"Attachment Binary/{binary_id} was not uploaded to this patient's record.")
