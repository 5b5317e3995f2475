"""What the patient types in a profile form, one typed value per section, and how a
field's text is read (dates, times, numbers) with an error code per field.

Pure, no I/O, light imports (the app reads it on its start-up path). Field values are the
text as typed, so that a form can be shown again exactly as the patient left it; the
builders in `health.profile_entries` turn a checked form into a FHIR resource. Errors are
codes with values (`FieldError("weight", "out_of_range", {"low": "0.5", ...})`): the app
says them in the patient's language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

# -- the choices a form offers (codes as FHIR has them) ----------------------------------
ALLERGY_KINDS = ("medication", "food", "environment")
CRITICALITIES = ("low", "high", "unable-to-assess")
# The eight ABO/Rh groups (SNOMED CT), as the demo codes them.
BLOOD_GROUPS: dict[str, str] = {
    "A+": "278149003", "A-": "278152006", "B+": "278150003", "B-": "278151004",
    "AB+": "278156005", "AB-": "278155009", "O+": "278154007", "O-": "278153001",
}
# Relationships of a contact (HL7 v3 RoleCode) and their French label, kept in the record.
RELATIONSHIPS: dict[str, str] = {
    "SPS": "Conjoint(e)", "PRN": "Parent", "CHILD": "Enfant", "SIB": "Frère ou sœur",
    "FAMMEMB": "Autre membre de la famille", "FRND": "Ami(e)", "NBOR": "Voisin(e)",
}
# Codes of the record read back as one of the choices above.
RELATIONSHIP_ALIASES = {"HUSB": "SPS", "WIFE": "SPS", "DOMPART": "SPS", "SIGOTHR": "SPS", "SIS": "SIB",
                        "BRO": "SIB", "MTH": "PRN", "FTH": "PRN", "DAU": "CHILD", "SON": "CHILD"}


@dataclass(frozen=True)
class MeasurementKind:
    """A measurement the patient may enter: its LOINC code, unit (UCUM) and plausible range."""

    code: str
    unit: str
    low: float
    high: float
    decimals: int


# Blood pressure is one Observation with two components (systolic, diastolic).
BLOOD_PRESSURE = "85354-9"
SYSTOLIC, DIASTOLIC = "8480-6", "8462-4"
MEASUREMENT_KINDS: dict[str, MeasurementKind] = {k.code: k for k in [
    MeasurementKind("29463-7", "kg", 0.5, 500, 1),
    MeasurementKind("8302-2", "cm", 20, 260, 1),
    MeasurementKind(BLOOD_PRESSURE, "mm[Hg]", 50, 300, 0),  # the systolic range
    MeasurementKind("2339-0", "mg/dL", 10, 1500, 0),
    MeasurementKind("8867-4", "/min", 20, 300, 0),
]}
DIASTOLIC_RANGE = (20, 200)

MAX_TEXT = 200  # a name, a substance, a place
MAX_LONG_TEXT = 1000  # a reaction, a dosage
MAX_NOTE = 5000  # advance directives


# -- the forms -------------------------------------------------------------------------
@dataclass(frozen=True)
class AllergyForm:
    substance: str = ""
    kind: str = "medication"
    criticality: str = "low"
    reaction: str = ""
    since: str = ""


@dataclass(frozen=True)
class ConditionForm:
    what: str = ""
    since: str = ""
    active: bool = True


@dataclass(frozen=True)
class OperationForm:
    what: str = ""
    date: str = ""


@dataclass(frozen=True)
class HospitalStayForm:
    reason: str = ""
    place: str = ""
    start: str = ""
    end: str = ""


@dataclass(frozen=True)
class TreatmentForm:
    medication: str = ""
    dosage: str = ""
    start: str = ""
    ongoing: bool = True
    end: str = ""


@dataclass(frozen=True)
class VaccinationForm:
    vaccine: str = ""
    date: str = ""
    lot: str = ""


@dataclass(frozen=True)
class MeasurementForm:
    kind: str = "29463-7"
    value: str = ""
    second_value: str = ""  # the diastolic pressure, for blood pressure
    date: str = ""
    time: str = ""


@dataclass(frozen=True)
class BloodGroupForm:
    group: str = ""


@dataclass(frozen=True)
class DirectivesForm:
    text: str = ""


@dataclass(frozen=True)
class ContactForm:
    given: str = ""
    family: str = ""
    relationship: str = "SPS"
    phone: str = ""
    email: str = ""
    trusted: bool = False
    emergency: bool = True


ProfileForm = (AllergyForm | ConditionForm | OperationForm | HospitalStayForm | TreatmentForm
               | VaccinationForm | MeasurementForm | BloodGroupForm | DirectivesForm | ContactForm)

FORM_TYPES: dict[str, type] = {
    "allergies": AllergyForm, "conditions": ConditionForm, "operations": OperationForm,
    "hospital-stays": HospitalStayForm, "treatments": TreatmentForm, "vaccinations": VaccinationForm,
    "measurements": MeasurementForm, "blood-group": BloodGroupForm,
    "advance-directives": DirectivesForm, "contacts": ContactForm,
}


# -- errors ----------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldError:
    """What is wrong with one field: `code` names the sentence, `values` fill it in."""

    field: str
    code: str
    values: dict = field(default_factory=dict)


class InvalidForm(ValueError):
    """A form that cannot be saved; nothing was written."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.code}" for e in errors))


class FieldReader:
    """Reads the fields of one form, collecting one error per field that is wrong."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.errors: list[FieldError] = []

    def fail(self, name: str, code: str, **values) -> None:
        if not any(error.field == name for error in self.errors):
            self.errors.append(FieldError(name, code, {k: str(v) for k, v in values.items()}))

    def text(self, name: str, value: str, *, required: bool = False, limit: int = MAX_TEXT) -> str | None:
        cleaned = " ".join(value.split()) if limit <= MAX_LONG_TEXT else value.strip()
        if not cleaned:
            if required:
                self.fail(name, "required")
            return None
        if len(cleaned) > limit:
            self.fail(name, "too_long", limit=limit)
        return cleaned

    def choice(self, name: str, value: str, choices) -> str | None:
        if value not in choices:
            self.fail(name, "required" if not value else "choice")
            return None
        return value

    def date(self, name: str, value: str, *, required: bool = False, past: bool = True) -> str | None:
        """A FHIR date ("2019", "2019-03", "2019-03-15") from what the patient typed."""
        text = value.strip()
        if not text:
            if required:
                self.fail(name, "required")
            return None
        parsed = parse_date(text)
        if parsed is None:
            self.fail(name, "date_format")
            return None
        fhir_date, first_day = parsed
        if first_day.year < 1900:
            self.fail(name, "date_too_old")
            return None
        if past and first_day > self.today:
            self.fail(name, "date_future")
            return None
        return fhir_date

    def clock(self, name: str, value: str) -> time | None:
        text = value.strip()
        if not text:
            return None
        found = re.fullmatch(r"(\d{1,2})\s*[:hH.]\s*(\d{2})?", text)
        hour, minute = (int(found.group(1)), int(found.group(2) or 0)) if found else (99, 99)
        if hour > 23 or minute > 59:
            self.fail(name, "time_format")
            return None
        return time(hour, minute)

    def number(self, name: str, value: str, low: float, high: float, unit: str, *,
               required: bool = True) -> float | None:
        text = value.strip().replace(",", ".").replace(" ", "")
        if not text:
            if required:
                self.fail(name, "required")
            return None
        try:
            number = float(text)
        except ValueError:
            self.fail(name, "number_format")
            return None
        if number != number or not low <= number <= high:  # NaN is never plausible
            self.fail(name, "out_of_range", low=_plain(low), high=_plain(high), unit=display_unit(unit))
            return None
        return number

    def check(self) -> None:
        if self.errors:
            raise InvalidForm(self.errors)


# -- reading typed dates and writing them back -------------------------------------------
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{4})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-\s](\d{4})")
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_date(text: str) -> tuple[str, date] | None:
    """("2019-03-15", its first day) from "15/03/2019", "2019-03-15", "03/2019" or "2019"."""
    text = text.strip()
    day = month = None
    if found := _DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = (int(part) for part in found.groups())
    elif found := _MONTH_YEAR.fullmatch(text):
        month, year = int(found.group(1)), int(found.group(2))
    elif found := _ISO.fullmatch(text):
        year = int(found.group(1))
        month = int(found.group(2)) if found.group(2) else None
        day = int(found.group(3)) if found.group(3) else None
    else:
        return None
    try:
        first = date(year, month or 1, day or 1)
    except ValueError:
        return None
    if day is not None:
        return first.isoformat(), first
    if month is not None:
        return f"{year:04d}-{month:02d}", first
    return f"{year:04d}", first


def typed_date(fhir_value: str | None) -> str:
    """A FHIR date or dateTime as the patient types it: "15/03/2019", "03/2019" or "2019"."""
    if not isinstance(fhir_value, str):
        return ""
    found = _ISO.match(fhir_value.strip())
    if not found:
        return ""
    year, month, day = found.groups()
    return "/".join(part for part in (day, month, year) if part)


def typed_time(fhir_value: str | None) -> str:
    """The local time of a FHIR dateTime as typed ("08:30"), empty without a time."""
    if isinstance(fhir_value, str) and "T" in fhir_value:
        return fhir_value.split("T", 1)[1][:5]
    return ""


def typed_number(value) -> str:
    """A number as the patient types it in French ("72,5"; "120" rather than "120.0")."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return ""
    return _plain(value).replace(".", ",")


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def display_unit(unit: str) -> str:
    """A UCUM unit as people write it: mm[Hg] is mmHg, /min is bpm."""
    return {"mm[Hg]": "mmHg", "/min": "bpm", "kg/m2": "kg/m²"}.get(unit, unit)


def start_of(moment: datetime) -> str:
    """A FHIR dateTime to the second, with its UTC offset (the patient's local time)."""
    return moment.replace(microsecond=0).isoformat()


def is_email(text: str) -> bool:
    return bool(re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text)) and len(text) <= MAX_TEXT


def is_phone(text: str) -> bool:
    """A phone number as people write it: digits, spaces, dots, dashes, brackets, a leading +."""
    if not re.fullmatch(r"\+?[\d\s.\-()]+", text):
        return False
    return 6 <= sum(ch.isdigit() for ch in text) <= 20
