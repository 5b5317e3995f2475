"""The home screen.

Each key is the text in French, then in English.
"""

WORDS: dict[str, tuple[str, str]] = {
    "home.hello": ("Bonjour {name}", "Hello {name}"),
    "home.emergency": ("Carte d'urgence", "Emergency card"),
    "home.emergency_hint": ("Allergies, traitements, groupe sanguin, personnes à prévenir",
        "Allergies, treatments, blood group, people to call"),
    "home.new_documents": ("Nouveaux documents", "New documents"),
    "home.results": ("Derniers résultats", "Latest results"),
    "home.upcoming": ("À venir", "Coming up"),
    "home.nothing": ("Rien pour l'instant.", "Nothing yet."),
    "home.reminder": ("Rappel", "Reminder"),
}
