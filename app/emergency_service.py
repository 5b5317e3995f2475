"""The emergency card: read in a hurry, offline, and, by the patient's choice, without the PIN.

The card shown after unlocking is built from the encrypted cache; the one shown before
unlocking is the file the cache keeps for it (`storage.emergency_card`), holding only the
fields the patient chose. Exports (an image and a PDF with a QR code, an International
Patient Summary) are made in memory and handed to the screen, never written in clear.
"""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from app.local_record import LocalRecord
from health.codes import BLOOD_GROUP_LOINC
from health.emergency import ADVANCE_DIRECTIVES_LOINC, EmergencyField, EmergencySummary
from storage import Cache, DeviceCache

# What the IPS is made from, as (resource type, code or None for every resource of that type).
_IPS_SOURCES = (("Patient", None), ("AllergyIntolerance", None), ("MedicationStatement", None),
                ("Condition", None), ("Immunization", None), ("Observation", BLOOD_GROUP_LOINC),
                ("DocumentReference", ADVANCE_DIRECTIVES_LOINC), ("RelatedPerson", None))
_IPS_MAX_PER_TYPE = 500
# Fields a patient may show without unlocking; identity always goes with them.
SHAREABLE_FIELDS = tuple(field for field in EmergencyField if field is not EmergencyField.IDENTITY)


@dataclass(frozen=True)
class ExportedFile:
    file_name: str
    content_type: str
    data: bytes


class EmergencyService:
    def __init__(self, record: LocalRecord, device: DeviceCache) -> None:
        self._record = record
        self._device = device

    async def card_without_unlock(self) -> EmergencySummary | None:
        """What the patient chose to show on a locked device; None when nothing."""
        return await asyncio.to_thread(self._device.emergency_card)

    @property
    def shareable_fields(self) -> tuple[EmergencyField, ...]:
        return SHAREABLE_FIELDS

    @property
    def has_card_without_unlock(self) -> bool:
        """A cheap check for the locked screens (the file exists or not)."""
        return self._device.has_emergency_card

    async def summary(self) -> EmergencySummary:
        return await self._record.read(lambda cache: cache.emergency.summary())

    async def shown_without_unlock(self) -> tuple[EmergencyField, ...]:
        """The fields shown on a locked device (besides name and birth date); empty: none."""
        fields = await self._record.read(lambda cache: cache.emergency.fields())
        return tuple(field for field in fields if field is not EmergencyField.IDENTITY)

    async def show_without_unlock(self, fields: list[EmergencyField]) -> None:
        """Choose what a locked device shows; an empty choice removes the card from the device."""
        chosen = [EmergencyField(field) for field in fields if EmergencyField(field) is not EmergencyField.IDENTITY]
        with_identity = [EmergencyField.IDENTITY, *chosen] if chosen else []
        await self._record.keep_on_device(lambda cache: cache.emergency.choose(with_identity))

    async def card_image(self) -> ExportedFile:
        return await self._rendered("png")

    async def card_pdf(self) -> ExportedFile:
        return await self._rendered("pdf")

    async def patient_summary(self, now: datetime | None = None) -> ExportedFile:
        """The International Patient Summary (a FHIR document Bundle) of the record."""
        moment = now or datetime.now(timezone.utc)

        def build(cache: Cache) -> ExportedFile:
            from health.ips import build_patient_summary  # not needed to open the app

            resources = _ips_resources(cache)
            patients = [r for r in resources if r.get("resourceType") == "Patient"]
            bundle = build_patient_summary(patients[0] if patients else {"resourceType": "Patient"},
                                           [r for r in resources if r.get("resourceType") != "Patient"],
                                           now=moment)
            data = json.dumps(bundle, ensure_ascii=False, indent=2).encode("utf-8")
            return ExportedFile(f"resume-patient-ips-{moment:%Y-%m-%d}.json", "application/fhir+json", data)

        return await self._record.read(build)

    async def _rendered(self, kind: str) -> ExportedFile:
        summary = await self.summary()

        def render() -> ExportedFile:
            from app.emergency_share import render_card_pdf, render_card_png  # Pillow, reportlab: lazily

            render_card = render_card_png if kind == "png" else render_card_pdf
            data = render_card(summary, patient_name=summary.name, birth_date=summary.birth_date)
            content_type = "image/png" if kind == "png" else "application/pdf"
            return ExportedFile(f"carte-urgence.{kind}", content_type, data)

        return await asyncio.to_thread(render)


def _ips_resources(cache: Cache) -> list[dict]:
    resources = []
    for resource_type, code in _IPS_SOURCES:
        resources += [stored.resource for stored in
                      cache.resources.list(resource_type, code=code, limit=_IPS_MAX_PER_TYPE)]
    return resources
