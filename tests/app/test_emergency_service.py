"""The emergency card's services: what a locked device shows, and the exports, made in memory."""
from __future__ import annotations

import io
import json

from PIL import Image

from health.emergency import EmergencyField
from tests.app.conftest import run
from tests.app.test_services import sign_in, wait_for_sync


def test_exports_and_the_choice_of_what_a_locked_device_shows(services, world):
    world.professional_writes("AllergyIntolerance", criticality="high")
    world.professional_writes("MedicationStatement")

    async def scenario():
        await sign_in(services, world)
        await wait_for_sync(services)
        emergency = services.emergency
        assert await emergency.shown_without_unlock() == ()
        assert not emergency.has_card_without_unlock and await emergency.card_without_unlock() is None

        await emergency.show_without_unlock([EmergencyField.ALLERGIES])
        locked = await emergency.card_without_unlock()
        full = await emergency.summary()
        exports = await emergency.card_image(), await emergency.card_pdf(), await emergency.patient_summary()

        await emergency.show_without_unlock([])
        return locked, full, exports, emergency.has_card_without_unlock

    locked, full, (image, pdf, ips), still_shown = run(scenario())
    assert locked.fields == (EmergencyField.IDENTITY, EmergencyField.ALLERGIES)
    assert [a.text for a in locked.allergies] == ["Allergy to penicillin"] and locked.treatments == ()
    assert [t.text for t in full.treatments] == ["Amlodipine 5 mg"]
    assert not still_shown  # an empty choice removes the card from the device

    assert image.content_type == "image/png" and Image.open(io.BytesIO(image.data)).size == (1080, 1920)
    assert pdf.content_type == "application/pdf" and pdf.data.startswith(b"%PDF")
    bundle = json.loads(ips.data)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "document"
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds[0] == "Composition" and "AllergyIntolerance" in kinds and "MedicationStatement" in kinds
    from fhir.resources.R4B.bundle import Bundle
    Bundle.model_validate(bundle)
