"""The access history for the screens, read from the encrypted cache (offline too): pages of
lines in words, the people seen in it, and one access in detail with the rule behind it.

A page always holds whole days (of the patient's time zone), so that the accesses of one
person on one day are grouped together even when they straddle a page's end.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Callable

from app.local_record import LocalRecord
from health.access_log import APP, PROFESSIONAL, REPRESENTATIVE, AccessGroup, group_accesses, local_day, read_access
from health.access_reasons import Reason, RecordFacts, TouchedItem, explain, written_by
from health.access_sentences import day_text, deeds, person_label, sentence, with_title
from health.fhir_index import code_of, parse_fhir_date
from health.profile_display import describe
from health.visibility import HIDDEN, labels_of
from storage import Cache
from storage.access_history import HistoryAgent
from storage.indexing import iso_utc
from sync.privacy_records import PrivacyChoices

PAGE_EVENTS = 60  # AuditEvents read per page (then to the end of the last day)
DAY_CAP = 5000  # events of one day read at most (a day of thousands is a machine, not a person)
ITEMS_SHOWN = 30  # touched items resolved for the detail


@dataclass(frozen=True)
class HistoryFilter:
    person: str | None = None  # a `Person.key`
    since: date | None = None  # local days, both included
    until: date | None = None
    emergency_only: bool = False

    @property
    def count(self) -> int:
        return sum(1 for value in (self.person, self.since or self.until, self.emergency_only) if value)


@dataclass(frozen=True)
class HistoryLine:
    """One line of the history: a group of accesses, in words."""

    id: str  # the newest access's id (the detail's route)
    kind: str  # "normal" | "emergency" | "refused"
    text: str
    day: str  # dd/mm/yyyy
    times: str  # "09:07" or "09:07 – 17:30"
    person_key: str
    practitioner: str | None  # "Practitioner/<id>" when a professional acted
    first_access: bool
    accesses: int


@dataclass(frozen=True)
class HistoryPage:
    lines: tuple[HistoryLine, ...]
    before: str | None  # where the next page starts; None: this was the last


@dataclass(frozen=True)
class Person:
    """Someone seen in the history."""

    key: str
    label: str  # "Dr Claire Lefèvre (médecin généraliste)"
    name: str  # "Dr Claire Lefèvre"
    kind: str  # professional | representative | app
    profession: str | None
    practitioner: str | None
    accesses: int
    last_day: str


@dataclass(frozen=True)
class AccessMoment:
    time: str
    text: str  # what this access did ("a consulté 3 documents")
    refused: bool


@dataclass(frozen=True)
class AccessDetail:
    line: HistoryLine
    person: Person | None
    moments: tuple[AccessMoment, ...]
    items: tuple[TouchedItem, ...]
    more_items: int  # touched items beyond those listed
    reasons: tuple[Reason, ...]


class AccessHistory:
    def __init__(self, record: LocalRecord, language: Callable[[], str], choices: Callable[[Cache], PrivacyChoices | None],
                 zone: tzinfo | None = None) -> None:
        self._record = record
        self._language = language
        self._choices = choices
        self._zone = zone  # the patient's time zone (None: this device's)
        self.filter = HistoryFilter()  # kept while the app runs: back from a detail, the same list

    async def page(self, before: str | None = None) -> HistoryPage:
        """The newest lines recorded before `before` (a page's `before`; None: the newest)."""
        wanted = self.filter
        return await self._record.read(lambda cache: self._page(cache, wanted, before))

    async def people(self) -> tuple[Person, ...]:
        """Everyone seen in the history, the most recent first."""
        return await self._record.read(self._people)

    async def detail(self, event_id: str) -> AccessDetail | None:
        """One line of the history in detail (None: no such access on this device)."""
        wanted = self.filter
        return await self._record.read(lambda cache: self._detail(cache, wanted, event_id))

    # -- in the worker thread -----------------------------------------------------------
    def _page(self, cache: Cache, wanted: HistoryFilter, before: str | None) -> HistoryPage:
        until = _earliest(before, self._bound(wanted.until, 1))
        rows = self._events(cache, wanted, self._bound(wanted.since), until, PAGE_EVENTS)
        next_before = None
        if len(rows) == PAGE_EVENTS:
            # Read to the end of the last day, so its groups are whole; the next page starts before it.
            next_before = self._bound(local_day(read_access(rows[-1]).recorded, self._zone))
            rows = self._events(cache, wanted, _latest(next_before, self._bound(wanted.since)), until, DAY_CAP)
        groups = group_accesses(_newest_first(rows), self._zone)
        return HistoryPage(tuple(self._line(group) for group in groups), next_before)

    def _events(self, cache: Cache, wanted: HistoryFilter, since: str | None, until: str | None,
                limit: int) -> list[dict]:
        return [stored.resource for stored in cache.access_history.page(
            agent=wanted.person, since=since, until=until, emergency_only=wanted.emergency_only, limit=limit)]

    def _people(self, cache: Cache) -> tuple[Person, ...]:
        return tuple(self._person(agent) for agent in cache.access_history.agents())

    def _detail(self, cache: Cache, wanted: HistoryFilter, event_id: str) -> AccessDetail | None:
        stored = cache.resources.get("AuditEvent", event_id)
        if stored is None:
            return None
        day = local_day(read_access(stored.resource).recorded, self._zone)
        group = self._group_of(cache, wanted, day, event_id) or self._group_of(cache, HistoryFilter(), day, event_id)
        if group is None:
            return None
        language = self._language()
        touched = group.touched()
        items = tuple(self._item(cache, reference, group) for reference in touched[:ITEMS_SHOWN])
        facts = self._facts(cache, items)
        person = next((p for p in self._people(cache) if p.key == group.first.agent_key), None)
        moments = tuple(AccessMoment(self._time(a.recorded), deeds(AccessGroup((a,), group.day), language),
                                     not a.allowed) for a in group.accesses)
        return AccessDetail(self._line(group), person, moments, items, max(0, len(touched) - ITEMS_SHOWN),
                            explain(group, facts, language))

    def _group_of(self, cache: Cache, wanted: HistoryFilter, day: date | None, event_id: str) -> AccessGroup | None:
        rows = self._events(cache, replace(wanted, since=None, until=None), self._bound(day),
                            self._bound(day, 1), DAY_CAP)
        groups = group_accesses(_newest_first(rows), self._zone)
        return next((g for g in groups if event_id in g.ids), None)

    def _item(self, cache: Cache, reference: str, group: AccessGroup) -> TouchedItem:
        kind, _, ident = reference.partition("/")
        stored = cache.resources.get(kind, ident)
        if stored is None:
            return TouchedItem(reference)
        resource = stored.resource
        document = cache.documents.get(ident) if kind == "DocumentReference" else None
        title = (document.title if document else None) or describe(resource, self._language()).title or kind
        return TouchedItem(reference, title, code_of(resource), written_by(resource, group.first.agent_reference),
                           HIDDEN in labels_of(resource))

    def _facts(self, cache: Cache, items: tuple[TouchedItem, ...]) -> RecordFacts:
        choices = self._choices(cache)
        if choices is None:
            return RecordFacts(touched=items, choices_known=False)
        return RecordFacts(choices.regular_doctor.practitioner if choices.regular_doctor else None,
                           frozenset(b.practitioner for b in choices.blocked), choices.emergency_access_allowed,
                           items)

    # -- words ----------------------------------------------------------------------------
    def _line(self, group: AccessGroup) -> HistoryLine:
        first = group.first
        moments = [a.recorded for a in group.accesses if a.recorded is not None]
        times = sorted({self._time(m) for m in moments})
        span = times[0] if len(times) == 1 else (f"{times[0]} – {times[-1]}" if times else "")
        practitioner = first.agent_reference if first.agent_kind == PROFESSIONAL and \
            (first.agent_reference or "").startswith("Practitioner/") else None
        return HistoryLine(group.id, group.kind, sentence(group, self._language()), day_text(group.day), span,
                           first.agent_key, practitioner, "first-access" in group.notifications, len(group.accesses))

    def _person(self, agent: HistoryAgent) -> Person:
        kind = APP if agent.key.startswith("app:") else REPRESENTATIVE if agent.role == "FAMRQT" else PROFESSIONAL
        profession = agent.profession if kind == PROFESSIONAL else None
        practitioner = agent.key if agent.key.startswith("Practitioner/") else None
        last = local_day(parse_fhir_date(agent.last), self._zone)
        name = with_title(agent.name, profession) if kind == PROFESSIONAL else agent.name
        return Person(agent.key, person_label(kind, agent.name, profession, self._language()), name, kind,
                      profession, practitioner, agent.accesses, day_text(last))

    def _time(self, moment: datetime | None) -> str:
        if moment is None:
            return ""
        local = moment.astimezone(self._zone) if self._zone is not None else moment.astimezone()
        return local.strftime("%H:%M")

    def _bound(self, day: date | None, plus_days: int = 0) -> str | None:
        """The UTC instant a local day starts (`plus_days` later), as the cache's dates are."""
        if day is None:
            return None
        start = datetime.combine(day + timedelta(days=plus_days), time())
        start = start.replace(tzinfo=self._zone) if self._zone is not None else start.astimezone()
        return iso_utc(start)


def _newest_first(rows: list[dict]) -> list:
    """The cache orders by the second; the events carry milliseconds (a write and a read in the
    same second stay in order). A page holds whole days, so sorting it is sorting the history."""
    accesses = [read_access(row) for row in rows]
    return sorted(accesses, key=lambda a: a.recorded or datetime.min.replace(tzinfo=timezone.utc), reverse=True)


def _earliest(*bounds: str | None) -> str | None:
    present = [b for b in bounds if b is not None]
    return min(present) if present else None


def _latest(*bounds: str | None) -> str | None:
    present = [b for b in bounds if b is not None]
    return max(present) if present else None

