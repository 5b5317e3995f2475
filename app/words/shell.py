"""The frame: navigation destinations and the sync status line.

Each key is the text in French, then in English.
"""

WORDS: dict[str, tuple[str, str]] = {
    "nav.home": ("Accueil", "Home"),
    "nav.profile": ("Profil", "Profile"),
    "nav.documents": ("Documents", "Documents"),
    "nav.settings": ("Réglages", "Settings"),
    "nav.messages": ("Messages", "Messages"),
    "nav.agenda": ("Agenda", "Agenda"),
    "nav.catalogue": ("Applications", "Apps"),
    "nav.privacy": ("Confidentialité", "Privacy"),
    "nav.more": ("Plus", "More"),
    "news.documents": ("{count} nouveau(x) document(s)", "{count} new document(s)"),
    "news.messages": ("{count} nouveau(x) message(s)", "{count} new message(s)"),
    "news.emergency": ("{count} accès d'urgence à votre dossier", "{count} emergency access(es) to your record"),
    "sync.never": ("Jamais synchronisé", "Never synced"),
    "sync.last_today": ("Synchronisé à {time}", "Synced at {time}"),
    "sync.last_day": ("Synchronisé le {date} à {time}", "Synced on {date} at {time}"),
    "sync.syncing": ("Synchronisation…", "Syncing…"),
    "sync.pending": ("{count} modification(s) à envoyer", "{count} change(s) to send"),
    "sync.offline": ("Hors connexion", "Offline"),
    "sync.retrying": ("Serveur indisponible, nouvel essai bientôt", "Server unavailable, retrying soon"),
    "sync.needs_sign_in": ("Session expirée : reconnectez-vous pour synchroniser",
        "Session expired: sign in again to sync"),
    "sync.now": ("Synchroniser", "Sync now"),
    "sync.done": ("Dossier à jour.", "Record up to date."),
}
