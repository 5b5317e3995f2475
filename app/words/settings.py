"""Settings.

Each key is the text in French, then in English.
"""

WORDS: dict[str, tuple[str, str]] = {
    "settings.title": ("Réglages", "Settings"),
    "settings.language": ("Langue", "Language"),
    "settings.theme": ("Thème", "Theme"),
    "settings.theme.light": ("Clair", "Light"),
    "settings.theme.dark": ("Sombre", "Dark"),
    "settings.sign_out": ("Me déconnecter", "Sign out"),
    "settings.sign_out_text": ("Vous serez déconnecté et la copie de votre dossier sur cet appareil sera effacée.",
        "You will be signed out and the copy of your record on this device erased."),
    "settings.forget": ("Oublier cet appareil", "Forget this device"),
    "settings.forget_text": ("La copie de votre dossier sur cet appareil sera effacée, même sans réseau.",
        "The copy of your record on this device will be erased, even offline."),
    "settings.signed_out": ("Vous êtes déconnecté.", "You are signed out."),
}
