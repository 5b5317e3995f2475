"""The medical profile for the screens: its sections, their entries page by page, the
forms to add, edit and delete the patient's own entries, and measurement charts.

Screens get typed records (`SectionSummary`, `ProfileEntry`, `MeasurementChart`) and hand
back typed forms (`health.profile_forms`); they never see JSON or SQL. What a health
professional wrote is read-only for the patient: the service refuses to change it before
the server would. A change goes to the cache and the outbox in one transaction
(`cache.resources.save_local` / `delete_local`, which send `If-Match` on push) and works
offline; the sync scheduler pushes it soon after.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Callable

from app.local_record import LocalRecord
from health.codes import MEASUREMENTS
from health.measurement_series import MeasurementChart, build_chart, series_codes, since_for
from health.profile_display import Detail, describe, measured_value
from health.profile_entries import SECTION_TYPES, blank_form, build_entry, check_form, read_entry
from health.profile_forms import BLOOD_PRESSURE, DIASTOLIC, SYSTOLIC, FieldError, ProfileForm
from health.server_meta import author_kind
from storage import Cache
from storage.profile import ProfileSection
from storage.records import StoredResource
from storage.indexing import iso_utc

PAGE_SIZE = 30
PREVIEW_SIZE = 3
# Measurements a chart can show, in the order the screen offers them (systolic and
# diastolic readings are drawn with blood pressure).
CHARTED = tuple(code for code in MEASUREMENTS if code not in (SYSTOLIC, DIASTOLIC))
PREVIEWED_MEASUREMENTS = ("29463-7", BLOOD_PRESSURE, "2339-0", "8867-4", "8302-2")
READ_ONLY_AUTHORS = ("professional", "platform")


@dataclass(frozen=True)
class SectionSummary:
    section: str
    count: int
    preview: tuple[str, ...]  # the main text of the newest entries (latest values for measurements)


@dataclass(frozen=True)
class ProfileEntry:
    id: str
    section: str
    title: str
    details: tuple[Detail, ...]
    inactive: bool
    added_by: str  # "you", "professional" or "platform"
    author: str | None  # the professional's name, when the record gives it
    sync_state: str | None  # None (on the server), "pending", "failed" or "conflict"
    editable: bool
    deletable: bool


@dataclass(frozen=True)
class EntryPage:
    entries: tuple[ProfileEntry, ...]
    more: bool  # another page follows


class ProfileRefusal(Exception):
    """A change the profile refuses: `reason` is "read-only" (a professional's entry) or
    "gone" (deleted meanwhile, e.g. by a sync)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ProfileService:
    def __init__(self, record: LocalRecord, language: Callable[[], str],
                 clock: Callable[[], datetime] = lambda: datetime.now().astimezone(),
                 zone: tzinfo | None = None) -> None:
        self._record = record
        self._language = language
        self._clock = clock
        self._zone = zone  # where typed times are (None: this device's local time)

    # -- reading -----------------------------------------------------------------------
    async def overview(self) -> tuple[SectionSummary, ...]:
        """Every section with its count and a one-line preview."""
        return await self._record.read(self._overview)

    def _overview(self, cache: Cache) -> tuple[SectionSummary, ...]:
        counts = cache.profile.counts()
        summaries = []
        for section in ProfileSection:
            if section is ProfileSection.MEASUREMENTS:
                preview = self._latest_measurements(cache)
            else:
                preview = self._preview(cache, section)
            summaries.append(SectionSummary(section.value, counts[section], preview))
        return tuple(summaries)

    def _preview(self, cache: Cache, section: ProfileSection) -> tuple[str, ...]:
        """The newest entries' main texts, what is current first (an active allergy before
        a resolved one, a treatment taken before a stopped one)."""
        views = [describe(stored.resource, self._language()) for stored in cache.profile.section(section, limit=12)]
        ordered = [v for v in views if not v.inactive] + [v for v in views if v.inactive]
        return tuple(dict.fromkeys(text for text in map(_preview_text, ordered) if text))[:PREVIEW_SIZE]

    def _latest_measurements(self, cache: Cache) -> tuple[str, ...]:
        language = self._language()
        latest = []
        for code in PREVIEWED_MEASUREMENTS:
            found = cache.resources.list("Observation", code=code, limit=1)
            if found:
                label = MEASUREMENTS[code][0 if language == "fr" else 1]
                latest.append(f"{label} {measured_value(found[0].resource, language)}")
            if len(latest) == 2:
                break
        return tuple(latest)

    async def entries(self, section: str, *, offset: int = 0, limit: int = PAGE_SIZE,
                      measurement: str | None = None) -> EntryPage:
        """A page of a section's entries, newest first; `measurement` keeps one kind of reading."""
        section = ProfileSection(section).value

        def page(cache: Cache) -> EntryPage:
            if measurement is not None:
                rows = cache.resources.list("Observation", code=measurement, limit=limit + 1, offset=offset)
            else:
                rows = cache.profile.section(ProfileSection(section), limit=limit + 1, offset=offset)
            states = _sync_states(cache)
            return EntryPage(tuple(self._entry(section, stored, states) for stored in rows[:limit]),
                             more=len(rows) > limit)
        return await self._record.read(page)

    async def measurement_counts(self) -> dict[str, int]:
        """Readings held per chartable measurement (LOINC code), in the order to offer them."""
        def counts(cache: Cache) -> dict[str, int]:
            held = cache.profile.measurement_counts()
            held[BLOOD_PRESSURE] = held.get(BLOOD_PRESSURE, 0) + max(held.get(SYSTOLIC, 0), held.get(DIASTOLIC, 0))
            return {code: held[code] for code in CHARTED if held.get(code)}
        return await self._record.read(counts)

    async def chart(self, code: str, period: str) -> MeasurementChart:
        """One measurement over `period` ("1y", "5y", "all"), thinned for drawing."""
        now = self._clock()
        since = since_for(period, now)

        def series(cache: Cache) -> MeasurementChart:
            codes = [c for c in dict.fromkeys((code, *series_codes(code))) if c in MEASUREMENTS]
            observations = [stored.resource for read_code in codes
                            for stored in cache.profile.measurements(read_code, since=iso_utc(since))]
            return build_chart(code, observations, now=now, since=since)
        return await self._record.read(series)

    # -- the patient's own entries ------------------------------------------------------
    def blank_form(self, section: str) -> ProfileForm:
        return blank_form(ProfileSection(section).value, self._clock())

    async def form_of(self, section: str, entry_id: str) -> ProfileForm:
        """The form of an entry the patient may edit (ProfileRefusal otherwise)."""
        section = ProfileSection(section).value

        def read(cache: Cache) -> ProfileForm:
            stored = self._own_entry(cache, section, entry_id)
            form = read_entry(section, stored.resource)
            if form is None:
                raise ProfileRefusal("read-only")
            return form
        return await self._record.read(read)

    def check(self, section: str, form: ProfileForm) -> tuple[FieldError, ...]:
        """What is wrong with `form`, field by field (nothing is saved)."""
        return check_form(ProfileSection(section).value, form, now=self._clock(), zone=self._zone)

    async def save(self, section: str, form: ProfileForm, entry_id: str | None = None) -> ProfileEntry:
        """Add an entry, or change the patient's own `entry_id` (same id; If-Match on push).
        InvalidForm (field errors) or ProfileRefusal leave everything as it was."""
        section = ProfileSection(section).value
        patient_id = self._record.patient_id
        now = self._clock()

        def write(cache: Cache) -> ProfileEntry:
            base = self._own_entry(cache, section, entry_id).resource if entry_id else None
            resource = build_entry(section, form, patient_id=patient_id, now=now, base=base, zone=self._zone)
            entry = cache.resources.save_local(resource)
            stored = cache.resources.get(entry.resource_type, entry.resource_id)
            return self._entry(section, stored, _sync_states(cache))
        return await self._record.write(write)

    async def delete(self, section: str, entry_id: str) -> None:
        section = ProfileSection(section).value

        def delete(cache: Cache) -> None:
            self._own_entry(cache, section, entry_id)
            cache.resources.delete_local(SECTION_TYPES[section], entry_id)
        await self._record.write(delete)

    # -- helpers -----------------------------------------------------------------------
    def _own_entry(self, cache: Cache, section: str, entry_id: str) -> StoredResource:
        stored = cache.resources.get(SECTION_TYPES[section], entry_id)
        if stored is None:
            raise ProfileRefusal("gone")
        if author_kind(stored.resource) in READ_ONLY_AUTHORS:
            raise ProfileRefusal("read-only")
        return stored

    def _entry(self, section: str, stored: StoredResource, states: dict) -> ProfileEntry:
        view = describe(stored.resource, self._language())
        kind = author_kind(stored.resource)
        read_only = kind in READ_ONLY_AUTHORS
        return ProfileEntry(
            id=stored.id, section=section, title=view.title, details=view.details, inactive=view.inactive,
            added_by=kind if read_only else "you",
            author=(view.declared_author or stored.author) if kind == "professional" else None,
            sync_state=states.get((stored.resource_type, stored.id)),
            editable=not read_only and read_entry(section, stored.resource) is not None,
            deletable=not read_only)


def _preview_text(view) -> str:
    """An entry in a few words: its main text, or for a note (advance directives) the note."""
    note = next((detail.value for detail in view.details if detail.kind == "note"), None)
    return " ".join(note.split())[:120] if note else view.title


def _sync_states(cache: Cache) -> dict[tuple[str, str], str]:
    """The outbox state of every resource with an unsent change (the outbox is short)."""
    states = {}
    for entry in cache.outbox.entries():
        state = entry.status.value
        states[(entry.resource_type, entry.resource_id)] = "pending" if state == "sending" else state
    return states
