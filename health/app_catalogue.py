"""What a referenced app may do in a patient's record, in words the patient reads (French).

An app asks for SMART scopes (health.smart_scopes); the patient sees them as lines, one per
kind of data (a resource type, with its restriction if any), each saying whether the app
would **read** it (`r`, `s`) and/or **write** it (`c`, `u`, `d`). On the consent page the
patient ticks read and/or write per line; `granted_scope` turns the ticks back into scopes.

Scopes that grant no data are kept apart: `launch/patient`, `offline_access` and
`online_access` are granted as asked; the others (`openid`, `fhirUser`: Carnet issues no
identity token) are not granted.
"""
from __future__ import annotations

from dataclasses import dataclass

from health.codes import DOCUMENT_CATEGORIES
from health.smart_scopes import PERMISSIONS, ResourceScope, Scopes

READ, WRITE = "rs", "cud"
GRANTABLE_WITHOUT_DATA = ("launch/patient", "offline_access", "online_access")

APP_CATEGORIES: dict[str, str] = {
    "teleconsultation": "Téléconsultation",
    "diabetes": "Diabète",
    "booking": "Prise de rendez-vous",
    "fitness": "Activité physique",
    "medication": "Traitements",
    "pregnancy": "Grossesse",
    "mental-health": "Santé mentale",
    "other": "Autre",
}

# What each kind of data is, for "Lire vos …" / "Ajouter … vos …".
DATA_WORDS: dict[str, str] = {
    "Patient": "votre identité (nom, date de naissance, INS)",
    "Condition": "vos antécédents médicaux",
    "Procedure": "vos opérations et actes médicaux",
    "Encounter": "vos séjours à l'hôpital",
    "AllergyIntolerance": "vos allergies",
    "MedicationStatement": "vos traitements",
    "Immunization": "vos vaccinations",
    "Observation": "vos mesures et résultats (poids, tension, glycémie, analyses…)",
    "RelatedPerson": "vos personnes de confiance et contacts d'urgence",
    "Communication": "vos messages",
    "Appointment": "vos rendez-vous",
    "DocumentReference": "vos documents de santé",
    "*": "tout votre dossier",
}
_WRITE_VERBS = {"c": "ajouter", "u": "modifier", "d": "supprimer"}
# Data narrowed to one category, in words (a restriction Carnet has no words for is quoted).
_CATEGORY_WORDS: dict[tuple[str, str], str] = {
    ("Observation", "vital-signs"): "vos constantes (poids, tension, pouls, température…)",
    ("Observation", "laboratory"): "vos résultats d'analyses de laboratoire",
    **{("DocumentReference", code): f"vos documents de santé de la catégorie « {category.label_fr} »"
       for code, category in DOCUMENT_CATEGORIES.items()},
}


@dataclass(frozen=True)
class AccessLine:
    """One kind of data an app asks for, and what it would do with it."""

    context: str
    resource_type: str  # a FHIR type, or "*"
    restrictions: tuple[tuple[str, str], ...]
    read: str  # the letters of "rs" asked for
    write: str  # the letters of "cud" asked for

    @property
    def data(self) -> str:
        if len(self.restrictions) == 1 and self.restrictions[0][0] == "category":
            code = self.restrictions[0][1].rsplit("|", 1)[-1]
            if (self.resource_type, code) in _CATEGORY_WORDS:
                return _CATEGORY_WORDS[(self.resource_type, code)]
        words = DATA_WORDS.get(self.resource_type, f"vos données de type {self.resource_type}")
        if self.restrictions:
            limits = ", ".join(f"{name} = {value.rsplit('|', 1)[-1]}" for name, value in self.restrictions)
            words += f" (seulement : {limits})"
        return words

    @property
    def read_words(self) -> str | None:
        return f"Lire {self.data}" if self.read else None

    @property
    def write_words(self) -> str | None:
        if not self.write:
            return None
        verbs = [_WRITE_VERBS[letter] for letter in WRITE if letter in self.write]
        said = verbs[0] if len(verbs) == 1 else ", ".join(verbs[:-1]) + " et " + verbs[-1]
        return f"{said[0].upper()}{said[1:]} dans {self.data}"

    @property
    def words(self) -> str:
        """The whole line in one sentence: 'Lire et ajouter dans vos mesures…'."""
        return " ; ".join(part for part in (self.read_words, self.write_words) if part)

    def scope(self, read: bool, write: bool) -> ResourceScope | None:
        """The scope granting what was ticked (None if nothing was)."""
        letters = (self.read if read else "") + (self.write if write else "")
        if not letters:
            return None
        return ResourceScope(self.context, self.resource_type, frozenset(letters), self.restrictions)


def access_lines(scopes: Scopes) -> list[AccessLine]:
    """The resource scopes as lines, one per (context, type, restriction), in asked order."""
    merged: dict[tuple, set[str]] = {}
    for scope in scopes.resources:
        merged.setdefault((scope.context, scope.resource_type, scope.restrictions), set()).update(scope.permissions)
    return [AccessLine(context, kind, restrictions, _ordered(letters, READ), _ordered(letters, WRITE))
            for (context, kind, restrictions), letters in merged.items()]


def granted_scope(asked: Scopes, ticks: dict[int, tuple[bool, bool]]) -> Scopes:
    """The scopes the patient granted: for line i of `access_lines(asked)`, `ticks[i]` is
    (read, write); lines left out are refused."""
    resources = []
    for index, line in enumerate(access_lines(asked)):
        read, write = ticks.get(index, (False, False))
        scope = line.scope(read, write)
        if scope is not None:
            resources.append(scope)
    return Scopes(tuple(resources), tuple(other for other in asked.other if other in GRANTABLE_WITHOUT_DATA))


def category_label(category: str) -> str:
    return APP_CATEGORIES.get(category, APP_CATEGORIES["other"])


def _ordered(letters: set[str], among: str) -> str:
    return "".join(letter for letter in PERMISSIONS if letter in letters and letter in among)
