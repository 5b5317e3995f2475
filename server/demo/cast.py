"""Who appears in the demo: synthetic patients and professionals, with their identifiers.

INS and RPPS numbers are built with their real control keys so they pass validation, but
they belong to nobody.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from health.codes import PROFESSIONS
from health.identifiers import make_ins, make_rpps

DEMO_PASSWORD = "Carnet-Demo-2026"


@dataclass(frozen=True)
class Person:
    """A patient-to-be: civil identity and contact details."""

    given: str
    family: str
    birth_date: date
    gender: str  # FHIR administrative gender: "female" | "male"
    ins: str
    email: str | None = None
    phone: str | None = None
    address_line: str = ""
    postal_code: str = ""
    city: str = ""
    blood_group: str | None = None  # "A+", "O-"…; None lets the generator draw one

    @property
    def display_name(self) -> str:
        return f"{self.given} {self.family}"

    @property
    def postal_address(self) -> str:
        return f"{self.address_line}, {self.postal_code} {self.city}"


@dataclass(frozen=True)
class Clinician:
    """A health professional; `fhir_id` is filled once their Practitioner resource exists."""

    given: str
    family: str
    profession: str  # a key of health.codes.PROFESSIONS
    rpps: str
    email: str
    specialty: str  # what the letterhead says, in French
    practice: str  # practice or hospital name
    address: str
    phone: str
    fhir_id: str = ""

    @property
    def display_name(self) -> str:
        prefix = "Dr " if self.profession in _DOCTORS else ""
        return f"{prefix}{self.given} {self.family}"

    @property
    def profession_label(self) -> str:
        return PROFESSIONS[self.profession].label_fr


_DOCTORS = {"general-practitioner", "physician", "dentist", "biologist", "radiologist"}

DEMO_PATIENT = Person(
    given="Sophie", family="Moreau", birth_date=date(1979, 3, 14), gender="female",
    ins=make_ins("2790369123045"), email="sophie.moreau@demo.carnet.example",
    phone="+33612345678", address_line="18 rue des Capucins", postal_code="69001", city="Lyon",
    blood_group="A+",
)
DEMO_CHILD = Person(
    given="Lucas", family="Moreau", birth_date=date(2015, 6, 2), gender="male",
    ins=make_ins("1150669123112"), address_line="18 rue des Capucins", postal_code="69001", city="Lyon",
)
# Left provisional so a visitor can try activating (or opposing) a space with its code.
PROVISIONAL_PERSON = Person(
    given="Bernard", family="Petit", birth_date=date(1952, 4, 9), gender="male",
    ins=make_ins("1520475056078"), email="bernard.petit@demo.carnet.example",
    address_line="4 avenue Gambetta", postal_code="75020", city="Paris",
)


def _clinician(n: int, given: str, family: str, profession: str, specialty: str,
               practice: str, address: str, phone: str) -> Clinician:
    email = f"{given}.{family}".lower().replace("é", "e").replace("è", "e").replace(" ", "-")
    return Clinician(given=given, family=family, profession=profession,
                     rpps=make_rpps(f"109990{n:04d}"), email=f"{email}@demo.carnet.example",
                     specialty=specialty, practice=practice, address=address, phone=phone)


DEMO_CLINICIANS: tuple[Clinician, ...] = (
    _clinician(1, "Claire", "Lefèvre", "general-practitioner", "Médecine générale",
               "Cabinet médical des Terreaux", "5 place des Terreaux, 69001 Lyon", "04 78 28 14 52"),
    _clinician(2, "Antoine", "Girard", "physician", "Pneumologie",
               "Hôpital de la Croix-Rousse — service de pneumologie",
               "103 grande rue de la Croix-Rousse, 69004 Lyon", "04 26 73 20 00"),
    _clinician(3, "Nadia", "Benali", "physician", "Cardiologie",
               "Centre de cardiologie Bellecour", "12 rue de la Charité, 69002 Lyon", "04 72 41 87 10"),
    _clinician(4, "Julien", "Roux", "radiologist", "Radiologie et imagerie médicale",
               "Centre d'imagerie Saint-Paul", "22 quai de Bondy, 69005 Lyon", "04 78 92 60 60"),
    _clinician(5, "Hélène", "Faure", "biologist", "Biologie médicale",
               "Laboratoire Bioval Lyon Centre", "31 rue de la République, 69002 Lyon", "04 78 37 55 20"),
    _clinician(6, "Marc", "Chevalier", "pharmacist", "Pharmacie d'officine",
               "Pharmacie des Capucins", "2 rue des Capucins, 69001 Lyon", "04 78 28 33 41"),
    _clinician(7, "Léa", "Fontaine", "physiotherapist", "Masso-kinésithérapie",
               "Cabinet de kinésithérapie Saint-Vincent", "9 quai Saint-Vincent, 69001 Lyon", "04 78 30 12 98"),
    _clinician(8, "Isabelle", "Mercier", "nurse", "Soins infirmiers à domicile",
               "Cabinet infirmier des Pentes", "40 montée de la Grande-Côte, 69001 Lyon", "06 71 22 48 90"),
    _clinician(9, "Pauline", "Garnier", "midwife", "Maïeutique",
               "Maternité de l'hôpital de la Croix-Rousse",
               "103 grande rue de la Croix-Rousse, 69004 Lyon", "04 26 73 21 50"),
    _clinician(10, "Thomas", "Lambert", "physician", "Chirurgie viscérale et digestive",
               "Hôpital Édouard-Herriot — chirurgie digestive", "5 place d'Arsonval, 69003 Lyon",
               "04 72 11 73 11"),
)


@dataclass(frozen=True)
class CareTeam:
    """The clinicians a generated record draws its authors from, by role in the story."""

    clinicians: tuple[Clinician, ...]
    by_role: dict[str, Clinician] = field(default_factory=dict)

    @classmethod
    def of(cls, clinicians: tuple[Clinician, ...] | list[Clinician]) -> "CareTeam":
        """Assign story roles (GP, lung doctor…) to whoever fits best among `clinicians`."""
        clinicians = tuple(clinicians)
        roles: dict[str, Clinician] = {}
        wanted = {
            "gp": ("general-practitioner", "Médecine générale"),
            "pneumologist": ("physician", "Pneumologie"),
            "cardiologist": ("physician", "Cardiologie"),
            "surgeon": ("physician", "Chirurgie"),
            "radiologist": ("radiologist", ""),
            "biologist": ("biologist", ""),
            "pharmacist": ("pharmacist", ""),
            "physiotherapist": ("physiotherapist", ""),
            "nurse": ("nurse", ""),
            "midwife": ("midwife", ""),
        }
        for role, (profession, specialty) in wanted.items():
            same_job = [c for c in clinicians if c.profession == profession]
            exact = [c for c in same_job if specialty and c.specialty.startswith(specialty)]
            chosen = (exact or same_job or [c for c in clinicians if c.profession in _DOCTORS] or clinicians)[0]
            roles[role] = chosen
        return cls(clinicians, roles)

    def role(self, name: str) -> Clinician:
        return self.by_role[name]
