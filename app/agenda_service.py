"""The health agenda on the device: appointments (past and upcoming; the patient's own ones
added, edited, cancelled), their calendar file, prevention reminders computed offline from
the record, and the alerts before an appointment.

Appointments are FHIR Appointments (server/FEED.md): those of a care team or a booking
app are read-only; the patient's own go through the outbox like any change. Reminders are
health.prevention's, computed from the offline copy when it is unlocked and again after a
sync that brought what they are computed from; what the patient marked done or dismissed
is kept by reminder id (storage.agenda). Marking one done records it (an Immunization or a
Procedure, through the outbox), so the rules, here and on the server, stop reminding it.
"""
from __future__ import annotations

import copy
import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Callable

from app.local_record import LocalRecord
from health.calendar import CalendarEntry, calendar_of
from health.fhir_index import parse_fhir_date
from storage import Cache
from storage.errors import InvalidChange, StorageError
from storage.records import Appointment, Change, Reminder

log = logging.getLogger(__name__)

# A sync that brings one of these may change the reminders (health/prevention_facts.py).
PREVENTION_TYPES = frozenset({"Patient", "Immunization", "Procedure", "Observation", "DocumentReference"})
ALERTS_SETTING = "agenda.alerts_sent"
DAY_BEFORE, HOUR_BEFORE = timedelta(days=1), timedelta(hours=1)
MAX_DESCRIPTION = 300


class AgendaRefused(InvalidChange):
    """An appointment or a reminder change that cannot be made, in words for the patient."""

    def __init__(self, message_fr: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_fr, self.message_en = message_fr, message_en


READ_ONLY = ("Ce rendez-vous a été ajouté par un professionnel ou un service de prise de rendez-vous : "
             "vous ne pouvez pas le modifier.",
             "This appointment was added by a professional or a booking service: you cannot change it.")
NO_SUCH_APPOINTMENT = ("Ce rendez-vous n'est pas sur cet appareil.", "This appointment is not on this device.")


@dataclass(frozen=True)
class AppointmentForm:
    """What the patient typed: day as DD/MM/YYYY, time as HH:MM, duration in minutes."""

    description: str
    day: str
    time: str
    minutes: str | int = 30
    with_whom: str = ""
    place: str = ""
    comment: str = ""


@dataclass(frozen=True)
class Agenda:
    upcoming: list[Appointment]
    past: list[Appointment]
    reminders: list[Reminder]  # open ones: overdue, due, then upcoming


@dataclass(frozen=True)
class CalendarFile:
    file_name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class AppointmentAlert:
    """An appointment coming up: `soon` when it starts within the hour, else within a day."""

    appointment_id: str
    start: datetime
    description: str | None
    soon: bool


class AgendaService:
    def __init__(self, record: LocalRecord, today: Callable[[], date] = date.today) -> None:
        self._record = record
        self._today = today
        self._computed_on: date | None = None
        self._stale = threading.Event()  # set from the sync's thread when a pull touched the sources
        self._computing = threading.Lock()
        self._stop_listening: Callable[[], None] = lambda: None

    # -- the cache was opened (unlock, or a new one after sign-in) -----------------------
    def cache_opened(self, cache: Cache) -> None:
        """Listen to the syncs that follow, and compute the reminders from the offline copy
        in a thread of their own: unlocking (and the emergency card) does not wait for the
        prevention rules, which the screens read once computed."""
        self._stop_listening()
        self._stop_listening = cache.on_pulled(self._pulled)
        self._stale.set()
        threading.Thread(target=self._recompute_quietly, args=(cache,), daemon=True,
                         name="carnet-reminders").start()

    def _recompute_quietly(self, cache: Cache) -> None:
        try:
            self.fresh_reminders(cache)
        except StorageError as error:  # locked again meanwhile: computed at the next unlock
            log.info("reminders not computed: %s", type(error).__name__)

    def _pulled(self, changes: list[Change]) -> None:
        if any(change.resource_type in PREVENTION_TYPES for change in changes):
            self._stale.set()

    def fresh_reminders(self, cache: Cache) -> list[Reminder]:
        """The open reminders, recomputed first if a sync changed their sources or the day
        changed. Blocking (the home summary calls it in its worker thread)."""
        if self._stale.is_set() or self._computed_on != self._today():
            self._recompute(cache)
        return cache.agenda.reminders()

    def _recompute(self, cache: Cache) -> None:
        from health.prevention import reminders_for_record  # FHIR models: not on the unlock path

        with self._computing:
            self._stale.clear()
            today = self._today()
            plan = reminders_for_record(cache.agenda.prevention_sources(), today)
            cache.agenda.replace_reminders([_stored(reminder) for reminder in plan.reminders])
            self._computed_on = today

    # -- appointments --------------------------------------------------------------------
    @staticmethod
    def form(description: str, day: str, time: str, minutes: str | int = 30, with_whom: str = "",
             place: str = "", comment: str = "") -> AppointmentForm:
        """What the patient typed in the appointment form (checked by `save`)."""
        return AppointmentForm(description, day, time, minutes, with_whom, place, comment)

    async def agenda(self, now: datetime | None = None) -> Agenda:
        moment = _utc_text(now or datetime.now(timezone.utc))

        def read(cache: Cache) -> Agenda:
            return Agenda(cache.agenda.upcoming(moment), cache.agenda.past(moment), self.fresh_reminders(cache))
        return await self._record.read(read)

    async def appointment(self, appointment_id: str) -> Appointment:
        found = await self._record.read(lambda cache: cache.agenda.get(appointment_id))
        if found is None:
            raise AgendaRefused(*NO_SUCH_APPOINTMENT)
        return found

    async def save(self, form: AppointmentForm, appointment_id: str | None = None) -> Appointment:
        """Add an appointment to remember (no id) or change one of the patient's own."""
        start, minutes = _when(form)
        patient_id = self._record.patient_id

        def write(cache: Cache) -> Appointment:
            base = None
            if appointment_id is not None:
                _own(cache, appointment_id)
                base = cache.resources.get("Appointment", appointment_id).resource
            resource = _appointment(form, start, minutes, patient_id, base)
            cache.resources.save_local(resource)
            return cache.agenda.get(resource["id"])
        return await self._record.write(write)

    async def cancel(self, appointment_id: str) -> Appointment:
        """Cancel one of the patient's own appointments (kept, marked cancelled)."""
        def write(cache: Cache) -> Appointment:
            _own(cache, appointment_id)
            resource = copy.deepcopy(cache.resources.get("Appointment", appointment_id).resource)
            resource["status"] = "cancelled"
            cache.resources.save_local(resource)
            return cache.agenda.get(appointment_id)
        return await self._record.write(write)

    async def calendar_file(self, appointment_id: str | None = None) -> CalendarFile:
        """The agenda (or one appointment) as an .ics file for the device's calendar, built
        on the device: offline too."""
        def build(cache: Cache) -> CalendarFile:
            if appointment_id is None:
                appointments, name = cache.agenda.dated(), "carnet-agenda.ics"
            else:
                appointments, name = [_own_or_any(cache, appointment_id)], "rendez-vous.ics"
            entries = [_calendar_entry(cache, appointment) for appointment in appointments]
            return CalendarFile(name, "text/calendar", calendar_of(entries))
        return await self._record.read(build)

    # -- reminders ---------------------------------------------------------------------
    async def reminders(self, *, include_closed: bool = False) -> list[Reminder]:
        def read(cache: Cache) -> list[Reminder]:
            self.fresh_reminders(cache)
            return cache.agenda.reminders(include_closed=include_closed)
        return await self._record.read(read)

    async def reminder(self, reminder_id: str) -> Reminder:
        def read(cache: Cache) -> Reminder | None:
            self.fresh_reminders(cache)
            return cache.agenda.reminder(reminder_id)
        found = await self._record.read(read)
        if found is None:
            raise AgendaRefused("Ce rappel n'est plus d'actualité.", "This reminder no longer applies.")
        return found

    async def mark_done(self, reminder_id: str, performed_on: date | str) -> None:
        """Record that it was done on `performed_on` (a date, or DD/MM/YYYY as typed), pushed
        at the next sync, and close it."""
        patient_id = self._record.patient_id
        if isinstance(performed_on, str):
            performed_on = _typed_day(performed_on)

        from health.prevention import InvalidDoneDate, record_done, reminders_for_record

        def write(cache: Cache) -> None:
            today = self._today()
            plan = reminders_for_record(cache.agenda.prevention_sources(), today)
            due = next((reminder for reminder in plan.reminders if reminder.id == reminder_id), None)
            if due is None:
                raise AgendaRefused("Ce rappel n'est plus d'actualité.", "This reminder no longer applies.")
            try:
                resource = record_done(due, f"Patient/{patient_id}", performed_on, today=today)
            except InvalidDoneDate as refused:
                raise AgendaRefused(refused.fr, refused.en) from None
            cache.resources.save_local(resource)
            cache.agenda.close_reminder(reminder_id, "done")
            self._recompute(cache)
        await self._record.write(write)

    async def dismiss(self, reminder_id: str) -> None:
        await self._record.keep_on_device(lambda cache: cache.agenda.close_reminder(reminder_id, "dismissed"))

    async def reopen(self, reminder_id: str) -> None:
        await self._record.keep_on_device(lambda cache: cache.agenda.close_reminder(reminder_id, "due"))

    # -- alerts before an appointment ----------------------------------------------------
    async def alerts_due(self, now: datetime | None = None) -> list[AppointmentAlert]:
        """The appointments to tell the patient about now: starting within a day (once) and
        within the hour (once more); each alert is given once, across restarts."""
        moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
        return await self._record.keep_on_device(lambda cache: _take_alerts(cache, moment))


def _take_alerts(cache: Cache, now: datetime) -> list[AppointmentAlert]:
    sent = set(cache.settings.get(ALERTS_SETTING, []))
    alerts, keep = [], set()
    for appointment in cache.agenda.upcoming(_utc_text(now), limit=50):
        start = parse_fhir_date(appointment.start)
        if start is None or start - now > DAY_BEFORE:
            break
        if appointment.status in ("cancelled", "noshow", "entered-in-error"):
            continue
        soon = start - now <= HOUR_BEFORE
        key = f"{appointment.id}|{appointment.start}|{'hour' if soon else 'day'}"
        keep.add(key)
        if key not in sent:
            alerts.append(AppointmentAlert(appointment.id, start, appointment.description, soon))
    still_ahead = {key for key in sent if key.split("|")[1] >= _utc_text(now)}
    if alerts or still_ahead != sent:
        cache.settings.set(ALERTS_SETTING, sorted(still_ahead | keep))
    return alerts


def _stored(reminder) -> Reminder:
    """A health.prevention Reminder as the cache keeps it."""
    return Reminder(reminder.id, reminder.kind.value, reminder.title.fr, reminder.due.isoformat(),
                    title_en=reminder.title.en, reason_fr=reminder.reason.fr, reason_en=reminder.reason.en,
                    source=reminder.source.citation, source_url=reminder.source.url,
                    window_from=reminder.window_from.isoformat(),
                    window_until=reminder.window_until.isoformat() if reminder.window_until else None,
                    timing=reminder.status.value)


def _own(cache: Cache, appointment_id: str) -> Appointment:
    appointment = _own_or_any(cache, appointment_id)
    if not appointment.patient_may_change:
        raise AgendaRefused(*READ_ONLY)
    return appointment


def _own_or_any(cache: Cache, appointment_id: str) -> Appointment:
    appointment = cache.agenda.get(appointment_id)
    if appointment is None:
        raise AgendaRefused(*NO_SUCH_APPOINTMENT)
    return appointment


def _typed_day(text: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise AgendaRefused("Écrivez la date sous la forme JJ/MM/AAAA, par exemple 24/03/2027.",
                            "Write the date as DD/MM/YYYY, for example 24/03/2027.") from None


def _when(form: AppointmentForm) -> tuple[datetime, int]:
    """The start (in the device's time zone) and duration the form says, or why not."""
    if not form.description.strip():
        raise AgendaRefused("Dites de quel rendez-vous il s'agit.", "Say what the appointment is.")
    if len(form.description.strip()) > MAX_DESCRIPTION:
        raise AgendaRefused(f"La description est trop longue ({MAX_DESCRIPTION} caractères au plus).",
                            f"The description is too long ({MAX_DESCRIPTION} characters at most).")
    day = _typed_day(form.day)
    try:
        hour = datetime.strptime(form.time.strip().replace("h", ":"), "%H:%M").time()
    except ValueError:
        raise AgendaRefused("Écrivez l'heure sous la forme HH:MM, par exemple 14:30.",
                            "Write the time as HH:MM, for example 14:30.") from None
    try:
        minutes = int(str(form.minutes).strip() or 30)
    except ValueError:
        minutes = -1
    if not 5 <= minutes <= 24 * 60:
        raise AgendaRefused("La durée se compte en minutes, de 5 à 1440.",
                            "The duration is in minutes, from 5 to 1440.")
    if day.year < 1900 or day.year > date.today().year + 50:
        raise AgendaRefused("Cette date n'est pas plausible.", "This date is not plausible.")
    return datetime.combine(day, hour).astimezone(), minutes


def _appointment(form: AppointmentForm, start: datetime, minutes: int, patient_id: str,
                 base: dict | None) -> dict:
    """The patient's appointment as FHIR: the patient, whom it is with, where."""
    resource = copy.deepcopy(base) if base else {"resourceType": "Appointment", "id": str(uuid.uuid4()),
                                                 "status": "booked"}
    participants = [{"actor": {"reference": f"Patient/{patient_id}"}, "status": "accepted"}]
    if form.with_whom.strip():
        participants.append({"actor": {"display": form.with_whom.strip()[:200]}, "status": "accepted"})
    if form.place.strip():
        participants.append({"actor": {"type": "Location", "display": form.place.strip()[:200]},
                             "status": "accepted"})
    resource.update(description=form.description.strip(), start=start.isoformat(timespec="seconds"),
                    end=(start + timedelta(minutes=minutes)).isoformat(timespec="seconds"),
                    minutesDuration=minutes, participant=participants)
    if form.comment.strip():
        resource["comment"] = form.comment.strip()[:2000]
    else:
        resource.pop("comment", None)
    return resource


def _calendar_entry(cache: Cache, appointment: Appointment) -> CalendarEntry:
    resource = cache.resources.get("Appointment", appointment.id).resource
    updated = parse_fhir_date((resource.get("meta") or {}).get("lastUpdated")) or datetime.now(timezone.utc)
    version = int(appointment.version_id) if (appointment.version_id or "").isdigit() else 0
    # A change not pushed yet is newer than the server's version: a calendar must take it.
    return CalendarEntry(appointment.id, resource, version + (1 if appointment.pending or not version else 0),
                         updated)


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
