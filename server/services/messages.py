"""Messages (FHIR Communication) on their way into the record: the conversation they
belong to, who sends them to whom, when, and the files they carry.

services.record calls `prepare` for every create and update of a Communication, after
the generic write rules and before the content is compared or stored, and
`check_change_allowed` before deleting one. The decisions are services.access's; this
module gathers the facts and fills in what the server owns:

- conversation: a message that names no other starts one (care teams only); a reply names
  the conversation's first message in `partOf` (or, alone, in `inResponseTo`), as the
  device groups them. A reply to a missing conversation and a reply to another patient's
  get the same answer. A message never moves to another conversation.
- `sender`: the signed-in account (filled in when left out); a professional may name the
  establishment they write for instead (`{"type": "Organization", "display": …}`).
- `recipient`: the patient, for a care team's message (filled in when left out); for a
  patient's reply, whoever opened the conversation. Never another patient.
- `sent`: when the server first stored the message, unless the sender says when (a device
  queuing a reply offline does); kept across updates, so a retried push is a no-op.
- `received`: when the recipient read it; only services.read_receipts sets it, and every
  other write keeps the stored value.
- attachments: files uploaded as `Binary` to the same record (`url: Binary/<id>`), with
  the same type and size checks as documents; no inline data, no outside addresses.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from health import fhir_resources
from health.fhir_bundles import instant
from server.clock import utcnow
from server.errors import Forbidden, InvalidInput, NotFound
from server.models import Account, BinaryBlob, Resource
from server.principal import Principal
from server.services import compartments, record_store
from server.services.compartments import target_of
from server.services.access import POLICY, Decision
from server.services.binaries import media_type


def prepare(session: Session, principal: Principal, message: dict, compartment: str | None,
            existing: Resource | None) -> dict:
    """The message as it will be stored, or an error saying why it cannot be.

    `existing` is the stored message a PUT replaces (None for a new one)."""
    if existing is not None:
        check_change_allowed(principal, existing)
        if fhir_resources.thread_reference(existing.content or {}) != fhir_resources.thread_reference(message):
            raise InvalidInput("A message stays in its conversation: its partOf and inResponseTo cannot change.")
    thread = _conversation_of(session, principal, message, compartment)
    prepared = dict(message)
    prepared["sender"] = _sender(session, principal, message.get("sender"))
    recipients = _recipients(principal, message, thread)
    if recipients:
        prepared["recipient"] = recipients
    _set_server_times(prepared, existing)
    _check_attachments(session, prepared, compartment)
    return prepared


def check_change_allowed(principal: Principal, existing: Resource) -> None:
    """Refuse to change or withdraw a message someone else sent."""
    _enforce(POLICY.can_change_message(principal, target_of(existing)))


def thread_root(session: Session, message: Resource) -> Resource | None:
    """The first message of the conversation `message` is in (itself if it opened one)."""
    reference = fhir_resources.thread_reference(message.content or {})
    if reference is None:
        return message
    root = _stored_message(session, reference)
    return root if root is not None and root.patient_account_id == message.patient_account_id else None


def references(value) -> list[str]:
    """The literal references of a Reference list (recipient, inResponseTo…)."""
    return [item["reference"] for item in value or []
            if isinstance(item, dict) and isinstance(item.get("reference"), str)]


def _conversation_of(session: Session, principal: Principal, message: dict,
                     compartment: str | None) -> Resource | None:
    """The first message of the conversation this one replies in; None if it opens one."""
    reference = fhir_resources.thread_reference(message)
    if reference is None:
        _enforce(POLICY.can_start_conversation(principal))
        return None
    root = _stored_message(session, reference)
    facts = compartments.load(session, compartment) if compartment is not None else None
    if root is None or facts is None or not POLICY.can_reply(principal, facts, target_of(root)).allowed:
        raise _no_such_conversation(reference)
    above = fhir_resources.thread_reference(root.content or {})
    if above is not None:
        raise InvalidInput(f"{reference} is itself a reply: a reply names the first message of its "
                           f"conversation ({above}) in partOf.")
    for answered in references(message.get("inResponseTo")):
        if answered != reference and not _in_conversation(session, answered, root):
            raise _no_such_conversation(answered)
    return root


def _in_conversation(session: Session, reference: str, root: Resource) -> bool:
    row = _stored_message(session, reference)
    return (row is not None and row.patient_account_id == root.patient_account_id
            and fhir_resources.thread_reference(row.content or {}) == f"Communication/{root.id}")


def _stored_message(session: Session, reference: str) -> Resource | None:
    kind, _, message_id = reference.partition("/")
    if kind != "Communication" or not fhir_resources.is_valid_id(message_id):
        return None
    row = record_store.find(session, "Communication", message_id)
    return row if row is not None and not row.deleted else None


def _no_such_conversation(reference: str) -> InvalidInput:
    # Word for word the same whether the message is missing or in another patient's record.
    return InvalidInput(f"{reference[:80]} is not a conversation of this patient's record: a reply names "
                        "the first message of one of its conversations in partOf (or inResponseTo).")


def _sender(session: Session, principal: Principal, declared) -> dict:
    if declared is None:
        account = session.get(Account, principal.account_id)
        name = account.display_name if account is not None else None
        return {"reference": principal.reference, **({"display": name} if name else {})}
    if "reference" in declared:
        if declared["reference"] != principal.reference:
            raise Forbidden(f"You send messages as yourself: Communication.sender must be {principal.reference} "
                            "(or be left out).")
        return declared
    if principal.is_professional and declared.get("type") == "Organization" \
            and (declared.get("display") or declared.get("identifier")):
        return declared  # the establishment the professional writes for
    raise InvalidInput(f"Communication.sender: leave it out, reference yourself ({principal.reference}) or, "
                       "for a care team, name the establishment as {\"type\": \"Organization\", \"display\": …}.")


def _recipients(principal: Principal, message: dict, thread: Resource | None) -> list[dict]:
    patient = message["subject"]["reference"]  # the compartment's patient, checked by services.record
    declared = message.get("recipient") or []
    named = references(declared)
    if any(reference.startswith("Patient/") and reference != patient for reference in named):
        raise InvalidInput("Communication.recipient: a message of this record goes to its own patient, "
                           "never to another one.")
    if principal.is_patient:
        opener = (thread.content or {}).get("sender") if thread is not None else None
        return declared or ([opener] if isinstance(opener, dict) else [])
    if not declared:
        return [dict(message["subject"])]
    if patient not in named:
        raise InvalidInput(f"Communication.recipient must include the patient ({patient}): the messages of a "
                           "patient's record are addressed to them.")
    return declared


def _set_server_times(message: dict, existing: Resource | None) -> None:
    stored = (existing.content or {}) if existing is not None else {}
    if not message.get("sent"):
        message["sent"] = stored.get("sent") or instant(utcnow())
    message.pop("received", None)
    if stored.get("received"):
        message["received"] = stored["received"]


def _check_attachments(session: Session, message: dict, compartment: str | None) -> None:
    """Each attached file is a Binary of this record whose type is the one declared.

    (Whether the Binary belongs to this record is services.record's check, made for
    documents too; a file of another record is only compared once that passed.)"""
    for position, attachment in enumerate(fhir_resources.attachments(message)):
        url = attachment.get("url")
        if "data" in attachment or not isinstance(url, str) or not url.startswith("Binary/"):
            raise InvalidInput(f"Communication.payload attachment {position + 1}: upload the file as a Binary "
                               "first and attach it by its url 'Binary/<id>' (no inline data, no outside address).")
        blob = session.get(BinaryBlob, url[len("Binary/"):])
        declared = media_type(attachment.get("contentType"))
        if blob is not None and blob.patient_account_id == compartment and declared \
                and declared != blob.content_type:
            raise InvalidInput(f"Communication.payload attachment {position + 1}: contentType says {declared!r} "
                               f"but {url} is {blob.content_type!r}.")


def _enforce(decision: Decision) -> None:
    if decision.allowed:
        return
    if decision.conceal:
        raise NotFound(decision.reason or "No such resource.")
    raise Forbidden(decision.reason)
