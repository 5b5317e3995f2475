"""The patient's export of their whole record: `Patient/$everything`, page by page.

A page holds current resources of the patient's compartment (tombstones never), in the
compartment's sequence order, plus the Practitioners they name (search mode `include`).
Paging is by position in that sequence (keyset), not by offset: a resource written while
a client pages through moves to the end, so every resource that exists when paging starts
and still exists at the end is seen at least once, and none is skipped.

Who may export is decided by AccessPolicy.can_export: the patient, or their legal
representative (e.g. a parent for a minor's space); other patients get the 404 a missing
patient gets; professionals are refused. The archive (services.export_archive) reads the
same pages, each in a short transaction of its own.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from health import fhir_resources
from health.fhir_index import parse_fhir_date
from server.config import Settings
from server.errors import InvalidInput, NotFound
from server.models import Account, BinaryBlob, Resource
from server.principal import Principal
from server.services import audit, compartments, record_store
from server.services.access import POLICY
from server.services.binaries import StoredBinary
from server.services.record import StoredResource, enforce

COMPARTMENT_TYPES: tuple[str, ...] = ("Patient", *fhir_resources.PATIENT_REFERENCE_ELEMENT, *fhir_resources.SERVER_WRITTEN_TYPES)
_PARAMETERS = ("_count", "_since", "_type", "_cursor", "_format")
_UNSUPPORTED = {"start": "start and end (clinical dates) are not supported: use _since",
                "end": "start and end (clinical dates) are not supported: use _since"}
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2}))?$")
_CURSOR_KIND = "everything"


@dataclass(frozen=True)
class EverythingQuery:
    """What one `$everything` request asks for, checked."""

    count: int
    since: datetime | None = None
    types: tuple[str, ...] = ()  # empty: every type
    after_seq: int = 0  # the page starts after this position in the compartment's sequence

    def link_params(self, since_text: str | None) -> list[tuple[str, str]]:
        params = [("_count", str(self.count))]
        if since_text:
            params.append(("_since", since_text))
        if self.types:
            params.append(("_type", ",".join(self.types)))
        return params

    @property
    def includes_practitioners(self) -> bool:
        return not self.types or "Practitioner" in self.types


@dataclass(frozen=True)
class EverythingPage:
    patient_id: str
    total: int  # matching resources of the compartment, over all pages (includes not counted)
    resources: list[StoredResource]
    includes: list[StoredResource]  # Practitioners the page's resources name
    next_cursor: str | None  # None on the last page
    link_params: tuple[tuple[str, str], ...] = ()  # _count, _since, _type as checked, for paging links


def everything(session: Session, settings: Settings, principal: Principal, patient_id: str,
               params: list[tuple[str, str]]) -> EverythingPage:
    """One page of `Patient/{patient_id}/$everything` for `principal`."""
    query = parse_query(settings, patient_id, params)
    account = exportable_patient(session, principal, patient_id, trace=query.after_seq == 0)
    page = read_page(session, account.id, patient_id, query)
    return replace(page, link_params=tuple(query.link_params(dict(params).get("_since"))))


def exportable_patient(session: Session, principal: Principal, patient_id: str, *, trace: bool = True) -> Account:
    """The patient account whose record `principal` may export; NotFound or Forbidden otherwise.

    Anyone but the patient who exports (a legal representative) or tries to (a professional)
    leaves a trace in the patient's access history; `trace=False` for the pages after the
    first of one export, so that one download is one line."""
    account = record_store.patient_account(session, patient_id) if fhir_resources.is_valid_id(patient_id) else None
    if account is None:
        raise NotFound(f"Patient/{patient_id} does not exist.")
    compartment = compartments.load(session, account.id)
    decision = POLICY.can_export(principal, compartment)
    if decision.conceal:
        raise NotFound(f"Patient/{patient_id} does not exist.")
    if trace:
        audit.enforce(session, principal, compartment, audit.Access("export", resource_type="Patient"), decision)
    enforce(decision)
    return account


def parse_query(settings: Settings, patient_id: str, params: list[tuple[str, str]]) -> EverythingQuery:
    """The checked parameters; InvalidInput (400) for anything unknown, repeated or malformed."""
    seen: set[str] = set()
    for name, _value in params:
        if name in _UNSUPPORTED:
            raise InvalidInput(f"$everything: {_UNSUPPORTED[name]}.")
        if name not in _PARAMETERS:
            raise InvalidInput(f"Unknown $everything parameter {name[:40]!r}; supported: "
                               f"{', '.join(p for p in _PARAMETERS if p != '_format')}.")
        if name in seen:
            raise InvalidInput(f"The parameter {name!r} may be given only once.")
        seen.add(name)
    values = dict(params)
    return EverythingQuery(
        count=_count(values.get("_count"), settings),
        since=_since(values.get("_since")),
        types=_types(values.get("_type")),
        after_seq=decode_cursor(values["_cursor"], patient_id) if "_cursor" in values else 0,
    )


def read_page(session: Session, account_id: str, patient_id: str, query: EverythingQuery) -> EverythingPage:
    """The page `query` names, for a patient already checked by exportable_patient."""
    matching = select(Resource).where(Resource.patient_account_id == account_id, Resource.deleted.is_(False))
    if query.since is not None:
        matching = matching.where(Resource.last_updated >= query.since)
    if query.types:
        matching = matching.where(Resource.resource_type.in_(query.types))
    total = session.execute(select(func.count()).select_from(matching.subquery())).scalar_one()
    rows = session.execute(matching.where(Resource.seq > query.after_seq).order_by(Resource.seq)
                           .limit(query.count + 1)).scalars().all() if query.count else []
    page, has_more = rows[:query.count], len(rows) > query.count
    resources = [StoredResource.of(row) for row in page]
    includes = _practitioners_named(session, resources) if query.includes_practitioners else []
    next_cursor = encode_cursor(patient_id, page[-1].seq) if has_more else None
    return EverythingPage(patient_id, total, resources, includes, next_cursor)


def compartment_pages(session_factory: sessionmaker[Session], account_id: str, patient_id: str,
                      page_size: int) -> Iterator[EverythingPage]:
    """Every page of the record, each read in a short transaction of its own, so a slow
    download holds no database connection between pages."""
    query = EverythingQuery(count=page_size)
    while True:
        with session_factory() as session, session.begin():
            page = read_page(session, account_id, patient_id, query)
        yield page
        if page.next_cursor is None:
            return
        query = EverythingQuery(count=page_size, after_seq=decode_cursor(page.next_cursor, patient_id))


def compartment_files(session_factory: sessionmaker[Session], account_id: str) -> Iterator[StoredBinary]:
    """Every document file of the compartment, oldest first, one file in memory at a time."""
    with session_factory() as session:
        ids = session.execute(select(BinaryBlob.id).where(BinaryBlob.patient_account_id == account_id)
                              .order_by(BinaryBlob.created_at, BinaryBlob.id)).scalars().all()
    for binary_id in ids:
        stored = _read_file(session_factory, account_id, binary_id)
        if stored is not None:  # yielded once the session is closed: no connection held meanwhile
            yield stored
        del stored  # one file in memory at a time: let it go before reading the next


def _read_file(session_factory: sessionmaker[Session], account_id: str, binary_id: str) -> StoredBinary | None:
    with session_factory() as session:
        blob = session.get(BinaryBlob, binary_id)
        return StoredBinary.of(blob) if blob is not None and blob.patient_account_id == account_id else None


def encode_cursor(patient_id: str, seq: int) -> str:
    raw = json.dumps({"k": _CURSOR_KIND, "p": patient_id, "s": seq}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, patient_id: str) -> int:
    """The position a cursor from a `next` link stands for; InvalidInput if it is not one of ours."""
    fields = _cursor_fields(cursor) if len(cursor) <= 512 else None
    seq = fields.get("s") if isinstance(fields, dict) else None
    if not (isinstance(fields, dict) and fields.get("k") == _CURSOR_KIND and fields.get("p") == patient_id
            and type(seq) is int and seq >= 0):
        raise InvalidInput("_cursor is not a valid $everything cursor for this patient: "
                           "follow the next link as given, or start again without _cursor.")
    return seq


def _cursor_fields(cursor: str) -> object:
    try:
        return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def _count(raw: str | None, settings: Settings) -> int:
    if raw is None:
        return settings.page_size_default
    if not raw.isdigit() or len(raw) > 9:
        raise InvalidInput(f"_count must be a whole number of 0 or more (at most {settings.page_size_max} "
                           "are returned per page).")
    return min(int(raw), settings.page_size_max)


def _since(raw: str | None) -> datetime | None:
    if raw is None:
        return None
    moment = parse_fhir_date(raw) if _INSTANT.match(raw) else None
    if moment is None:
        raise InvalidInput(f"_since must be an instant such as 2024-01-31T08:00:00Z or +01:00 "
                           f"(or a date, read as midnight UTC); got {raw[:40]!r}.")
    return moment


def _types(raw: str | None) -> tuple[str, ...]:
    if raw is None:
        return ()
    names = tuple(dict.fromkeys(name.strip() for name in raw.split(",")))
    allowed = (*COMPARTMENT_TYPES, "Practitioner")
    unknown = [name for name in names if name not in allowed]
    if unknown or not names:
        raise InvalidInput(f"_type: {', '.join(repr(n[:40]) for n in unknown) or 'empty'} is not a type of "
                           f"the record; one or more of {', '.join(allowed)}, separated by commas.")
    return names


def _practitioners_named(session: Session, resources: list[StoredResource]) -> list[StoredResource]:
    ids = sorted({reference.split("/", 1)[1] for stored in resources
                  for reference in fhir_resources.declared_authors(stored.content or {})
                  if reference.startswith("Practitioner/")})
    if not ids:
        return []
    rows = session.execute(select(Resource).where(
        Resource.resource_type == "Practitioner", Resource.id.in_(ids), Resource.deleted.is_(False),
    ).order_by(Resource.id)).scalars().all()
    return [StoredResource.of(row) for row in rows]
