"""Document files (FHIR Binary): upload with type and size checks, and download.

Files live apart from their DocumentReference and out of the change feed: devices fetch
the bytes on demand. A file belongs to one patient's compartment (its security context),
and is read by whoever may read a document or a message pointing to it (AccessPolicy.can_read_file):
a physiotherapist who may not see a delivery report may not download its PDF either.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from health import fhir_resources
from server.clock import as_utc, utcnow
from server.config import Settings
from server.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge, UnsupportedMedia
from server.models import BinaryBlob, Resource
from server.principal import Principal
from server.services import audit, compartments, record_store
from server.services.access import POLICY, Target
from server.services.audit import Access
from server.services.compartments import target_of

# The first bytes each accepted type must start with, so a file is what it claims to be.
_MAGIC = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
ALLOWED_TYPES = (*_MAGIC, "text/plain")


@dataclass(frozen=True)
class StoredBinary:
    id: str
    content_type: str
    size: int
    sha256: str
    data: bytes
    created_at: datetime

    @property
    def etag(self) -> str:
        return f'"{self.sha256}"'

    def as_fhir(self) -> dict:
        return {"resourceType": "Binary", "id": self.id, "contentType": self.content_type,
                "meta": {"versionId": "1", "lastUpdated": self.created_at.isoformat().replace("+00:00", "Z")},
                "data": base64.b64encode(self.data).decode("ascii")}

    @classmethod
    def of(cls, blob: BinaryBlob) -> "StoredBinary":
        return cls(blob.id, blob.content_type, blob.size, blob.sha256, blob.data, as_utc(blob.created_at))


@dataclass(frozen=True)
class Upload:
    binary: StoredBinary
    created: bool  # False when a PUT repeated a file already stored


def media_type(content_type: str | None) -> str:
    """'Image/PNG; charset=x' -> 'image/png'."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def upload(session: Session, settings: Settings, principal: Principal, data: bytes, content_type: str,
           security_context: str | None, binary_id: str | None = None) -> Upload:
    """Store a file in a patient's compartment. With `binary_id` (PUT), a repeat of the same
    bytes returns the stored file: files are immutable, so different bytes are a conflict."""
    kind = media_type(content_type)
    _check_content(settings, data, kind)
    compartment = _compartment(session, principal, security_context)
    if binary_id is not None:
        existing = _existing(session, principal, binary_id, data, compartment)
        if existing is not None:
            return Upload(existing, created=False)
    new_id = binary_id or str(uuid.uuid4())
    facts = compartments.load(session, compartment)
    audit.enforce(session, principal, facts, Access("create", (f"Binary/{new_id}",)),
                  POLICY.can_upload_file(principal, facts))
    blob = BinaryBlob(id=new_id, patient_account_id=compartment, content_type=kind,
                      size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data,
                      created_at=utcnow(), author_account_id=principal.account_id)
    session.add(blob)
    session.flush()
    return Upload(StoredBinary.of(blob), created=True)


def upload_resource(session: Session, settings: Settings, principal: Principal, body: object,
                    binary_id: str | None = None) -> Upload:
    """Store a file sent as a FHIR Binary JSON resource (base64 `data`)."""
    if not isinstance(body, dict) or body.get("resourceType") != "Binary":
        raise InvalidInput("Expected a FHIR Binary resource (resourceType 'Binary').")
    unknown = set(body) - {"resourceType", "id", "meta", "contentType", "securityContext", "data"}
    if unknown:
        raise InvalidInput(f"Binary: unknown element(s) {', '.join(sorted(unknown))}.")
    if not isinstance(body.get("contentType"), str) or not isinstance(body.get("data"), str):
        raise InvalidInput("Binary.contentType and Binary.data (base64) are required.")
    try:
        data = base64.b64decode(body["data"], validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("Binary.data is not valid base64.") from None
    context = body.get("securityContext")
    reference = context.get("reference") if isinstance(context, dict) else None
    return upload(session, settings, principal, data, body["contentType"], reference, binary_id)


def read(session: Session, principal: Principal, binary_id: str) -> StoredBinary:
    blob = session.get(BinaryBlob, binary_id) if fhir_resources.is_valid_id(binary_id) else None
    if blob is None:
        raise NotFound(f"Binary/{binary_id} does not exist.")
    _check_readable(session, principal, blob)
    return StoredBinary.of(blob)


def _check_readable(session: Session, principal: Principal, blob: BinaryBlob) -> None:
    compartment = compartments.load(session, blob.patient_account_id)
    citing = resources_citing(session, blob)
    decision = POLICY.can_read_file(principal, _target(blob), citing, compartment)
    audit.enforce(session, principal, compartment,
                  Access("file", (f"Binary/{blob.id}", *(f"{r.resource_type}/{r.resource_id}" for r in citing))),
                  decision, concealed_message=f"Binary/{blob.id} does not exist.")


def resources_citing(session: Session, blob: BinaryBlob) -> list[Target]:
    """The live documents and messages of the file's compartment whose attachments point to it."""
    rows = session.scalars(select(Resource).where(
        Resource.patient_account_id == blob.patient_account_id,
        Resource.resource_type.in_(("DocumentReference", "Communication")),
        Resource.deleted.is_(False), cast(Resource.content, String).like(f"%Binary/{blob.id}%")))
    return [target_of(row) for row in rows if blob.id in fhir_resources.attachment_binary_ids(row.content)]


def belongs_to(session: Session, binary_id: str, patient_account_id: str) -> bool:
    return session.execute(select(BinaryBlob.id).where(
        BinaryBlob.id == binary_id, BinaryBlob.patient_account_id == patient_account_id,
    )).first() is not None


def _target(blob: BinaryBlob) -> Target:
    return Target("Binary", blob.patient_account_id, blob.id, blob.author_account_id)


def _check_content(settings: Settings, data: bytes, kind: str) -> None:
    if kind not in ALLOWED_TYPES:
        raise UnsupportedMedia(f"Files of type {kind or 'unknown'!r} are not accepted; "
                               f"accepted: {', '.join(ALLOWED_TYPES)}.")
    if len(data) > settings.max_binary_bytes:
        raise TooLarge(f"The file is larger than the {settings.max_binary_bytes} bytes allowed.")
    if not data:
        raise InvalidInput("The file is empty.")
    if kind == "text/plain":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("A text/plain file must be UTF-8 text.") from None
        if "\x00" in text:
            raise InvalidInput("A text/plain file must not contain NUL bytes.")
    elif not data.startswith(_MAGIC[kind]):
        raise InvalidInput(f"The file's content is not {kind}: its first bytes do not match that type.")


def _compartment(session: Session, principal: Principal, security_context: str | None) -> str:
    if security_context is None and not principal.is_professional:
        return principal.account_id
    patient_id = fhir_resources.patient_id_of(security_context)
    if patient_id is None:
        raise InvalidInput("Say whose file this is: X-Security-Context: Patient/<id> "
                           "(or Binary.securityContext).")
    account = record_store.patient_account(session, patient_id)
    if not principal.is_professional and (
            account is None or not POLICY.acts_for_patient(principal, compartments.load(session, account.id))):
        raise Forbidden("You can only add to or change your own record.")
    if account is None:
        raise InvalidInput(f"Patient/{patient_id} is not an active patient of Carnet.")
    return account.id


def _existing(session: Session, principal: Principal, binary_id: str, data: bytes,
              compartment: str) -> StoredBinary | None:
    if not fhir_resources.is_valid_id(binary_id):
        raise InvalidInput("A resource id is 1 to 64 letters, digits, '-' or '.'.")
    blob = session.get(BinaryBlob, binary_id)
    if blob is None:
        return None
    if blob.patient_account_id != compartment:
        raise NotFound(f"Binary/{binary_id} does not exist.")
    _check_readable(session, principal, blob)
    if blob.sha256 != hashlib.sha256(data).hexdigest():
        raise Conflict(f"Binary/{binary_id} already holds other bytes: files cannot be changed, upload a new one.")
    return StoredBinary.of(blob)
