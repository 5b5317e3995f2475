"""The patient's trusted person(s) and emergency contacts, as FHIR RelatedPerson.

Coded as the demo does (server/demo/history.py) so that the emergency card shows them the
same way: the first relationship concept is the HL7 role code whose text the card prints
next to the name ("Conjoint(e), personne de confiance"), then one Carnet role concept per
role, and the HL7 v2 "C" (emergency contact) concept for an emergency contact.
"""
from __future__ import annotations

from health.fhir_text import concept_text
from health.profile_forms import (
    RELATIONSHIP_ALIASES, RELATIONSHIPS, ContactForm, FieldReader, is_email, is_phone,
)
from health.profile_parts import Build, concept

ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
CONTACT_ROLE = "http://terminology.hl7.org/CodeSystem/v2-0131"
RELATED_PERSON_ROLE = "urn:carnet:related-person-role"
TRUSTED_PERSON, EMERGENCY_CONTACT = "trusted-person", "emergency-contact"
ROLE_LABELS = {TRUSTED_PERSON: "Personne de confiance", EMERGENCY_CONTACT: "Contact en cas d'urgence"}


def build_contact(read: FieldReader, form: ContactForm, b: Build) -> None:
    given = read.text("given", form.given)
    family = read.text("family", form.family)
    if not given and not family:
        read.fail("given", "name_required")
    relationship = read.choice("relationship", form.relationship, RELATIONSHIPS)
    phone = read.text("phone", form.phone, limit=40)
    email = read.text("email", form.email)
    if phone and not is_phone(phone):
        read.fail("phone", "phone_format")
    if email and not is_email(email):
        read.fail("email", "email_format")
    if not phone and not email:
        read.fail("phone", "contact_needed")
    if read.errors:
        return
    b.keep("active", True)
    b.set(patient=b.patient_ref, relationship=_relationship(relationship, form, b.base))
    if _name_parts(b.base) != (given or "", family or ""):
        b.set(name=[{**({"family": family} if family else {}), **({"given": [given]} if given else {})}])
    others = [t for t in b.base.get("telecom") or [] if (t or {}).get("system") not in ("phone", "email")]
    telecom = [*([_kept_telecom(b.base, "phone", phone) or {"system": "phone", "value": phone, "use": "mobile"}]
                 if phone else []),
               *([_kept_telecom(b.base, "email", email) or {"system": "email", "value": email, "use": "home"}]
                 if email else []), *others]
    b.set(telecom=telecom)
    b.keep("period", {"start": b.today})


def _relationship(code: str, form: ContactForm, base: dict) -> list[dict]:
    stored = relationship_code(base)
    # A stored code meaning the same choice (HUSB for a partner) is kept as it was.
    if stored and RELATIONSHIP_ALIASES.get(stored, stored) == code:
        code = stored
    label = RELATIONSHIPS.get(RELATIONSHIP_ALIASES.get(code, code), code)
    roles = [role for role, chosen in ((TRUSTED_PERSON, form.trusted), (EMERGENCY_CONTACT, form.emergency)) if chosen]
    text = ", ".join([label, *(ROLE_LABELS[role].lower() for role in roles)])
    concepts = [concept(ROLE_CODE, code, label, text=text),
                *(concept(RELATED_PERSON_ROLE, role, ROLE_LABELS[role]) for role in roles)]
    if form.emergency:
        concepts.append(concept(CONTACT_ROLE, "C", "Emergency Contact", text=ROLE_LABELS[EMERGENCY_CONTACT]))
    return concepts


def read_contact(resource: dict) -> ContactForm:
    given, family = _name_parts(resource)
    stored = relationship_code(resource)
    roles = contact_roles(resource)
    return ContactForm(given=given, family=family,
                       relationship=RELATIONSHIP_ALIASES.get(stored, stored) if stored else "",
                       phone=telecom_value(resource, "phone") or "", email=telecom_value(resource, "email") or "",
                       trusted=TRUSTED_PERSON in roles, emergency=EMERGENCY_CONTACT in roles)


def relationship_code(resource: dict) -> str | None:
    """The HL7 role code of a RelatedPerson's relationship ("SPS", "HUSB", "FRND"…)."""
    for relationship in resource.get("relationship") or []:
        for coding in (relationship or {}).get("coding") or []:
            if coding.get("system") == ROLE_CODE and coding.get("code"):
                return coding["code"]
    return None


def relationship_text(resource: dict) -> str | None:
    """How the record words the relationship ("Conjoint(e)"), for a code the app does not know."""
    for relationship in resource.get("relationship") or []:
        for coding in (relationship or {}).get("coding") or []:
            if coding.get("system") == ROLE_CODE and coding.get("display"):
                return coding["display"]
    return concept_text(resource.get("relationship"))


def contact_roles(resource: dict) -> set[str]:
    """Which of trusted person / emergency contact this RelatedPerson is."""
    roles = set()
    for relationship in resource.get("relationship") or []:
        for coding in (relationship or {}).get("coding") or []:
            if coding.get("system") == RELATED_PERSON_ROLE and coding.get("code") in ROLE_LABELS:
                roles.add(coding["code"])
            if coding.get("system") == CONTACT_ROLE and coding.get("code") == "C":
                roles.add(EMERGENCY_CONTACT)
    return roles


def telecom_value(resource: dict, system: str) -> str | None:
    return next((t.get("value") for t in resource.get("telecom") or []
                 if isinstance(t, dict) and t.get("system") == system and t.get("value")), None)


def _kept_telecom(base: dict, system: str, value: str) -> dict | None:
    return next((t for t in base.get("telecom") or [] if isinstance(t, dict) and t.get("system") == system
                 and t.get("value") == value), None)


def _name_parts(resource: dict) -> tuple[str, str]:
    names = resource.get("name") or []
    name = names[0] if names and isinstance(names[0], dict) else {}
    given = " ".join(part for part in name.get("given") or [] if isinstance(part, str))
    family = name.get("family") or ""
    if not given and not family and isinstance(name.get("text"), str):
        return name["text"], ""
    return given, family
