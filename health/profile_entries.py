"""A profile form turned into a FHIR R4 resource, and a resource read back into its form.

`build_entry(section, form, ...)` checks every field (an `InvalidForm` lists what is wrong,
field by field) and returns the resource; editing passes the stored resource as `base`:
its id, meta and every element the form does not own are kept, and an element whose
typed value did not change keeps its exact stored form (a SNOMED coding, a time of day).
`read_entry(section, resource)` gives the form to edit it. Codes follow the demo record
(SNOMED, LOINC, HL7 role codes), free text where the patient types (`code.text`).

Pure, no I/O, light imports: `health.fhir_resources` (slow to import) is not needed here.
"""
from __future__ import annotations

import base64
import copy
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Callable

from health.codes import CARNET_DOCUMENT_CATEGORY, LOINC, SNOMED
from health.emergency import ADVANCE_DIRECTIVES_LOINC
from health.fhir_index import code_of
from health.fhir_text import STOPPED_STATUSES, concept_text, status_code
from health.profile_contacts import build_contact, read_contact
from health.profile_forms import (
    ALLERGY_KINDS, CRITICALITIES, FORM_TYPES, MAX_LONG_TEXT, MAX_NOTE, AllergyForm, ConditionForm, DirectivesForm,
    FieldError, FieldReader, HospitalStayForm, InvalidForm, MeasurementForm, OperationForm, ProfileForm,
    TreatmentForm, VaccinationForm, parse_date, start_of, typed_date,
)
from health.profile_observations import build_blood_group, build_measurement, read_blood_group, read_measurement
from health.profile_parts import Build, concept, keep_concept, keep_date

ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
ENCOUNTER_CLASS = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
_RESOLVED_CONDITION = {"resolved", "inactive", "remission"}


@dataclass(frozen=True)
class _Section:
    resource_type: str
    build: Callable[[FieldReader, object, Build], None]
    read: Callable[[dict], ProfileForm | None]


def build_entry(section: str, form: ProfileForm, *, patient_id: str, now: datetime,
                base: dict | None = None, zone: tzinfo | None = None) -> dict:
    """The resource `form` describes (InvalidForm if a field is wrong). `now` is aware;
    `zone` places typed times (None: this machine's local time)."""
    spec = _SECTIONS[section]
    resource = copy.deepcopy(base) if base else {"resourceType": spec.resource_type}
    if resource.get("resourceType") != spec.resource_type:
        raise ValueError(f"a {section} entry is a {spec.resource_type}")
    reader = FieldReader(now.date())
    spec.build(reader, form, Build(resource, base or {}, patient_id, now, zone))
    reader.check()
    return resource


def check_form(section: str, form: ProfileForm, *, now: datetime, base: dict | None = None,
               zone: tzinfo | None = None) -> tuple[FieldError, ...]:
    """Every field error of `form` (empty when it can be saved)."""
    try:
        build_entry(section, form, patient_id="check", now=now, base=base, zone=zone)
    except InvalidForm as invalid:
        return invalid.errors
    return ()


def read_entry(section: str, resource: dict) -> ProfileForm | None:
    """The form holding `resource`, to edit it; None if this section's form cannot."""
    spec = _SECTIONS[section]
    if resource.get("resourceType") != spec.resource_type:
        return None
    return spec.read(resource)


def blank_form(section: str, now: datetime) -> ProfileForm:
    """A new entry's form; measurements start at this very moment."""
    if section == "measurements":
        return MeasurementForm(date=now.strftime("%d/%m/%Y"), time=now.strftime("%H:%M"))
    return FORM_TYPES[section]()


# -- allergies -------------------------------------------------------------------------
def _build_allergy(read: FieldReader, form: AllergyForm, b: Build) -> None:
    substance = read.text("substance", form.substance, required=True)
    kind = read.choice("kind", form.kind, ALLERGY_KINDS)
    criticality = read.choice("criticality", form.criticality, CRITICALITIES)
    reaction = read.text("reaction", form.reaction, limit=MAX_LONG_TEXT)
    since = read.date("since", form.since)
    if read.errors:
        return
    b.keep("clinicalStatus", concept(ALLERGY_CLINICAL, "active", "Active"))
    b.keep("verificationStatus", concept(ALLERGY_VERIFICATION, "unconfirmed", "Non confirmée"))
    b.keep("type", "allergy")
    b.set(category=[kind], criticality=criticality, code=keep_concept(b.base.get("code"), substance),
          patient=b.patient_ref)
    b.keep("recordedDate", b.today)
    old_reaction = (b.base.get("reaction") or [None])[0]
    if not reaction:
        b.drop("reaction")
    elif _reaction_text(old_reaction) != reaction:
        b.set(reaction=[{"description": reaction, "manifestation": [{"text": reaction}]}])
    b.set_or_drop("onsetDateTime", keep_date(b.base.get("onsetDateTime"), form.since, since))


def _read_allergy(resource: dict) -> AllergyForm:
    categories = resource.get("category") or []
    return AllergyForm(
        substance=concept_text(resource.get("code")) or "",
        kind=categories[0] if categories and categories[0] in ALLERGY_KINDS else "",
        criticality=resource.get("criticality") if resource.get("criticality") in CRITICALITIES else "",
        reaction=_reaction_text((resource.get("reaction") or [None])[0]) or "",
        since=typed_date(resource.get("onsetDateTime")))


def _reaction_text(reaction) -> str | None:
    if not isinstance(reaction, dict):
        return None
    return concept_text(reaction.get("manifestation")) or reaction.get("description")


# -- medical history: conditions, operations, hospital stays ----------------------------
def _build_condition(read: FieldReader, form: ConditionForm, b: Build) -> None:
    what = read.text("what", form.what, required=True)
    since = read.date("since", form.since)
    if read.errors:
        return
    old_status = status_code(b.base, "clinicalStatus")
    if form.active:
        status = "active"
        b.drop("abatementDateTime", "abatementAge", "abatementPeriod", "abatementRange", "abatementString")
    else:
        status = old_status if old_status in _RESOLVED_CONDITION else "resolved"
    if status != old_status:
        b.set(clinicalStatus=concept(CONDITION_CLINICAL, status, {"active": "Actif"}.get(status, "Résolu")))
    b.keep("category", [concept(CONDITION_CATEGORY, "problem-list-item", "Antécédent")])
    b.set(code=keep_concept(b.base.get("code"), what), subject=b.patient_ref)
    b.set_or_drop("onsetDateTime", keep_date(b.base.get("onsetDateTime"), form.since, since))
    b.keep("recordedDate", b.today)


def _read_condition(resource: dict) -> ConditionForm:
    return ConditionForm(what=concept_text(resource.get("code")) or "",
                         since=typed_date(resource.get("onsetDateTime")),
                         active=status_code(resource, "clinicalStatus") not in _RESOLVED_CONDITION)


def _build_operation(read: FieldReader, form: OperationForm, b: Build) -> None:
    what = read.text("what", form.what, required=True)
    when = read.date("date", form.date, required=True)
    if read.errors:
        return
    b.keep("status", "completed")
    b.set(code=keep_concept(b.base.get("code"), what), subject=b.patient_ref)
    old = b.base.get("performedDateTime") or (b.base.get("performedPeriod") or {}).get("start")
    if typed_date(old) != form.date.strip() or "performedDateTime" not in b.base:
        b.drop("performedPeriod", "performedString", "performedAge", "performedRange")
        b.set(performedDateTime=keep_date(b.base.get("performedDateTime"), form.date, when))


def _read_operation(resource: dict) -> OperationForm:
    when = resource.get("performedDateTime") or (resource.get("performedPeriod") or {}).get("start")
    return OperationForm(what=concept_text(resource.get("code")) or "", date=typed_date(when))


def _build_stay(read: FieldReader, form: HospitalStayForm, b: Build) -> None:
    reason = read.text("reason", form.reason, required=True)
    place = read.text("place", form.place)
    start = read.date("start", form.start, required=True)
    end = read.date("end", form.end)
    if start and end and parse_date(end)[1] < parse_date(start)[1]:
        read.fail("end", "date_order")
    if read.errors:
        return
    period = b.base.get("period") or {}
    b.keep("status", "finished")
    b.keep("class", {"system": ENCOUNTER_CLASS, "code": "IMP", "display": "Hospitalisation"})
    b.keep("type", [concept(SNOMED, "32485007", "Hospitalisation")])
    b.set(subject=b.patient_ref, period={k: v for k, v in (
        ("start", keep_date(period.get("start"), form.start, start)),
        ("end", keep_date(period.get("end"), form.end, end))) if v})
    if concept_text(b.base.get("reasonCode")) != reason:
        b.set(reasonCode=[{"text": reason}])
    if not place:
        b.drop("serviceProvider")
    elif stay_place(b.base) != place:
        b.set(serviceProvider={"display": place})


def _read_stay(resource: dict) -> HospitalStayForm:
    period = resource.get("period") or {}
    return HospitalStayForm(reason=concept_text(resource.get("reasonCode")) or concept_text(resource.get("type")) or "",
                            place=stay_place(resource) or "", start=typed_date(period.get("start")),
                            end=typed_date(period.get("end")))


def stay_place(resource: dict) -> str | None:
    provider = resource.get("serviceProvider")
    if isinstance(provider, dict) and provider.get("display"):
        return provider["display"]
    for location in resource.get("location") or []:
        display = ((location or {}).get("location") or {}).get("display")
        if display:
            return display
    return None


# -- treatments and vaccinations --------------------------------------------------------
def _build_treatment(read: FieldReader, form: TreatmentForm, b: Build) -> None:
    medication = read.text("medication", form.medication, required=True)
    dosage = read.text("dosage", form.dosage, limit=MAX_LONG_TEXT)
    start = read.date("start", form.start)
    end = read.date("end", form.end) if not form.ongoing else None
    if start and end and parse_date(end)[1] < parse_date(start)[1]:
        read.fail("end", "date_order")
    if read.errors:
        return
    old_status = b.base.get("status")
    if form.ongoing:
        b.set(status="active")
    elif old_status not in STOPPED_STATUSES:
        b.set(status="completed")
    old_text = concept_text(b.base.get("medicationCodeableConcept")) or \
        (b.base.get("medicationReference") or {}).get("display")
    if old_text != medication:
        b.drop("medicationReference")
        b.set(medicationCodeableConcept={"text": medication})
    b.set(subject=b.patient_ref)
    period = b.base.get("effectivePeriod") or {}
    old_start = period.get("start") or b.base.get("effectiveDateTime")
    b.drop("effectiveDateTime")
    b.set_or_drop("effectivePeriod", {k: v for k, v in (
        ("start", keep_date(old_start, form.start, start)),
        ("end", keep_date(period.get("end"), form.end, end))) if v} or None)
    b.keep("dateAsserted", b.today)
    if not dosage:
        b.drop("dosage")
    elif ((b.base.get("dosage") or [{}])[0] or {}).get("text") != dosage:
        b.set(dosage=[{"text": dosage}])


def _read_treatment(resource: dict) -> TreatmentForm:
    period = resource.get("effectivePeriod") or {}
    medication = concept_text(resource.get("medicationCodeableConcept")) or \
        (resource.get("medicationReference") or {}).get("display") or ""
    return TreatmentForm(medication=medication,
                         dosage=((resource.get("dosage") or [{}])[0] or {}).get("text") or "",
                         start=typed_date(period.get("start") or resource.get("effectiveDateTime")),
                         ongoing=resource.get("status") not in STOPPED_STATUSES,
                         end=typed_date(period.get("end")))


def _build_vaccination(read: FieldReader, form: VaccinationForm, b: Build) -> None:
    vaccine = read.text("vaccine", form.vaccine, required=True)
    when = read.date("date", form.date, required=True)
    lot = read.text("lot", form.lot, limit=50)
    if read.errors:
        return
    b.keep("status", "completed")
    b.set(vaccineCode=keep_concept(b.base.get("vaccineCode"), vaccine), patient=b.patient_ref)
    b.drop("occurrenceString")
    b.set(occurrenceDateTime=keep_date(b.base.get("occurrenceDateTime"), form.date, when))
    b.keep("primarySource", False)  # told by the patient, not by who vaccinated
    b.keep("recorded", b.today)
    b.set_or_drop("lotNumber", lot)


def _read_vaccination(resource: dict) -> VaccinationForm:
    return VaccinationForm(vaccine=concept_text(resource.get("vaccineCode")) or "",
                           date=typed_date(resource.get("occurrenceDateTime")), lot=resource.get("lotNumber") or "")


# -- advance directives -----------------------------------------------------------------
DIRECTIVES_TITLE = "Mes directives anticipées"


def _build_directives(read: FieldReader, form: DirectivesForm, b: Build) -> None:
    text = read.text("text", form.text, required=True, limit=MAX_NOTE)
    if read.errors:
        return
    b.keep("status", "current")
    b.set(type=concept(LOINC, ADVANCE_DIRECTIVES_LOINC, "Directives anticipées"), subject=b.patient_ref)
    b.keep("category", [concept(CARNET_DOCUMENT_CATEGORY, "other", "Autres")])
    b.keep("date", start_of(b.now))
    # The emergency card reads the description; the note travels as a text file too, for
    # any FHIR reader. A directive kept as a file (a scanned form) keeps its file.
    b.set(description=text)
    if not has_file(b.base):
        b.set(content=[{"attachment": {
            "contentType": "text/plain; charset=utf-8", "language": "fr-FR", "title": DIRECTIVES_TITLE,
            "data": base64.b64encode(text.encode("utf-8")).decode("ascii")}}])


def _read_directives(resource: dict) -> DirectivesForm | None:
    if code_of(resource) != ADVANCE_DIRECTIVES_LOINC:
        return None
    return DirectivesForm(text=resource.get("description") or note_text(resource) or "")


def has_file(document: dict) -> bool:
    """Whether a DocumentReference points at a file (a Binary or a URL) rather than holding text."""
    return any(((content or {}).get("attachment") or {}).get("url") for content in document.get("content") or [])


def note_text(document: dict) -> str | None:
    """The text of a DocumentReference's inline plain-text attachment, if it holds one."""
    for content in document.get("content") or []:
        attachment = (content or {}).get("attachment") or {}
        if str(attachment.get("contentType", "")).startswith("text/plain") and attachment.get("data"):
            try:
                return base64.b64decode(attachment["data"]).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                return None
    return None


_SECTIONS: dict[str, _Section] = {
    "allergies": _Section("AllergyIntolerance", _build_allergy, _read_allergy),
    "conditions": _Section("Condition", _build_condition, _read_condition),
    "operations": _Section("Procedure", _build_operation, _read_operation),
    "hospital-stays": _Section("Encounter", _build_stay, _read_stay),
    "treatments": _Section("MedicationStatement", _build_treatment, _read_treatment),
    "vaccinations": _Section("Immunization", _build_vaccination, _read_vaccination),
    "measurements": _Section("Observation", build_measurement, read_measurement),
    "blood-group": _Section("Observation", build_blood_group, read_blood_group),
    "advance-directives": _Section("DocumentReference", _build_directives, _read_directives),
    "contacts": _Section("RelatedPerson", build_contact, read_contact),
}
SECTION_TYPES: dict[str, str] = {section: spec.resource_type for section, spec in _SECTIONS.items()}
