"""The access history as the patient reads it: each AuditEvent of the record read back into
a `TracedAccess`, and consecutive accesses by the same person on the same day grouped into
one `AccessGroup` (one line of the history). Pure, no I/O.

The events are the ones `health.audit_events` builds on the server; reading them is
lenient (a field missing or malformed gives an empty value, never an error), because an
access history that fails to show is worse than one with a blank.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Iterable

from health.audit_events import (
    ACT_REASON, APP_SYSTEM, CARNET_INTERACTION, INTERACTIONS, OBJECT_ROLE, REFUSED, RESTFUL_INTERACTION,
    notifications_of,
)
from health.codes import CARNET_PROFESSION, PROFESSIONS
from health.fhir_index import parse_fhir_date

PROFESSIONAL, REPRESENTATIVE, APP = "professional", "representative", "app"
NORMAL, EMERGENCY, REFUSAL = "normal", "emergency", "refused"  # the kinds of a group
EMERGENCY_OPENING = "emergency-access"
_SUMMARY = re.compile(r"^\s*([A-Za-z]+)\s*:\s*(\d+)\s")  # "DocumentReference : 12 résultats"
_ACTIONS = {"C": "create", "R": "read", "U": "update", "D": "delete", "E": EMERGENCY_OPENING}


@dataclass(frozen=True)
class TracedAccess:
    """One traced request on the patient's record, by someone other than the patient."""

    id: str
    recorded: datetime | None  # aware, UTC
    agent_kind: str  # PROFESSIONAL | REPRESENTATIVE | APP
    agent_name: str
    agent_reference: str | None  # "Practitioner/<id>", "Patient/<id>" (a representative)
    profession: str | None  # a code of health.codes.PROFESSIONS
    profession_text: str | None  # the profession in words when the code is unknown
    app_id: str | None
    interaction: str  # a key of health.audit_events.INTERACTIONS
    touched: tuple[str, ...]  # references of what was read or written ("Condition/c1")
    searched: tuple[tuple[str, int], ...]  # a search's (resource type, number of results)
    about: tuple[str, ...]  # resource types a refused request was about ("DocumentReference")
    allowed: bool
    refusal: str  # why it was refused (the server's words)
    emergency: bool  # under an emergency access ("break the glass")
    emergency_reason: str | None
    notifications: frozenset[str]

    @property
    def agent_key(self) -> str:
        """Who acted, the same string for all their accesses."""
        return self.agent_reference or (f"app:{self.app_id}" if self.app_id else f"name:{self.agent_name}")

    @property
    def kind(self) -> str:
        if not self.allowed:
            return REFUSAL
        return EMERGENCY if self.emergency else NORMAL


@dataclass(frozen=True)
class AccessGroup:
    """Consecutive accesses by the same person, on the same local day, of the same kind
    (normal, emergency or refused); newest first, as the history lists them."""

    accesses: tuple[TracedAccess, ...]
    day: date | None  # the local day

    @property
    def id(self) -> str:
        """The newest access's id: the group's name in routes and keys."""
        return self.accesses[0].id

    @property
    def first(self) -> TracedAccess:
        return self.accesses[0]

    @property
    def kind(self) -> str:
        return self.first.kind

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(access.id for access in self.accesses)

    @property
    def emergency_reason(self) -> str | None:
        return next((a.emergency_reason for a in self.accesses if a.emergency_reason), None)

    @property
    def opened_in_emergency(self) -> bool:
        return any(a.interaction == EMERGENCY_OPENING for a in self.accesses)

    @property
    def notifications(self) -> frozenset[str]:
        return frozenset().union(*(a.notifications for a in self.accesses))

    def touched(self) -> tuple[str, ...]:
        """Every reference the group touched, once, newest access first (the patient's own
        record aside)."""
        return tuple(dict.fromkeys(r for a in self.accesses for r in a.touched if not r.startswith("Patient/")))


def read_access(event: dict) -> TracedAccess:
    """An AuditEvent of the access history, read leniently."""
    agent = _first(event.get("agent"))
    who = _dict(agent.get("who"))
    purposes = _codes(event.get("purposeOfEvent"), ACT_REASON)
    profession, profession_text = _profession(_dict(agent.get("type")))
    identifier = _dict(who.get("identifier"))
    app_id = identifier.get("value") if identifier.get("system") == APP_SYSTEM else None
    touched, searched, about = _entities(event.get("entity"))
    purpose = next((p for p in _list(event.get("purposeOfEvent")) if isinstance(p, dict)), {})
    emergency = bool({"ETREAT", "BTG"} & purposes)
    return TracedAccess(
        id=str(event.get("id") or ""),
        recorded=_instant(event.get("recorded")),
        agent_kind=_agent_kind(purposes, who, app_id),
        agent_name=_text(who.get("display")) or "?",
        agent_reference=_text(who.get("reference")),
        profession=profession,
        profession_text=profession_text,
        app_id=_text(app_id),
        interaction=_interaction(event),
        touched=touched,
        searched=searched,
        about=about,
        allowed=str(event.get("outcome", "0")) != REFUSED,
        refusal=_text(event.get("outcomeDesc")) or "",
        emergency=emergency,
        emergency_reason=_text(purpose.get("text")) if emergency else None,
        notifications=frozenset(notifications_of(event)),
    )


def local_day(moment: datetime | None, zone: tzinfo | None = None) -> date | None:
    """The day a moment falls on where the patient is (`zone`; None: this machine's)."""
    if moment is None:
        return None
    return moment.astimezone(zone).date() if zone is not None else moment.astimezone().date()


def group_accesses(accesses: Iterable[TracedAccess], zone: tzinfo | None = None) -> list[AccessGroup]:
    """Consecutive accesses (newest first) by the same person on the same local day and of
    the same kind, as one group each: "opened 3 documents" rather than three lines."""
    groups: list[list[TracedAccess]] = []
    days: list[date | None] = []
    for access in accesses:
        day = local_day(access.recorded, zone)
        previous = groups[-1][-1] if groups else None
        if previous is not None and days[-1] == day and previous.agent_key == access.agent_key \
                and previous.kind == access.kind:
            groups[-1].append(access)
        else:
            groups.append([access])
            days.append(day)
    return [AccessGroup(tuple(members), day) for members, day in zip(groups, days)]


def touched_counts(group: AccessGroup) -> dict[str, dict[str, int]]:
    """What a group did to what: {verb: {resource type: how many}}, verbs being "read",
    "create", "update", "delete" and "file" (a document's file opened). A search counts its
    results; the same resource read twice counts once."""
    counts: dict[str, dict[str, int]] = {}
    seen: dict[str, dict[str, set[str]]] = {}
    for access in group.accesses:
        verb = _verb(access.interaction)
        if verb is None:
            continue
        by_type = seen.setdefault(verb, {})
        for reference in access.touched:
            kind = reference.split("/", 1)[0]
            if kind == "Patient" and access.interaction != "update":
                continue
            if verb == "file" and kind != "Binary":
                continue  # the documents citing an opened file are named along with it
            by_type.setdefault(kind, set()).add(reference)
        totals = counts.setdefault(verb, {})
        for kind, number in access.searched:
            totals[kind] = max(totals.get(kind, 0), number)
    for verb, by_type in seen.items():
        totals = counts.setdefault(verb, {})
        for kind, references in by_type.items():
            totals[kind] = max(totals.get(kind, 0), len(references))
    return {verb: totals for verb, totals in counts.items() if totals}


def _verb(interaction: str) -> str | None:
    if interaction in ("read", "vread", "search-type", "changes"):
        return "read"
    if interaction in ("create", "update", "delete", "file"):
        return interaction
    return None  # the emergency opening is said apart


def _interaction(event: dict) -> str:
    for coding in _list(event.get("subtype")):
        if isinstance(coding, dict) and coding.get("system") in (RESTFUL_INTERACTION, CARNET_INTERACTION) \
                and coding.get("code") in INTERACTIONS:
            return coding["code"]
    return _ACTIONS.get(str(event.get("action") or ""), "read")


def _agent_kind(purposes: set[str], who: dict, app_id: str | None) -> str:
    if "FAMRQT" in purposes:
        return REPRESENTATIVE
    if "PATRQT" in purposes or app_id:
        return APP
    if str(who.get("reference") or "").startswith("Patient/"):
        return REPRESENTATIVE
    return PROFESSIONAL


def _profession(agent_type: dict) -> tuple[str | None, str | None]:
    for coding in _list(agent_type.get("coding")):
        if isinstance(coding, dict) and coding.get("system") == CARNET_PROFESSION and coding.get("code") in PROFESSIONS:
            return coding["code"], None
    return None, _text(agent_type.get("text"))


def _entities(entities) -> tuple[tuple[str, ...], tuple[tuple[str, int], ...], tuple[str, ...]]:
    touched: list[str] = []
    searched: list[tuple[str, int]] = []
    about: list[str] = []
    for entity in _list(entities):
        if not isinstance(entity, dict):
            continue
        role = _dict(entity.get("role"))
        if role.get("system") == OBJECT_ROLE and role.get("code") == "1":
            continue  # whose record it is: the patient's own
        what = _dict(entity.get("what"))
        reference = _text(what.get("reference"))
        if reference and "/" in reference:
            touched.append(reference)
            continue
        display = _text(what.get("display")) or ""
        summary = _SUMMARY.match(display)
        if summary and summary.group(1) != "Dossier":
            searched.append((summary.group(1), int(summary.group(2))))
        elif display.isalpha():
            about.append(display)
    return tuple(touched), tuple(searched), tuple(about)


def _codes(concepts, system: str) -> set[str]:
    found = set()
    for concept in _list(concepts):
        for coding in _list(_dict(concept).get("coding")):
            if isinstance(coding, dict) and coding.get("system") == system and isinstance(coding.get("code"), str):
                found.add(coding["code"])
    return found


def _instant(value) -> datetime | None:
    return parse_fhir_date(value) if isinstance(value, str) else None


def _first(values) -> dict:
    return next((v for v in _list(values) if isinstance(v, dict)), {})


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _text(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
