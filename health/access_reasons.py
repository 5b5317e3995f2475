"""Why could they see it? The rule that let an access through (or refused it), in words,
from the traced event and what the device knows of the record. Pure.

The server decides every access (server/services/access.py); the device cannot replay the
decision, but it holds what it rests on: the authorisation matrix (health.authorisation),
the regular doctor, the blocked professionals, whether emergency access is allowed, and
the items that were touched (who wrote them, whether they are hidden). Each `Reason` names
its rule, so a screen can pick an icon and a test can check the choice, and says it in a
sentence for the patient.
"""
from __future__ import annotations

from dataclasses import dataclass

from health import authorisation
from health.access_log import APP, EMERGENCY, PROFESSIONAL, REFUSAL, REPRESENTATIVE, AccessGroup
from health.access_sentences import french_spacing, join_words, profession_words, titled_name
from health.codes import DOCUMENT_TYPES


@dataclass(frozen=True)
class TouchedItem:
    """One item an access touched, as this device knows it."""

    reference: str
    title: str | None = None  # None: not on this device (deleted since, or never shown)
    code: str | None = None  # a document's LOINC type, an observation's code
    by_agent: bool = False  # the person who accessed it wrote it
    hidden: bool = False  # the patient hid it from professionals


@dataclass(frozen=True)
class RecordFacts:
    """What the device knows of the patient's choices and of the touched items."""

    regular_doctor: str | None = None  # "Practitioner/<id>"
    blocked: frozenset[str] = frozenset()  # "Practitioner/<id>" of the blocked professionals
    emergency_access_allowed: bool | None = None  # None: not known on this device
    touched: tuple[TouchedItem, ...] = ()
    choices_known: bool = True  # False: the device never fetched the patient's choices


@dataclass(frozen=True)
class Reason:
    rule: str  # see RULES
    text: str


RULES = ("blocked", "emergency-refused", "outside-profession", "refused", "emergency", "emergency-choice",
         "representative", "app", "regular-doctor", "profession", "author", "hidden", "first-access")

SECTION_WORDS: dict[str, tuple[str, str]] = {
    authorisation.IDENTITY: ("votre identité", "your identity"),
    authorisation.HISTORY: ("vos antécédents (maladies, opérations, séjours)",
                            "your history (conditions, operations, hospital stays)"),
    authorisation.ALLERGIES: ("vos allergies", "your allergies"),
    authorisation.TREATMENTS: ("vos traitements", "your treatments"),
    authorisation.VACCINATIONS: ("vos vaccinations", "your vaccinations"),
    authorisation.MEASUREMENTS: ("vos mesures et résultats", "your measurements and results"),
    authorisation.BLOOD_GROUP: ("votre groupe sanguin", "your blood group"),
    authorisation.CONTACTS: ("vos contacts (personne de confiance, urgence)",
                             "your contacts (trusted person, emergency)"),
    authorisation.MESSAGES: ("vos messages avec les soignants", "your messages with your carers"),
    authorisation.AGENDA: ("votre agenda", "your agenda"),
}

_TEXTS: dict[str, tuple[str, str]] = {
    "blocked": ("Refusé parce que vous avez bloqué {name} : un professionnel bloqué ne lit et n'écrit plus rien "
                "dans votre dossier.",
                "Refused because you blocked {name}: a blocked professional reads and writes nothing in your record."),
    "blocked_then": ("Refusé parce que vous aviez bloqué {name} à ce moment-là (vous l'avez débloqué depuis).",
                     "Refused because you had blocked {name} at the time (you have unblocked them since)."),
    "emergency-refused": ("Refusé parce que vous refusez l'accès en urgence à votre dossier.",
                          "Refused because you refuse emergency access to your record."),
    "outside-profession": ("Refusé parce que sa profession ({profession}) ne donne pas accès à cette partie de "
                           "votre dossier.",
                           "Refused because their profession ({profession}) gives no access to this part of "
                           "your record."),
    "refused": ("Refusé par Carnet. Raison donnée : {why}", "Refused by Carnet. Reason given: {why}"),
    "emergency": ("{name} a ouvert votre dossier en urgence (« bris de glace »), en donnant cette raison : "
                  "« {why} ». Pendant quatre heures, l'accès en urgence lève les limites de sa profession pour "
                  "la lecture ; vos blocages et vos documents masqués restent respectés.",
                  "{name} opened your record in an emergency (“break the glass”), giving this reason: “{why}”. "
                  "For four hours, an emergency access lifts the limits of their profession for reading; your "
                  "blocks and hidden documents still apply."),
    "emergency_no_reason": ("{name} a lu votre dossier pendant un accès en urgence (« bris de glace ») : les "
                            "limites de sa profession étaient levées pour la lecture ; vos blocages et vos "
                            "documents masqués restaient respectés.",
                            "{name} read your record during an emergency access (“break the glass”): the limits "
                            "of their profession were lifted for reading; your blocks and hidden documents still "
                            "applied."),
    "emergency_allowed": ("Vous autorisez l'accès en urgence. Vous pouvez le refuser dans « Mes choix ».",
                          "You allow emergency access. You can refuse it under “My choices”."),
    "emergency_refused_now": ("Vous avez refusé l'accès en urgence depuis : cela ne peut plus se reproduire.",
                              "You have refused emergency access since: this cannot happen again."),
    "representative": ("{name} est votre représentant légal : il ou elle agit en votre nom et voit votre dossier "
                       "comme vous, sauf ce que vous lui avez caché.",
                       "{name} is your legal representative: they act for you and see your record as you do, "
                       "except what you hid from them."),
    "app": ("Vous avez autorisé l'application {name} à accéder à une partie de votre dossier. Vous pouvez retirer "
            "cette autorisation dans « Applications ».",
            "You allowed the app {name} to use part of your record. You can withdraw this permission under "
            "“Apps”."),
    "regular-doctor": ("{name} est votre médecin traitant : il ou elle voit aussi les documents que vous avez "
                       "masqués.",
                       "{name} is your regular doctor: they also see the documents you hid."),
    "profession_all": ("Sa profession ({profession}) donne accès à tout votre dossier.",
                       "Their profession ({profession}) gives access to your whole record."),
    "profession_all_but": ("Sa profession ({profession}) donne accès à tout votre dossier, sauf à ces documents : "
                           "{documents}.",
                           "Their profession ({profession}) gives access to your whole record, except these "
                           "documents: {documents}."),
    "profession": ("Sa profession ({profession}) donne accès à {sections}, et parmi vos documents : {documents}.",
                   "Their profession ({profession}) gives access to {sections}, and among your documents: "
                   "{documents}."),
    "profession_no_documents": ("Sa profession ({profession}) donne accès à {sections}, et à aucun de vos "
                                "documents.",
                                "Their profession ({profession}) gives access to {sections}, and to none of your "
                                "documents."),
    "profession_none": ("Sa profession ({profession}) ne donne accès à aucun dossier.",
                        "Their profession ({profession}) gives access to no record."),
    "all_documents": ("tous", "all of them"),
    "author": ("{name} a écrit {count} des éléments consultés : un professionnel voit toujours ce qu'il a "
               "lui-même ajouté.",
               "{name} wrote {count} of the items viewed: a professional always sees what they added themselves."),
    "hidden": ("{count} des éléments consultés sont masqués : seuls leur auteur et votre médecin traitant les "
               "voient.",
               "{count} of the items viewed are hidden: only their author and your regular doctor see them."),
    "first-access": ("C'était la première fois {que_name} ouvrait votre dossier : Carnet vous l'a signalé.",
                     "It was the first time {name} opened your record: Carnet told you so."),
}


# Where a resource names who wrote it (the elements the device and server index as author).
_AUTHOR_ELEMENTS = ("author", "recorder", "asserter", "performer", "requester", "sender", "participant")


def written_by(resource: dict, reference: str | None) -> bool:
    """Whether `resource` names `reference` ("Practitioner/<id>") as one of its authors."""
    if not reference:
        return False
    for element in _AUTHOR_ELEMENTS:
        value = resource.get(element)
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, dict):
                continue
            actor = item.get("actor") or item.get("individual") or item
            if isinstance(actor, dict) and actor.get("reference") == reference:
                return True
    return False


def _say(key: str, language: str, **values) -> str:
    if language == "fr":
        return french_spacing(_TEXTS[key][0].format(**values))
    return _TEXTS[key][1].format(**values)


def explain(group: AccessGroup, facts: RecordFacts, language: str = "fr") -> tuple[Reason, ...]:
    """The rules behind a group of accesses, the deciding one first."""
    access = group.first
    name = titled_name(access) if access.agent_kind == PROFESSIONAL else access.agent_name
    if group.kind == REFUSAL:
        return (_refusal(group, facts, name, language),)
    if access.agent_kind == REPRESENTATIVE:
        return (Reason("representative", _say("representative", language, name=name)),)
    if access.agent_kind == APP:
        return (Reason("app", _say("app", language, name=name)),)
    reasons: list[Reason] = []
    if group.kind == EMERGENCY:
        reasons += _emergency(group, facts, name, language)
    if facts.regular_doctor and facts.regular_doctor == access.agent_reference:
        reasons.append(Reason("regular-doctor", _say("regular-doctor", language, name=name)))
    reasons.append(Reason("profession", profession_rule(access.profession, profession_words(access, language),
                                                        language)))
    written = sum(1 for item in facts.touched if item.by_agent)
    if written:
        reasons.append(Reason("author", _say("author", language, name=name, count=written)))
    hidden = sum(1 for item in facts.touched if item.hidden)
    if hidden:
        reasons.append(Reason("hidden", _say("hidden", language, count=hidden)))
    if "first-access" in group.notifications:
        que_name = f"qu'{name}" if name[:1].lower() in "aeiouyéèêàâîôûh" else f"que {name}"
        reasons.append(Reason("first-access", _say("first-access", language, name=name, que_name=que_name)))
    return tuple(reasons)


def profession_rule(profession: str | None, profession_label: str, language: str = "fr") -> str:
    """A profession's row of the authorisation matrix in one sentence."""
    row = authorisation.access_of(profession)
    if row is None:
        return _say("profession_none", language, profession=profession_label)
    if row.sections == authorisation.ALL_SECTIONS and row.sees_every_document:
        return _say("profession_all", language, profession=profession_label)
    index = 0 if language == "fr" else 1
    if row.sections == authorisation.ALL_SECTIONS:
        unseen = [code for code in DOCUMENT_TYPES if code not in row.document_types]
        return _say("profession_all_but", language, profession=profession_label,
                    documents=", ".join(_document_type(code, language) for code in unseen))
    sections = join_words([SECTION_WORDS[s][index] for s in authorisation.SECTIONS
                           if s in row.sections and s in SECTION_WORDS], language)
    if authorisation.DOCUMENTS not in row.sections or not row.document_types:
        return _say("profession_no_documents", language, profession=profession_label, sections=sections)
    if row.sees_every_document:
        documents = _say("all_documents", language)
    else:
        documents = ", ".join(_document_type(code, language) for code in DOCUMENT_TYPES
                              if code in row.document_types)
    return _say("profession", language, profession=profession_label, sections=sections, documents=documents)


def _document_type(code: str, language: str) -> str:
    known = DOCUMENT_TYPES[code]
    return (known.label_fr if language == "fr" else known.label_en).lower()


def _refusal(group: AccessGroup, facts: RecordFacts, name: str, language: str) -> Reason:
    access = group.first
    refusal = " ".join(a.refusal for a in group.accesses).lower()
    blocked_now = access.agent_reference is not None and access.agent_reference in facts.blocked
    if blocked_now or "not authorised you" in refusal:
        unblocked_since = facts.choices_known and not blocked_now
        return Reason("blocked", _say("blocked_then" if unblocked_since else "blocked", language, name=name))
    if "refused emergency access" in refusal:
        return Reason("emergency-refused", _say("emergency-refused", language))
    if "does not give access" in refusal or "gives no access" in refusal:
        return Reason("outside-profession", _say("outside-profession", language,
                                                 profession=profession_words(access, language)))
    return Reason("refused", _say("refused", language, why=access.refusal or "?"))


def _emergency(group: AccessGroup, facts: RecordFacts, name: str, language: str) -> list[Reason]:
    reason = group.emergency_reason
    text = _say("emergency", language, name=name, why=reason.rstrip(" .")) if reason else \
        _say("emergency_no_reason", language, name=name)
    reasons = [Reason("emergency", text)]
    if facts.emergency_access_allowed is False:
        reasons.append(Reason("emergency-choice", _say("emergency_refused_now", language)))
    elif facts.emergency_access_allowed:
        reasons.append(Reason("emergency-choice", _say("emergency_allowed", language)))
    return reasons
