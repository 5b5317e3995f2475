"""Words every screen may use: the app's name, buttons such as Back or Cancel.

Each key is the text in French, then in English.
"""

WORDS: dict[str, tuple[str, str]] = {
    "app.title": ("Carnet", "Carnet"),
    "app.tagline": ("Votre espace santé, même hors connexion.", "Your health space, even offline."),
    "common.back": ("Retour", "Back"),
    "common.cancel": ("Annuler", "Cancel"),
    "common.confirm": ("Confirmer", "Confirm"),
    "common.working": ("Un instant…", "One moment…"),
    "common.required": ("Remplissez tous les champs.", "Fill in every field."),
}
