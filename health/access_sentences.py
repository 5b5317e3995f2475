"""A group of the access history as one sentence the patient reads, in French or English:

    Dr Claire Lefèvre (médecin généraliste) a consulté 3 documents le 02/12/2026
    Dr Emma Roussel (médecin spécialiste) a ouvert votre dossier en urgence le 24/10/2026 … : « raison »
    Accès refusé : Dr Xavier Dumont (médecin spécialiste) a tenté de consulter vos documents le 20/11/2026
    L'application GlucoSuivi a ajouté 12 mesures le 01/12/2026

Pure: the words are here, in both languages, because a sentence's grammar (plurals, lists,
elisions) does not split into independent keys. Dates are dd/mm/yyyy, as everywhere in the app.
"""
from __future__ import annotations

from datetime import date

from health.access_log import APP, REFUSAL, REPRESENTATIVE, AccessGroup, TracedAccess, touched_counts
from health.codes import PROFESSIONS

# Professions whose members are addressed as "Dr" (doctors of medicine, dentistry, biology).
DOCTOR_TITLES = frozenset({"general-practitioner", "physician", "radiologist", "biologist", "dentist"})

# resource type: (French singular, French plural, English singular, English plural)
NOUNS: dict[str, tuple[str, str, str, str]] = {
    "DocumentReference": ("document", "documents", "document", "documents"),
    "AllergyIntolerance": ("allergie", "allergies", "allergy", "allergies"),
    "MedicationStatement": ("traitement", "traitements", "treatment", "treatments"),
    "Condition": ("antécédent", "antécédents", "condition", "conditions"),
    "Procedure": ("opération", "opérations", "operation", "operations"),
    "Encounter": ("séjour", "séjours", "hospital stay", "hospital stays"),
    "Immunization": ("vaccination", "vaccinations", "vaccination", "vaccinations"),
    "Observation": ("mesure", "mesures", "measurement", "measurements"),
    "RelatedPerson": ("contact", "contacts", "contact", "contacts"),
    "Communication": ("message", "messages", "message", "messages"),
    "Appointment": ("rendez-vous", "rendez-vous", "appointment", "appointments"),
    "Binary": ("fichier", "fichiers", "file", "files"),
}
_ITEM = ("élément", "éléments", "item", "items")
_IDENTITY = ("votre fiche d'identité", "your identity details")
_RECORD = ("votre dossier", "your record")

# verb: (French past, French infinitive after "a tenté", English past, English infinitive)
VERBS: dict[str, tuple[str, str, str, str]] = {
    "read": ("a consulté", "de consulter", "viewed", "view"),
    "file": ("a ouvert", "d'ouvrir", "opened", "open"),
    "create": ("a ajouté", "d'ajouter", "added", "add"),
    "update": ("a modifié", "de modifier", "changed", "change"),
    "delete": ("a supprimé", "de supprimer", "deleted", "delete"),
    "export": ("a téléchargé", "de télécharger", "downloaded", "download"),  # said apart: the whole record
}
VERB_ORDER = ("read", "file", "create", "update", "delete")

_WORDS: dict[str, tuple[str, str]] = {
    "and": ("et", "and"),
    "on": ("le {date}", "on {date}"),
    "representative": ("représentant légal", "legal representative"),
    "professional": ("professionnel de santé", "health professional"),
    "app": ("L'application {name}", "The app {name}"),
    "refused": ("Accès refusé : {sentence}", "Access refused: {sentence}"),
    "tried": ("{who} a tenté {what}", "{who} tried to {what}"),
    "tried_emergency": ("{who} a tenté d'ouvrir votre dossier en urgence", "{who} tried to open your record in an "
                                                                           "emergency"),
    "opened_emergency": ("{who} a ouvert votre dossier en urgence", "{who} opened your record in an emergency"),
    "in_emergency": ("en urgence", "in an emergency"),
    "searched_nothing": ("a cherché dans vos {things} sans rien trouver", "searched your {things} and found nothing"),
    "your": ("vos {things}", "your {things}"),
    "reason": ("{sentence} : « {reason} »", "{sentence}: “{reason}”"),
    "looked": ("{who} a consulté votre dossier", "{who} looked at your record"),
    "exported": ("a téléchargé votre dossier complet", "downloaded your whole record"),
}


def words(key: str, language: str, **values) -> str:
    text = _WORDS[key][0 if language == "fr" else 1]
    return text.format(**values) if values else text


def french_spacing(text: str) -> str:
    """No-break spaces where French typography puts a space before ":" and ";" and inside
    « », so that a line never starts with one of them."""
    for plain, kept in ((" :", "\u00a0:"), (" ;", "\u00a0;"), ("« ", "«\u00a0"), (" »", "\u00a0»")):
        text = text.replace(plain, kept)
    return text


def person(access: TracedAccess, language: str = "fr") -> str:
    """Who acted, as the history names them: "Dr Claire Lefèvre (médecin généraliste)",
    "Jean Moreau (représentant légal)", "L'application GlucoSuivi"."""
    return person_label(access.agent_kind, access.agent_name, access.profession, language, access.profession_text)


def person_label(kind: str, name: str, profession: str | None, language: str = "fr",
                 profession_text: str | None = None) -> str:
    if kind == APP:
        return words("app", language, name=name)
    if kind == REPRESENTATIVE:
        return f"{name} ({words('representative', language)})"
    return f"{with_title(name, profession)} ({profession_label(profession, language, profession_text)})"


def titled_name(access: TracedAccess) -> str:
    return with_title(access.agent_name, access.profession)


def with_title(name: str, profession: str | None) -> str:
    """The professional's name, with "Dr" for doctors when their software left it out."""
    if profession in DOCTOR_TITLES and not name.lower().startswith(("dr ", "dr.", "docteur", "pr ")):
        return f"Dr {name}"
    return name


def profession_words(access: TracedAccess, language: str = "fr") -> str:
    return profession_label(access.profession, language, access.profession_text)


def profession_label(profession: str | None, language: str = "fr", text: str | None = None) -> str:
    known = PROFESSIONS.get(profession or "")
    if known:
        return (known.label_fr if language == "fr" else known.label_en).lower()
    return (text or words("professional", language)).lower()


def sentence(group: AccessGroup, language: str = "fr") -> str:
    """The group in one sentence (see the module's docstring)."""
    who = person(group.first, language)
    if group.kind == REFUSAL:
        text = words("refused", language, sentence=_attempt(group, who, language))
        return french_spacing(text) if language == "fr" else text
    clauses = _clauses(group, language)
    emergency = group.kind == "emergency"
    if emergency and group.opened_in_emergency:
        text = words("opened_emergency", language, who=who) + _on(group.day, language)
        if clauses:
            text += f" {words('and', language)} {clauses}"
    elif clauses:
        urgency = f" {words('in_emergency', language)}" if emergency else ""
        text = f"{who} {clauses}{urgency}{_on(group.day, language)}"
    else:
        text = words("looked", language, who=who) + _on(group.day, language)
    reason = group.emergency_reason if emergency else None
    text = words("reason", language, sentence=text, reason=reason) if reason else text
    return french_spacing(text) if language == "fr" else text


def count_phrase(kind: str, count: int, language: str = "fr") -> str:
    """"3 documents", "1 allergie", "12 measurements"."""
    nouns = NOUNS.get(kind, _ITEM)
    singular, plural = (nouns[0], nouns[1]) if language == "fr" else (nouns[2], nouns[3])
    return f"{count} {singular if count == 1 else plural}"


def join_words(parts: list[str], language: str = "fr") -> str:
    """"a, b et c" / "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {words('and', language)} {parts[-1]}"


def day_text(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _on(day: date | None, language: str) -> str:
    return f" {words('on', language, date=day_text(day))}" if day else ""


def deeds(group: AccessGroup, language: str = "fr") -> str:
    """What the group did, without who or when: "a consulté 3 documents", "a tenté de
    consulter vos documents", "a ouvert votre dossier en urgence"."""
    if group.kind == REFUSAL:
        return _attempt(group, "", language, with_day=False).strip()
    clauses = _clauses(group, language)
    if group.opened_in_emergency:
        opened = words("opened_emergency", language, who="").strip()
        return f"{opened} {words('and', language)} {clauses}" if clauses else opened
    return clauses or words("looked", language, who="").strip()


def _clauses(group: AccessGroup, language: str) -> str:
    """"a consulté 3 documents et 2 allergies et a ajouté 1 document" (French repeats "a")."""
    counts = touched_counts(group)
    clauses = [words("exported", language)] if any(a.interaction == "export" for a in group.accesses) else []
    for verb in VERB_ORDER:
        by_type = counts.get(verb)
        if not by_type:
            continue
        past = VERBS[verb][0 if language == "fr" else 2]
        if "Patient" in by_type:
            clauses.append(f"{past} {_IDENTITY[0 if language == 'fr' else 1]}")
        things = [count_phrase(kind, n, language) for kind, n in by_type.items() if n and kind != "Patient"]
        if things:
            clauses.append(f"{past} {join_words(things, language)}")
        elif verb == "read" and "Patient" not in by_type:
            plural = _plurals(list(by_type), language)
            clauses.append(words("searched_nothing", language, things=plural))
    return join_words(clauses, language)


def _attempt(group: AccessGroup, who: str, language: str, with_day: bool = True) -> str:
    """What a refused group tried: "… a tenté de consulter vos documents"."""
    first = group.first
    day = _on(group.day, language) if with_day else ""
    if first.interaction == "emergency-access":
        return words("tried_emergency", language, who=who) + day
    verb = {"search-type": "read", "changes": "read", "vread": "read"}.get(first.interaction, first.interaction)
    verb = verb if verb in VERBS else "read"
    infinitive = VERBS[verb][1 if language == "fr" else 3]
    kinds = [r.split("/", 1)[0] for r in group.touched()] or [k for a in group.accesses for k in a.about]
    kinds = list(dict.fromkeys(k for k in kinds if k != "Patient"))
    what = words("your", language, things=_plurals(kinds, language)) if kinds else _RECORD[0 if language == "fr" else 1]
    return words("tried", language, who=who, what=f"{infinitive} {what}") + day


def _plurals(kinds: list[str], language: str) -> str:
    index = 1 if language == "fr" else 3
    return join_words([NOUNS.get(kind, _ITEM)[index] for kind in kinds], language)
