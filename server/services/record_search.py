"""Searching the record: FHIR search parameters turned into one SQL query on indexed columns.

Supported: `_id`, `_lastUpdated`, `_count`, `_offset`, `_sort` everywhere; `patient`,
`category`, `code`, `type`, `date` on compartment types; `identifier` on Patient (INS)
and Practitioner (RPPS); `thread` on Communication (a conversation: its first message and
the replies that name it). An unknown parameter or a malformed value is refused (400)
rather than ignored, so a client never mistakes an unfiltered answer for a filtered one.
A patient's searches are confined to their own compartment (or, naming it, a minor's they
represent); a professional's searches of clinical types must name a patient. Within the
compartment, the access policy's read rule for the type becomes part of the query, so
results, `total` and paging only ever count what the principal may read; each search by
someone other than the patient is traced as one AuditEvent listing what it returned.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

from health import fhir_resources
from health.fhir_index import parse_fhir_date
from health.identifiers import INS_SYSTEM, RPPS_SYSTEM, InvalidIdentifier, normalise_ins, normalise_rpps
from server.config import Settings
from server.errors import Forbidden, InvalidInput
from server.models import AccessBlock, Account, AccountKind, Resource
from server.principal import Principal
from server.services import audit, compartments, record_store
from server.services.access import POLICY, Compartment, Target
from server.services.access_rules import NOTHING
from server.services.access_sql import rule_condition
from server.services.audit import Access
from server.services.record import StoredResource, check_type

_COMMON = {"_id", "_lastUpdated", "_count", "_offset", "_sort", "_format"}
_CLINICAL = {"patient", "category", "code", "type", "date"}
_REPEATABLE = {"date", "_lastUpdated"}
_SORTS = {"date": Resource.date, "_lastUpdated": Resource.last_updated}
_TOKEN = re.compile(r"^[A-Za-z0-9\-._:/]{1,128}$")
_DATE_PREFIXES = ("eq", "ge", "le", "gt", "lt")


@dataclass(frozen=True)
class SearchPage:
    resource_type: str
    total: int
    offset: int
    count: int
    resources: list[StoredResource]
    # The filters as given (without _count/_offset), to build paging links.
    query: list[tuple[str, str]]


def search(session: Session, settings: Settings, principal: Principal, resource_type: str,
           params: list[tuple[str, str]]) -> SearchPage:
    check_type(resource_type)
    _check_names(resource_type, params)
    count = _int_param(params, "_count", settings.page_size_default, settings.page_size_max)
    offset = _int_param(params, "_offset", 0, None)
    query = select(Resource).where(Resource.resource_type == resource_type, Resource.deleted.is_(False))
    query, compartment = _scope(session, principal, resource_type, params, query)
    for name, value in params:
        query = _filter(session, resource_type, name, value, query)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(_ordered(query, params).offset(offset).limit(count)).scalars().all()
    kept = [(n, v) for n, v in params if n not in ("_count", "_offset")]
    _trace(session, principal, resource_type, params, compartment, rows, total)
    return SearchPage(resource_type, total, offset, count, [StoredResource.of(r) for r in rows], kept)


def _check_names(resource_type: str, params: list[tuple[str, str]]) -> None:
    allowed = set(_COMMON)
    if resource_type in fhir_resources.PATIENT_REFERENCE_ELEMENT or resource_type in fhir_resources.SERVER_WRITTEN_TYPES:
        allowed |= _CLINICAL
    else:
        allowed.add("identifier")
    if resource_type == "Communication":
        allowed.add("thread")
    seen: set[str] = set()
    for name, _value in params:
        if name not in allowed:
            raise InvalidInput(f"Unknown search parameter {name!r} for {resource_type}; "
                               f"supported: {', '.join(sorted(allowed))}.")
        if name in seen and name not in _REPEATABLE:
            raise InvalidInput(f"The search parameter {name!r} may be given only once.")
        seen.add(name)


def _int_param(params: list[tuple[str, str]], name: str, default: int, cap: int | None) -> int:
    raw = dict(params).get(name)
    if raw is None:
        return default
    if not raw.isdigit() or len(raw) > 9:
        raise InvalidInput(f"{name} must be a whole number of 0 or more.")
    return min(int(raw), cap) if cap is not None else int(raw)


def _scope(session: Session, principal: Principal, resource_type: str, params: list[tuple[str, str]],
           query: Select) -> tuple[Select, Compartment | None]:
    """Confine the query to the compartment it may see, filtered by the policy's read rule."""
    if resource_type == "Practitioner":
        return query, None
    names = {name for name, _ in params}
    if POLICY.must_name_patient(principal, resource_type):
        if resource_type == "Patient":
            return _professional_patient_search(session, principal, names, query), None
        if "patient" not in names:
            raise InvalidInput(f"Searching {resource_type} needs a patient parameter (patient=<id>).")
    named = dict(params).get("patient")
    account = record_store.patient_account(session, _patient_id(named)) if named else \
        session.get(Account, principal.account_id)
    if account is None:
        return query.where(false()), None
    compartment = compartments.load(session, account.id)
    entry = POLICY.can_enter(principal, compartment)
    if not entry.allowed and entry.conceal:
        return query.where(false()), None  # another patient's record: nothing found, nothing said
    rule = POLICY.read_rule(principal, resource_type, compartment, permission="s")
    if not entry.allowed or rule == NOTHING:
        refusal = entry if not entry.allowed else POLICY.can_read(
            principal, Target(resource_type, compartment.patient_account_id), compartment)
        audit.enforce(session, principal, compartment,
                      Access("search-type", resource_type=resource_type, query=_query_text(params)), refusal)
    return query.where(Resource.patient_account_id == account.id, rule_condition(rule)), compartment


def _professional_patient_search(session: Session, principal: Principal, names: set[str], query: Select) -> Select:
    """A professional finds a patient by INS or id, never one who blocked them."""
    if not names & {"_id", "identifier"}:
        raise InvalidInput("Find a patient by identifier (urn:oid:1.2.250.1.213.1.4.8|<INS>) or _id.")
    anywhere = POLICY.can_enter(principal, Compartment(""))  # a profession that reads no record finds none
    if not anywhere.allowed:
        raise Forbidden(anywhere.reason)
    blocked_me = select(AccessBlock.patient_account_id).where(AccessBlock.professional_account_id == principal.account_id)
    return query.where(Resource.patient_account_id.not_in(blocked_me))


def _trace(session: Session, principal: Principal, resource_type: str, params: list[tuple[str, str]],
           compartment: Compartment | None, rows: list[Resource], total: int) -> None:
    """One AuditEvent per search and compartment, listing the page it returned."""
    if resource_type == "Practitioner":
        return  # the professional directory is in nobody's record
    found = [compartment] if compartment is not None else [
        compartments.load(session, account_id) for account_id in sorted({r.patient_account_id for r in rows})]
    for seen in found:
        if audit.is_traced(principal, seen):
            references = tuple(f"{r.resource_type}/{r.id}" for r in rows
                               if r.patient_account_id == seen.patient_account_id)
            audit.record(session, principal, seen, Access(
                "search-type", references, resource_type, _query_text(params),
                total if compartment is not None else len(references)), POLICY.can_enter(principal, seen))


def _query_text(params: list[tuple[str, str]]) -> str:
    return "&".join(f"{name}={value}" for name, value in params)


def _filter(session: Session, resource_type: str, name: str, value: str, query: Select) -> Select:
    if name in ("_count", "_offset", "_sort", "_format"):
        return query
    if name == "date":
        return query.where(*_date_conditions(Resource.date, value))
    if name == "_lastUpdated":
        return query.where(*_date_conditions(Resource.last_updated, value))
    if name == "identifier":
        return query.where(Resource.id.in_(_ids_by_identifier(session, resource_type, value)))
    if name == "thread":
        return query.where(_in_thread(value))
    tokens = [_token(name, part) for part in value.split(",")]
    if name == "_id":
        return query.where(Resource.id.in_(tokens))
    if name == "patient":
        account = record_store.patient_account(session, _patient_id(value))
        return query.where(Resource.patient_account_id == account.id) if account else query.where(false())
    column = Resource.category if name == "category" else Resource.code
    return query.where(column.in_([token.rsplit("|", 1)[-1] for token in tokens]))


def _token(name: str, value: str) -> str:
    system, bar, code = value.rpartition("|")
    if not _TOKEN.match(code) or (bar and system and not _TOKEN.match(system)):
        raise InvalidInput(f"{name}: {value[:80]!r} is not a valid code (system|code or code).")
    return value


def _patient_id(value: str) -> str:
    candidate = value[len("Patient/"):] if value.startswith("Patient/") else value
    if not fhir_resources.is_valid_id(candidate):
        raise InvalidInput("patient must be a Patient id or 'Patient/<id>'.")
    return candidate


def _in_thread(value: str):
    """The conversation whose first message is `value` ('Communication/<id>' or '<id>'): that
    message and the replies naming it, as services.messages and the device group them."""
    first_id = value[len("Communication/"):] if value.startswith("Communication/") else value
    if not fhir_resources.is_valid_id(first_id):
        raise InvalidInput("thread must be the id of a conversation's first message, or 'Communication/<id>'.")
    reference = f"Communication/{first_id}"
    part_of = Resource.content[("partOf", 0, "reference")].as_string()
    in_response_to = Resource.content[("inResponseTo", 0, "reference")].as_string()
    return or_(Resource.id == first_id, part_of == reference,
               and_(part_of.is_(None), in_response_to == reference))


def _ids_by_identifier(session: Session, resource_type: str, value: str) -> Select:
    system, bar, raw = value.rpartition("|")
    expected = INS_SYSTEM if resource_type == "Patient" else RPPS_SYSTEM
    if bar and system and system != expected:
        raise InvalidInput(f"identifier: this server knows {resource_type} identifiers of system {expected}.")
    try:
        normalised = normalise_ins(raw) if resource_type == "Patient" else normalise_rpps(raw)
    except InvalidIdentifier as error:
        raise InvalidInput(f"identifier: {error}") from None
    kind = AccountKind.patient if resource_type == "Patient" else AccountKind.professional
    return select(Account.fhir_id).where(Account.kind == kind, Account.identifier == normalised)


def _date_conditions(column, value: str) -> list:
    prefix, text = (value[:2], value[2:]) if value[:2] in _DATE_PREFIXES else ("eq", value)
    start, end = _date_range(text)
    return {
        "eq": [column >= start, column < end],
        "ge": [column >= start],
        "gt": [column >= end],
        "le": [column < end],
        "lt": [column < start],
    }[prefix]


def _date_range(text: str) -> tuple[datetime, datetime]:
    """The instants a FHIR date of a given precision covers: [start, end)."""
    start = parse_fhir_date(text) if re.fullmatch(r"[0-9T:.+\-Z]{4,35}", text) else None
    if start is None:
        raise InvalidInput(f"date: {text[:40]!r} is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime), "
                           "optionally prefixed by eq, ge, le, gt or lt.")
    if len(text) == 4:
        return start, start.replace(year=start.year + 1)
    if len(text) == 7:
        return start, (start + timedelta(days=32)).replace(day=1)
    if len(text) == 10:
        return start, start + timedelta(days=1)
    precision = timedelta(seconds=1) if "." not in text else timedelta(microseconds=1)
    return start.astimezone(timezone.utc), start.astimezone(timezone.utc) + precision


def _ordered(query: Select, params: list[tuple[str, str]]) -> Select:
    sort = dict(params).get("_sort")
    if sort is None:
        return query.order_by(Resource.pk)
    column = _SORTS.get(sort.lstrip("-"))
    if column is None:
        raise InvalidInput("_sort accepts date, -date, _lastUpdated or -_lastUpdated.")
    ordering = column.desc() if sort.startswith("-") else column.asc()
    return query.order_by(ordering.nulls_last(), Resource.pk)
