"""The demo patient's messages and agenda, generated apart from her record (the record
generator also seeds load-test patients, who need neither)."""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date

from server.demo import appointments, conversations
from server.demo.cast import CareTeam, Clinician, Person
from server.demo.context import GeneratedRecord, RecordContext


@dataclass
class _MailboxContext(RecordContext):
    def new_id(self) -> str:
        # Apart from the record's ids, which are numbered from the same patient id.
        self._serial += 1
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:carnet:demo:{self.patient_id}:mailbox:{self._serial}"))


def generate_mailbox(person: Person, clinicians: list[Clinician] | tuple[Clinician, ...], *, patient_id: str,
                     seed: int, today: date) -> GeneratedRecord:
    """Conversations with the care team (with one PDF file) and appointments, past and upcoming."""
    ctx = _MailboxContext(random.Random(seed), person, patient_id, CareTeam.of(clinicians), today)
    conversations.add_conversations(ctx)
    appointments.add_appointments(ctx)
    return GeneratedRecord(patient_id, ctx.resources, ctx.files)
