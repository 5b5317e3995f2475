"""The Catalogue screen: the referenced apps by category, the apps the patient allowed, an
app's page (what it asks for, read and write switches, allowing, revoking, what it did).

Each key is the text in French, then in English. What an app asks for is worded in French by
the server (health.app_catalogue); in English, from `catalogue.data.<type>` below.
"""

from health.app_catalogue import APP_CATEGORIES

_CATEGORIES_EN = {"teleconsultation": "Teleconsultation", "diabetes": "Diabetes", "booking": "Booking",
                  "fitness": "Physical activity", "medication": "Treatments", "pregnancy": "Pregnancy",
                  "mental-health": "Mental health", "other": "Other"}
_DATA = {
    "Patient": ("votre identité", "your identity (name, date of birth, INS)"),
    "Condition": ("vos antécédents médicaux", "your medical history"),
    "Procedure": ("vos opérations et actes médicaux", "your operations and procedures"),
    "Encounter": ("vos séjours à l'hôpital", "your hospital stays"),
    "AllergyIntolerance": ("vos allergies", "your allergies"),
    "MedicationStatement": ("vos traitements", "your treatments"),
    "Immunization": ("vos vaccinations", "your vaccinations"),
    "Observation": ("vos mesures et résultats", "your measurements and results (weight, blood pressure, glucose, "
                                                "lab tests…)"),
    "RelatedPerson": ("vos personnes de confiance", "your trusted persons and emergency contacts"),
    "Communication": ("vos messages", "your messages"),
    "Appointment": ("vos rendez-vous", "your appointments"),
    "DocumentReference": ("vos documents de santé", "your health documents"),
    "*": ("tout votre dossier", "your whole record"),
}

WORDS: dict[str, tuple[str, str]] = {
    "catalogue.title": ("Applications", "Apps"),
    "catalogue.explain": ("Des applications référencées par Carnet. Vous seul décidez ce que chacune peut lire ou "
                          "écrire dans votre dossier, et vous pouvez retirer son accès à tout moment.",
                          "Apps referenced by Carnet. You alone decide what each may read or write in your "
                          "record, and you can revoke its access at any time."),
    "catalogue.granted_title": ("Vos applications autorisées", "Apps you allowed"),
    "catalogue.granted_none": ("Vous n'avez autorisé aucune application.", "You have not allowed any app."),
    "catalogue.browse_title": ("Applications référencées", "Referenced apps"),
    "catalogue.all": ("Toutes", "All"),
    "catalogue.empty": ("Aucune application dans cette catégorie.", "No app in this category."),
    "catalogue.none_known": ("Le catalogue n'a pas encore été chargé sur cet appareil.",
                             "The catalogue has not been loaded on this device yet."),
    "catalogue.stale": ("Liste affichée du {date} : {why}", "List as of {date}: {why}"),
    "catalogue.badge_granted": ("Autorisée", "Allowed"),
    "catalogue.badge_withdrawn": ("Retirée du catalogue", "Withdrawn from the catalogue"),
    "catalogue.since": ("Autorisée depuis le {date}", "Allowed since {date}"),
    "catalogue.used": ("Dernière utilisation le {date}", "Last used on {date}"),
    "catalogue.never_used": ("Pas encore utilisée", "Not used yet"),
    "catalogue.offline_changes": ("Hors connexion : autoriser une application ou retirer son accès demande une "
                                  "connexion.", "Offline: allowing an app or revoking its access needs a "
                                                "connection."),
    # -- an app's page
    "catalogue.back": ("Retour aux applications", "Back to apps"),
    "catalogue.by": ("Par {publisher}", "By {publisher}"),
    "catalogue.homepage": ("Site de l'application : {url}", "The app's website: {url}"),
    "catalogue.unknown_app": ("Cette application n'est pas dans le catalogue.", "This app is not in the catalogue."),
    "catalogue.withdrawn_text": ("Cette application n'est plus référencée par Carnet : elle ne peut plus accéder à "
                                 "votre dossier. Vous pouvez retirer votre autorisation.",
                                 "This app is no longer referenced by Carnet: it can no longer open your record. "
                                 "You can revoke your permission."),
    "catalogue.status_title": ("Votre autorisation", "Your permission"),
    "catalogue.not_granted": ("Vous n'avez pas autorisé cette application.", "You have not allowed this app."),
    "catalogue.asks_title": ("Ce qu'elle demande", "What it asks for"),
    "catalogue.asks_explain": ("Choisissez, pour chaque type de données, si elle peut le lire et y écrire. Rien "
                               "d'autre ne lui est permis.",
                               "Choose, for each kind of data, whether it may read it and write to it. Nothing "
                               "else is allowed."),
    "catalogue.read": ("Lecture", "Read"),
    "catalogue.write": ("Écriture", "Write"),
    "catalogue.read_line": ("Lire {data}", "Read {data}"),
    "catalogue.write_line": ("{verbs} dans {data}", "{verbs} {data}"),
    "catalogue.verb.c": ("ajouter", "add to"),
    "catalogue.verb.u": ("modifier", "change"),
    "catalogue.verb.d": ("supprimer", "delete from"),
    "catalogue.and": ("et", "and"),
    "catalogue.grant": ("Autoriser", "Allow"),
    "catalogue.save": ("Enregistrer", "Save"),
    "catalogue.grant_title": ("Autoriser {name} ?", "Allow {name}?"),
    "catalogue.change_title": ("Modifier l'accès de {name} ?", "Change {name}'s access?"),
    "catalogue.grant_text": ("{name} pourra, dès sa prochaine demande :", "From its next request, {name} may:"),
    "catalogue.granted_done": ("{name} est autorisée.", "{name} is allowed."),
    "catalogue.saved_done": ("L'accès de {name} est modifié.", "{name}'s access is changed."),
    "catalogue.revoke": ("Retirer l'accès", "Revoke access"),
    "catalogue.revoke_title": ("Retirer l'accès de {name} ?", "Revoke {name}'s access?"),
    "catalogue.revoke_text": ("{name} ne pourra plus rien lire ni écrire dans votre dossier, dès sa prochaine "
                              "demande. Ce qu'elle a déjà fait reste dans l'historique.",
                              "From its next request, {name} can no longer read or write anything in your "
                              "record. What it already did stays in the history."),
    "catalogue.revoked_done": ("L'accès de {name} est retiré.", "{name}'s access is revoked."),
    "catalogue.history_title": ("Ce que l'application a fait", "What the app did"),
    "catalogue.history_empty": ("Elle n'a encore rien fait dans votre dossier.", "It has not done anything in "
                                                                                 "your record yet."),
    "catalogue.history_never": ("Rien : vous ne l'avez jamais autorisée.", "Nothing: you never allowed it."),
    "catalogue.history_total": ("{count} accès au total", "{count} accesses in all"),
    "catalogue.history_more": ("Voir plus", "Show more"),
    "catalogue.deed_refused": ("Refusé", "Refused"),
    "catalogue.refused.offline": ("Pas de connexion : ce changement demande une connexion. Rien n'a été changé.",
                                  "No connection: this change needs one. Nothing was changed."),
    "catalogue.refused.nothing-chosen": ("Choisissez au moins une lecture ou une écriture ; pour ne plus rien "
                                         "lui permettre, retirez son accès.",
                                         "Choose at least one read or write; to allow it nothing, revoke its "
                                         "access."),
    "catalogue.refused.gone": ("Cette application n'est plus dans le catalogue.",
                               "This app is no longer in the catalogue."),
    **{f"catalogue.category.{code}": (label, _CATEGORIES_EN[code]) for code, label in APP_CATEGORIES.items()},
    **{f"catalogue.data.{kind}": words for kind, words in _DATA.items()},
}
